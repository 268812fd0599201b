"""Hold an ingest outcome to the cases' expectations and name every broken promise.

The promises are the ones a user relies on when ingest says "N documents, M rejects": every
record of every file is in exactly one of the two tables (or counted as skipped), every
reject says why, every good article is a document with its text intact, nothing outside the
collection is read, and nothing is garbage.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

from bench.bad_inputs.cases import Case, Entry

PROBLEMS: Final = (
    "crash",
    "lost",
    "duplicated",
    "unexpected",
    "rejected-good",
    "altered",
    "accepted-bad",
    "garbage",
    "no-reason",
    "skips-miscounted",
    "read-refused",
    "hang",
    "memory",
)
"""The kinds of broken promise, in the order they are reported."""


@dataclass
class Outcome:
    """What one ingest call produced, in a form a subprocess can send back as JSON.

    ``documents`` are ``(input, record, text)`` (text None when too large to send back),
    ``rejects`` are ``(input, record, reason)``.
    """

    documents: list[tuple[str, int, str | None]] = field(default_factory=list)
    rejects: list[tuple[str, int, str]] = field(default_factory=list)
    skipped_files: int = 0
    skipped_items: int = 0
    error: str | None = None
    seconds: float = 0.0
    peak_rss: int | None = None
    hung: bool = False
    largest_document: int = 0
    """UTF-8 bytes of the longest document's text: what a peak RSS is measured against."""

    @classmethod
    def of(cls, result: Any, seconds: float, text_limit: int | None = None) -> Outcome:
        docs = result.documents.select(["input", "record", "text"]).to_pylist()
        rejects = result.rejects.select(["input", "record", "reason"]).to_pylist()
        return cls(
            documents=[
                (
                    d["input"],
                    d["record"],
                    d["text"] if text_limit is None or len(d["text"]) <= text_limit else None,
                )
                for d in docs
            ],
            rejects=[(r["input"], r["record"], r["reason"]) for r in rejects],
            skipped_files=result.skipped_files,
            skipped_items=result.skipped_items,
            seconds=seconds,
            largest_document=max(
                (len(d["text"].encode("utf-8", "surrogatepass")) for d in docs), default=0
            ),
        )


def fold(text: str) -> str:
    """Whitespace folded, for comparing HTML extractions that rewrap lines."""
    return " ".join(text.split())


@dataclass
class Report:
    """Every broken promise by kind, with examples, and the figures of a run."""

    problems: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    cases: int = 0
    inputs: int = 0
    records: int = 0
    good: int = 0
    good_kept: int = 0
    rejects: int = 0
    largest_document: int = 0
    peak_rss: int = 0
    seconds: float = 0.0
    examples_kept: int = 3
    """Examples kept per problem and kind."""

    def add(self, problem: str, kind: str, example: str) -> None:
        self.problems[problem][kind] += 1
        if len(self.examples[problem, kind]) < self.examples_kept:
            self.examples[problem, kind].append(f"[{kind}] {example}")

    def count(self, problem: str) -> int:
        return sum(self.problems[problem].values())

    def describe(self, problem: str) -> str:
        """One problem's counts by kind and its first examples, for a failing assertion."""
        kinds = ", ".join(f"{k}: {n}" for k, n in self.problems[problem].most_common())
        shown = [e for kind in self.problems[problem] for e in self.examples[problem, kind]]
        return f"{problem} ({self.count(problem)}; {kinds})\n  " + "\n  ".join(shown)


def _check_entry(
    report: Report,
    case: Case,
    entry: Entry,
    docs: dict[int, list[str | None]],
    rejects: dict[int, list[str]],
    where: str,
) -> bool:
    """Check one file's records; True when it was refused by a file-level reject."""
    kind = case.kind
    for record, reasons in rejects.items():
        report.rejects += len(reasons)
        for reason in reasons:
            if not reason or not reason.strip():
                report.add("no-reason", kind, f"{where} record {record}")
    for record in set(docs) | set(rejects):
        seen = len(docs.get(record, [])) + len(rejects.get(record, []))
        if seen > 1 and record != 0:
            report.add("duplicated", kind, f"{where} record {record} appears {seen} times")
    if entry.outcome != "records":
        if docs:
            report.add(
                "read-refused", kind, f"{where} ({entry.outcome}) became {len(docs)} document(s)"
            )
        return 0 in rejects
    expected = entry.expected
    listed = expected.listed()
    report.records += len(listed)
    for record, text in expected.documents.items():
        report.good += 1
        found = docs.get(record)
        if not found:
            if record in rejects:
                report.add("rejected-good", kind, f"{where} record {record}: {rejects[record][0]}")
            else:
                report.add("lost", kind, f"{where} record {record}: a good article is missing")
            continue
        got = found[0]
        if got is None:
            report.good_kept += 1
            continue
        same = fold(text) in fold(got) if expected.contains else got == text
        if same:
            report.good_kept += 1
        else:
            at = next(
                (i for i, (a, b) in enumerate(zip(got, text, strict=False)) if a != b),
                min(len(got), len(text)),
            )
            report.add(
                "altered",
                kind,
                f"{where} record {record}: at {at} expected {text[at : at + 30]!r},"
                f" got {got[at : at + 30]!r}",
            )
    for record in expected.rejects:
        if record in docs:
            report.add("accepted-bad", kind, f"{where} record {record} should be a reject")
        elif record not in rejects:
            report.add("lost", kind, f"{where} record {record}: no document, no reject")
    for record in expected.either:
        if record not in docs and record not in rejects and record != 0 and 0 not in rejects:
            report.add("lost", kind, f"{where} record {record}: no document, no reject")
    for record in (set(docs) | set(rejects)) - listed:
        if expected.closed and record != 0:
            report.add("unexpected", kind, f"{where} record {record} was not in the file")
        elif record in docs and not expected.garbage:
            report.add(
                "garbage",
                kind,
                f"{where} record {record} became a document: {str(docs[record][0])[:60]!r}",
            )
    if expected.closed and 0 in rejects and 0 not in listed:
        report.add("unexpected", kind, f"{where}: the file failed: {rejects[0][0]}")
    return False


def _unread(cases: list[Case]) -> list[tuple[Case, Entry]]:
    return [(case, entry) for case in cases for entry in case.entries if entry.outcome == "unread"]


def check(
    report: Report, cases: list[Case], keys: dict[str, tuple[Case, Entry]], outcome: Outcome
) -> None:
    """Check one ingest call (a batch of cases) against its cases' expectations.

    ``keys`` maps each entry's ``input`` string, as ingest reports it, to its case and entry.
    """
    kind = cases[0].kind if cases else "?"
    report.cases += len(cases)
    report.inputs += sum(case.inputs() for case in cases)
    report.seconds += outcome.seconds
    if outcome.peak_rss:
        report.peak_rss = max(report.peak_rss, outcome.peak_rss)
    report.largest_document = max(report.largest_document, outcome.largest_document)
    if outcome.hung:
        report.add("hang", kind, outcome.error or "no result before the timeout")
        return
    if outcome.error is not None:
        report.add("crash", kind, outcome.error.strip().splitlines()[-1])
        return
    docs: dict[str, dict[int, list[str | None]]] = defaultdict(lambda: defaultdict(list))
    rejects: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for where, record, text in outcome.documents:
        docs[where][record].append(text)
    for where, record, reason in outcome.rejects:
        rejects[where][record].append(reason)
    for where in (set(docs) | set(rejects)) - set(keys):
        report.add("read-refused", kind, f"{where} is not a file of the collection")
    refused_rejected = 0
    refused = 0
    for where, (case, entry) in keys.items():
        refused += entry.outcome == "refused"
        refused_rejected += _check_entry(
            report, case, entry, docs.get(where, {}), rejects.get(where, {}), where
        )
    skipped = sum(entry.outcome == "skipped" for _, entry in keys.values())
    expected = skipped + refused - refused_rejected
    # A hidden folder or a link to a folder is not walked; counting it as one skip is right,
    # and so is leaving it out, so each unread top-level entry may add one.
    unread = len({(case.folder, entry.path.split("/")[0]) for case, entry in _unread(cases)})
    if not expected <= outcome.skipped_files <= expected + unread:
        report.add(
            "skips-miscounted",
            kind,
            f"skipped_files is {outcome.skipped_files}, expected {skipped} skipped"
            f" + {refused - refused_rejected} refused without a reject"
            + (f" (+ up to {unread} unread folders)" if unread else ""),
        )
    expected_items = [
        entry.expected.skipped_items for _, entry in keys.values() if entry.outcome == "records"
    ]
    items = sum(i or 0 for i in expected_items)
    if None not in expected_items and outcome.skipped_items != items:
        message = f"skipped_items is {outcome.skipped_items}, expected {items}"
        report.add("skips-miscounted", kind, message)
