"""One frozen configuration object that flows through every stage.

Every figure that changes what storytrace finds lives here, so that a run is fully described
by its config (it is written into ``manifest.json``) and two runs with the same config and input
give identical tables on every engine. Seeds for hash functions come from here too: nothing may
depend on the process, the engine or the order in which workers start.

Example::

    >>> from storytrace import Config
    >>> cfg = Config(lsh_threshold=0.6)
    >>> Config.from_toml(cfg.to_toml()) == cfg
    True
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import hashlib
import inspect
import json
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomli_w

MODES = ("stories", "near_duplicates")
"""What a run can find: see ``Config.mode``."""
ENGINES = ("local", "spark")
"""Where a run's stages run: see ``Config.engine``."""
ENGINE_ONLY = ("batch_size", "workers", "engine", "spark_master")
"""Settings that decide where and in what pieces the work runs, never what it finds."""


@dataclass(frozen=True)
class Config:
    """Settings of one storytrace run. All fields have defaults calibrated on real news."""

    # --- ingest -------------------------------------------------------------------------
    id_field: str = "id"
    """Name of the id field in JSONL / CSV / Parquet input."""
    text_field: str = "text"
    """Name of the text field in JSONL / CSV / Parquet input."""
    html_field: str = "html"
    """Name of the field holding a raw HTML page in JSONL / Parquet input. A record without
    text but with this field has its article extracted from the page."""
    max_document_bytes: int = 8 * 2**20
    """Largest record accepted, in bytes as read (a text file, a JSONL line, a CSV field, a
    Parquet text cell, an HTML page, a WARC record). The longest article in the bundled corpora
    is under 60 KB and the largest news page of the extraction benchmark about 2 MB; a record
    above 8 MiB is a dump or an attack, not an article. It is rejected after its first bytes
    are read, so memory stays a small multiple of this figure whatever the input holds."""
    max_decompressed_bytes: int = 16 * 2**30
    """Largest size one gzip-compressed input may expand to. A file compressed a thousand to
    one is a bomb, not a collection; the rest of the file past this size is rejected with a
    reason. 16 GiB holds the largest news dumps users feed in one file; raise it for more."""
    follow_symlinks: bool = False
    """Read files that a symbolic link inside an input folder points to outside that folder.
    Off by default: a link to ``/etc/passwd`` or ``/dev/zero`` inside a downloaded collection
    must not be read. Links that stay inside the folder are always read."""

    # --- what a run finds -------------------------------------------------------------------
    mode: str = "stories"
    """What a run finds. ``"stories"``: every relation, with aligned passages, and the stories
    they form. ``"near_duplicates"``: only what MinHash deduplication tools find, for corpora
    where dropping copies is all that matters: LSH candidates are kept when their exact
    shingle Jaccard reaches ``lsh_threshold``, as ``near_duplicate`` pairs without passages
    (exact copies stay ``duplicate``); no fingerprints, no alignment, no relation checks, no
    changes table. It is several times faster and finds light edits only: versions, excerpts
    and reuse need ``"stories"``."""

    # --- clean ----------------------------------------------------------------------------
    recurring_site_docs: int = 5
    """A whole line found in at least this many documents of one site (the url's host name,
    else the ``site`` or ``source`` field) is that site's template, unless most documents
    holding it are copies of each other (see ``storytrace.clean.recurring``). 5 is above the
    two to four follow-ups that reuse a background paragraph of their own site's earlier
    story, which is reuse to find, not template. Neither labelled HTML set has more than two
    pages of one site, so this figure is reasoned, not fitted. 0 turns it off."""
    recurring_corpus_docs: int = 5
    """The same across the whole corpus, whatever the site: lines such as "Advertisement" or
    a news agency's copyright notice recur across sites. On L3S-GN1 (621 pages, sites
    unknown) 3 and 4 gave F1 0.002 higher than 5, 8 and 12 gave 0.001 lower; 5 keeps a margin
    against removing a quote shared by a few different stories. 0 turns it off."""

    # --- sign -----------------------------------------------------------------------------
    seed: int = 1
    """Seed of every hash function (tokens, shingles, MinHash permutations, band keys)."""
    shingle_size: int = 5
    """Words per shingle for MinHash and for the Jaccard / containment figures."""
    num_perm: int = 128
    """MinHash permutations."""
    lsh_threshold: float = 0.5
    """Jaccard at which the LSH S-curve is centred. Candidates are verified afterwards, so a
    threshold below the near-duplicate cut only costs verification time; 0.5 keeps the light
    edits (1-5% of words changed, median 5-shingle Jaccard 0.70) well inside the curve."""
    max_bucket: int = 8
    """An LSH bucket holding more documents than this links each of them to the bucket's
    centres only (see ``link_centres``), not to every other member. Such a bucket is a flood
    of prints of one story: all pairs grow with the square of the prints (1,000 prints,
    499,500 pairs to verify), centres grow linearly and still put every print in the story.
    Members of a bucket share most of their words, so centres lose nothing: 8 and 30 give
    the same stories and pairs on Reuters-21578 (largest bucket 12 once exact copies are set
    aside) and on the flood corpus of ``make bench``, where 8 verifies 79,000 candidate pairs
    instead of 111,000."""
    link_centres: int = 2
    """Members of a large group (an LSH bucket over ``max_bucket``, a fingerprint over
    ``max_df``) are each paired with this many centres of the group (see
    ``storytrace.match.candidates``). 1 would do if no centre were ever a stranger in the
    group (an unrelated text in the bucket by chance, a piece quoting one paragraph); a
    second centre keeps the group linked when one is."""
    winnow_ngram: int = 5
    """Words per n-gram for the winnowed passage fingerprints."""
    winnow_window: int = 6
    """Winnowing window: any shared run of ``winnow_ngram + winnow_window - 1`` words is
    guaranteed to share a fingerprint (10 words with the defaults, about one clause)."""
    max_df: int = 30
    """A fingerprint held by more documents than this links its holders through centres
    (see ``link_centres``) instead of pairing them all. A stock phrase is held by unrelated
    texts whose centres change from phrase to phrase, so its pairs are seen once and fall
    short of ``min_shared_fingerprints``; the sentences of a story printed 1,000 times keep
    pairing its prints with the same centres and stay evidence. Up to 30, every pair: wire
    updates in Reuters-21578 share clauses held by up to 29 items, and pair only so."""
    min_shared_fingerprints: int = 2
    """Shared fingerprints needed before a pair is verified (counted with the group's
    centres, see ``link_centres``)."""

    # --- align and relate ------------------------------------------------------------------
    align_seed_words: int = 3
    """Words per exact anchor when aligning two texts. Anchors must be unique in both texts."""
    align_max_gap: int = 12
    """Largest gap in words (an edit, an inserted clause) bridged inside one passage."""
    min_passage_words: int = 10
    """Shortest aligned passage that counts, in words of the shorter side. A text shorter
    than this relates to others only as an exact duplicate: a few shared words prove nothing."""
    detail_passage_words: int = 5
    """Within a pair already related as one story, shared runs down to this many words are
    aligned and reported too (a quote kept through a rewrite); they never decide a relation
    and are not counted in the pair's figures."""
    near_duplicate_coverage: float = 0.9
    """Both texts at least this much covered by aligned passages: a near-duplicate."""
    excerpt_coverage: float = 0.8
    """The shorter text at least this much inside the longer one: an excerpt (when the
    longer is not also mostly covered)."""
    version_coverage: float = 0.5
    """The shorter text at least this much aligned: a version of the same story. Calibrated
    on real pairs: the seed pair (a rewritten, expanded VOA story) aligns 0.69 of the shorter
    text, and every judged Reuters version or duplicate 0.8 or more; BBC articles on one
    running story that share background paragraphs (two Yukos court rulings, a debate
    refused and a debate urged) align 0.3 to 0.4 and are partial reuse, not versions."""
    partial_min_words: int = 20
    """A shared passage at least this long, below the version coverage: partial reuse."""

    min_figure_agreement: float = 0.5
    """Share of the figures (words with digits) inside the aligned text that must be the
    same on both sides. Formula stories (earnings tables, dividend and money-market notices,
    crop reports) share their wording while their figures differ; a corrected or updated
    version keeps most figures and changes a few. The share of facts (below) is read on the
    text with fewer facts, so it lets a short item of a formula through beside a longer one
    ("Joliet hogs seen steady on receipts of 200 head, top 50.50 dlrs" beside St Paul's
    2,800 head at 50.00 to 50.50); inside the aligned text their figures disagree. On the
    judged Reuters pairs every pair this check separates is separated by another one too,
    but over the whole Reuters-21578 run it alone keeps 19 pairs apart (``python -m
    bench.guard --whole-run``); read by hand, 16 are items of a formula (hog markets of two
    cities, Bank of England help and Fed outlooks of other days, yen loans and warrant bonds
    of other borrowers, PL 480 buys of two countries, Sun's heating oil raised and cut) and
    3 one story retold with a figure moved (Vernitron's record date,
    GenCorp's partners, Qintex's offer). A single changed figure never counts (that is what
    a correction does). 0 turns the check off."""

    min_fact_agreement: float = 0.6
    """Share of the distinctive facts (figures, and names outside formula wording) of the
    text with fewer facts that the other text must have too. A copy or version keeps its
    facts; two items of one formula, or two reports of different events, share wording and
    not facts. Calibrated on the judged Reuters dev pairs: duplicates keep at least 0.8 of
    their facts and versions 0.7 (one rewritten earnings table keeps 0.6), while most
    formula pairs keep less than half. 0 turns the check off."""

    max_days_apart: float = 3.0
    """Two texts published more than this many days apart, whose facts are not all shared
    (or that repeat formula wording word for word), are two items of one formula (this
    week's and next week's notice), not versions. A
    correction or update follows within hours: on the judged Reuters pairs every duplicate
    and version was published within 2.2 days of the other, while three quarters of the
    formula pairs lie more than 4 days apart. Texts without a publication time are never
    ruled out by this check."""

    reissue_fact_agreement: float = 0.3
    """Share of facts that one company's formula item re-sent within ``reissue_days`` (both
    headlines carry its ticker) must keep to be one item: its results table restated
    ("Oper shr" for "Shr", operating for net figures, rounded or corrected lines) keeps the
    figures it restates and changes the rest, so it shares less text and fewer facts than a
    copy does, and is a version however little of its wording it keeps. On Reuters-21578
    the 10 such re-issues the candidates find (Southwest Bancorp, Intermedics, Potomac
    Electric, Vornado, Life of Indiana ...) keep 0.33 to 0.7 of their facts and 0.31 to 0.58
    of the shorter text, and each falls below ``min_fact_agreement`` or ``version_coverage``;
    with 0 here the run links no other pair. 0 links every such pair that shares
    ``reissue_coverage`` of its text."""

    reissue_coverage: float = 0.3
    """Share of the shorter text a re-issue (see ``reissue_fact_agreement``) must align with
    the first issue: the Reuters re-issues align 0.31 to 0.58, while a story written from a
    company's table the same day ("BSN <BSN> SEES HIGHER 1987 NET" beside "BSN CORP <BSN>
    4TH QTR NET") shares the table's figures and aligns 0.22; it is another item."""

    reissue_days: float = 1.0
    """How soon a company's formula item sent again is a re-issue of it (see
    ``reissue_fact_agreement``): the Reuters re-issues follow within 4.2 hours, and the
    company's next table comes a quarter later. 0 turns re-issues off."""

    formula_min_docs: int = 10
    """A skeleton 5-gram (figures blanked) held by at least this many distinct texts, of one
    source or of the whole corpus, is formula wording: it proves nothing about two texts
    sharing it. On Reuters-21578 (19,043 items), 10 marks the dividend, earnings, money-market
    and contract-award formulas (about 1,600 of 585,000 winnowed 5-grams) and no sentence of
    an ordinary story."""

    formula_factual_edits: int = 2
    """Two texts whose edits are mostly swaps of names or figures, at least this many, are one
    formula filled with different facts (a dividend notice of two companies, two days' money
    market reports), not a copy. One swap is what a correction does. On the judged Reuters
    pairs, versions either swap at most one fact or also add and drop text; formula pairs swap
    two or more facts and change little else. Not asked when both headlines carry one
    ticker: one company's results re-issued with a restated table ("Revs" as "Sales", 9,148,000
    shares as 9.1 mln) swap figures as a formula does; on the whole Reuters-21578 run the
    ticker keeps 15 such re-issues linked. Of the 53 pairs the question alone still separates
    there, by their headlines 48 are formula items (fund payouts, daily rate notices, grain,
    cattle and money-market reports, contracts of two companies) or unclear, and 5 one item
    or story re-issued, two with its ticker on one headline only (Peter Miller Apparel,
    Carolin Mines)."""

    headline_subject_names: int = 1
    """Two texts are items of two subjects, not one item, when each headline names a subject
    the other lacks (words neither formula in this corpus's headlines nor figures) and the
    bodies swap at least this many of those words for each other: "KEYSTONE MICHIGAN INSURED
    FUND SETS PAYOUT" beside "KEYSTONE OHIO MUNICIPAL FUND SETS PAYOUT", one body word for
    word but for the fund's name. A formula learned from the corpus cannot see these: their
    figures are the same, as a story's reprints' are. The same holds when the bodies name no
    one in common, so that the headline alone says whom each item is about ("COMERICA
    <CMCA> RAISES PRIME RATE" and "NORTH CAROLINA FEDERAL <NCFS> RAISES PRIME RATE" over
    "... said it raised its prime rate to 7-3/4 pct"). A reprint that rewrites its headline
    keeps the body's names, a correction of one name seldom names it in both headlines, and
    headlines that differ only in a ticker are a re-issue correcting it, unless both carry
    tickers of two companies and each body names someone the other does not ("CHEMICAL
    <CHL>" and "FIRST WISCONSIN NAT'L BANK <FWB>", whose bodies share only "Bank"). On the
    judged Reuters pairs this question separates three formula pairs no other question does;
    on the whole run (``python -m bench.guard --whole-run``) it alone keeps 39 pairs apart,
    36 of them formula items (a day's prime-rate moves of 15 banks, crude postings of five
    oil companies, eurobonds and offerings of two issuers, lead prices of Asarco and Doe
    Run), one two events of one crisis, and 2 one story (a market roundup quoting an item,
    two reports of one reply). 0 turns it off."""

    # --- changes between versions -------------------------------------------------------------
    changed_sentence_similarity: float = 0.5
    """An old and a new sentence that are not identical are one sentence ``changed`` (shown
    with a word diff) when at least this share of their words is common to both (Dice over
    the words); below it they are one sentence removed and another added. Calibrated on the
    seeds and the 31 judged Reuters version pairs, taking each unmatched old sentence with its
    most similar unmatched new one: edited sentences (a corrected figure, a word swapped, a
    clause added or cut, a quote reattributed) share 0.52-0.99 of their words; different
    sentences of one story, which share its names and function words, at most 0.40. Two
    rewrites that keep little but their figures fall between (0.43, 0.47) and stay removed
    and added."""
    split_sentence_share: float = 0.6
    """A sentence left over after pairing is the other part of a sentence split in two (or of
    two sentences merged into one) when at least this share of its words is among the words
    its edited counterpart gained or lost; it is then ``changed`` too, paired with that
    counterpart, instead of ``added`` or ``removed``. On the same pairs, the parts of split
    and merged sentences have 0.63-0.91 of their words there, other left-over sentences at
    most 0.40."""

    # --- same event (optional) ----------------------------------------------------------
    semantic: bool = False
    """Also find articles that report one event in different words: a ``same_event``
    relation and ``events`` above stories (work/same_event.parquet, work/events.parquet).
    Needs ``pip install 'storytrace[semantic]'`` and costs a sentence embedding per
    article (see the README); the text-reuse tables are the same with it or without."""
    semantic_threshold: float = 0.6
    """Event similarity (0 to 1, see ``storytrace.semantic.score``) from which two articles
    of different stories are ``same_event``. On the SemEval-2022 English pairs, 0.6 takes
    29 of the 36 pairs judged about the same story (Overall <= 1.5) and 4 of the 105 judged
    dissimilar (Overall >= 2.5); 0.5 takes 34 and 6, 0.7 takes 24 and 2. On the BBC set
    (2,124 articles) 0.6 gives 2,547 pairs, 98.2% within one section; 0.5 gives 3,899 and,
    without ``max_event_stories``, chains 869 articles of different sections into one
    event (239 at 0.6)."""
    semantic_neighbours: int = 10
    """Nearest neighbours of each article looked up in the index; a same-event pair must be
    among each other's this many (see ``storytrace.semantic.neighbours``)."""
    max_event_stories: int = 30
    """Most stories in one event: links are taken strongest first and two events are not
    joined past this size, so a long-running topic never becomes one event. On the BBC set
    at the default threshold, 30 keeps 97.6% of the articles in events in their event's
    section (89.3% without a cap). The events that reach 30 there are topics rather than
    single events (Six Nations rugby, cup football, interest rates, game consoles): the
    embedding tells one topic from another better than one match or rate decision from the
    next, and the cap is what keeps such a topic in pieces of at most 30."""

    # --- engine ---------------------------------------------------------------------------
    batch_size: int = 2000
    """Documents per Arrow record batch in the per-document stages."""
    workers: int = 0
    """Worker processes for the per-document stages; 0 means one per core."""
    engine: str = "local"
    """Where the stages run: ``local`` (this machine) or ``spark`` (Apache Spark, with
    ``pip install storytrace[spark]``). Both write the same tables."""
    spark_master: str = ""
    """The Spark master for ``engine = "spark"`` (``local[2]``, ``spark://host:7077``,
    ``yarn``); empty: the one ``spark-submit`` was given, else ``local[*]``."""

    def __post_init__(self) -> None:
        problems = []
        for f in fields(self):
            value, expected = getattr(self, f.name), type(f.default)
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, f.name, float(value))
            elif not isinstance(value, expected) or (
                isinstance(value, bool) and expected is not bool
            ):
                problems.append(f"{f.name} must be {expected.__name__}, not {value!r}")
        if problems:
            raise ValueError("invalid storytrace config: " + "; ".join(problems))
        if self.mode not in MODES:
            problems.append(f"mode must be one of {', '.join(MODES)}")
        if self.shingle_size < 1:
            problems.append("shingle_size must be >= 1")
        if not 8 <= self.num_perm <= 1024:
            problems.append("num_perm must be between 8 and 1024")
        if not 0.0 < self.lsh_threshold < 1.0:
            problems.append("lsh_threshold must be between 0 and 1")
        if self.winnow_ngram < 1 or self.winnow_window < 1:
            problems.append("winnow_ngram and winnow_window must be >= 1")
        if self.max_bucket < 2:
            problems.append("max_bucket must be >= 2")
        if self.max_df < 2:
            problems.append("max_df must be >= 2")
        if self.link_centres < 1:
            problems.append("link_centres must be >= 1")
        if self.align_seed_words < 1:
            problems.append("align_seed_words must be >= 1")
        for name in ("near_duplicate_coverage", "excerpt_coverage", "version_coverage"):
            if not 0.0 < getattr(self, name) <= 1.0:
                problems.append(f"{name} must be in (0, 1]")
        if not 0.0 <= self.min_figure_agreement <= 1.0:
            problems.append("min_figure_agreement must be in [0, 1]")
        if not 0.0 <= self.min_fact_agreement <= 1.0:
            problems.append("min_fact_agreement must be in [0, 1]")
        if self.headline_subject_names < 0:
            problems.append("headline_subject_names must be >= 0")
        if self.max_days_apart <= 0:
            problems.append("max_days_apart must be > 0")
        if not 0.0 <= self.reissue_fact_agreement <= 1.0:
            problems.append("reissue_fact_agreement must be in [0, 1]")
        if not 0.0 <= self.reissue_coverage <= 1.0:
            problems.append("reissue_coverage must be in [0, 1]")
        if self.reissue_days < 0:
            problems.append("reissue_days must be >= 0")
        if self.formula_min_docs < 2:
            problems.append("formula_min_docs must be >= 2")
        for name in ("changed_sentence_similarity", "split_sentence_share"):
            if not 0.0 < getattr(self, name) <= 1.0:
                problems.append(f"{name} must be in (0, 1]")
        if self.recurring_site_docs < 0 or self.recurring_corpus_docs < 0:
            problems.append("recurring_site_docs and recurring_corpus_docs must be >= 0")
        if self.max_document_bytes < 1 or self.max_decompressed_bytes < 1:
            problems.append("max_document_bytes and max_decompressed_bytes must be >= 1")
        if not 0.0 < self.semantic_threshold <= 1.0:
            problems.append("semantic_threshold must be in (0, 1]")
        if self.semantic_neighbours < 1 or self.max_event_stories < 2:
            problems.append("semantic_neighbours must be >= 1 and max_event_stories >= 2")
        if self.batch_size < 1:
            problems.append("batch_size must be >= 1")
        if self.workers < 0:
            problems.append("workers must be >= 0")
        if self.engine not in ENGINES:
            problems.append(f"engine must be one of {', '.join(ENGINES)}")
        if problems:
            raise ValueError("invalid storytrace config: " + "; ".join(problems))

    # --- serialisation --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain settings; the form stored in the manifest."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_toml(self, commented: bool = False) -> str:
        """TOML text; with ``commented``, each setting is preceded by its description."""
        if not commented:
            return tomli_w.dumps({"storytrace": self.to_dict()})
        lines = ["[storytrace]"]
        for name, value in self.to_dict().items():
            lines.append("")
            lines.extend(f"# {line}".rstrip() for line in settings_help()[name].splitlines())
            lines.append(tomli_w.dumps({name: value}).strip())
        return "\n".join(lines) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """Settings from a mapping; an unknown key is an error (it is usually a typo)."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            hints = []
            for key in unknown:
                close = difflib.get_close_matches(key, known, n=1)
                hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise ValueError("unknown storytrace setting " + ", ".join(hints))
        return cls(**data)

    @classmethod
    def from_toml(cls, text: str) -> Config:
        data = tomllib.loads(text)
        return cls.from_dict(data.get("storytrace", data))

    @classmethod
    def load(cls, path: str | Path) -> Config:
        """Settings from a TOML file (a ``[storytrace]`` table, or top-level keys)."""
        try:
            return cls.from_toml(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path} is not valid TOML: {err}") from err

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)

    @property
    def tag(self) -> str:
        """Short stable digest of the settings that change results (not engine settings)."""
        settings = self.to_dict()
        for engine_only in ENGINE_ONLY:
            settings.pop(engine_only)
        blob = json.dumps(settings, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


@lru_cache(maxsize=1)
def settings_help() -> dict[str, str]:
    """Each setting's description, read from the docstring under its field above.

    The field docstrings are the one place where settings are documented: ``storytrace
    config`` prints them as comments and the test suite checks that none is missing.
    """
    tree = ast.parse(inspect.getsource(Config))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, following in zip(body, [*body[1:], None], strict=True):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs
