"""Same event, different wording: the optional semantic mode (``Config(semantic=True)``).

Text reuse stops where two outlets write up one event in their own words. This package
finds those: each article's sentence embedding (:mod:`.embedding`), candidate pairs from a
nearest-neighbour index, never all pairs (:mod:`.neighbours`), an event similarity on the
SemEval judges' scale (:mod:`.score`), the names, dates and places two texts share as the
evidence a reader checks (:mod:`.evidence`), and events grouping stories (:mod:`.events`).

Only :mod:`.embedding` and :mod:`.neighbours` need the ``semantic`` extra, imported when
first used.
"""
