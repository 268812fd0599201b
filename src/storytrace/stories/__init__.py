"""From related pairs to stories: stages 6 and 7 of the pipeline.

:mod:`.cluster` joins linked documents into stories with deterministic ids, :mod:`.timeline`
orders a story in time and finds its origin, :mod:`.changes` lists what each version changed
(:mod:`.sentences` splits sentences, :mod:`.word_diff` marks the words inside one).
"""
