"""How two texts relate: candidates, exact copies, alignment, figures, facts, formula wording,
the relation and its reason.

Stages 4 and 5 of the pipeline (see the README): :mod:`.candidates` groups LSH band keys and
fingerprints into candidate pairs, :mod:`.copies` settles exact copies without verification,
:mod:`.verify` aligns a pair (:mod:`.align`), reads its facts (:mod:`.facts`,
:mod:`.formula`) and names the relation (:mod:`.relate`). :mod:`.near_duplicate_check` is the
plain Jaccard check of the near-duplicate mode; :mod:`.edits` is the edit script both the fact
check and the word diffs use. Everything here is pure: no tables on disk, no engine.
"""
