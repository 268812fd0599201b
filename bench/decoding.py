"""How often decoding misreads news in a legacy encoding: ``python -m bench.decoding``.

Every BBC article and every Reuters-21578 body with a character outside ASCII is encoded
again as Windows-1252 and as Latin-1, whole, cut to its first 200 characters (where detectors
guess worst), and with a paragraph in French, German, Spanish or Portuguese inserted; each is
decoded as storytrace decodes a text file, and must come back exactly; charset-normalizer's
best guess, which is what most pipelines use, is measured beside it. Printed: texts, wrong,
rejected, and the first few wrong readings. The foreign paragraph goes into up to 2,000
texts of each corpus, ASCII ones too (Reuters has one non-ASCII body).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from storytrace.config import Config
from storytrace.ingest import ingest
from storytrace.ingest.decode import Decoder

FOREIGN = (
    "Le gouvernement français a annoncé mercredi une réforme des retraites très contestée, "
    "qui prévoit de reculer l'âge légal à soixante-quatre ans.",
    "Die Bundesregierung hat am Mittwoch überraschend eine Erhöhung der Mehrwertsteuer "
    "angekündigt, die für große Unternehmen gilt.",
    "El presidente del Gobierno español anunció el miércoles una reforma laboral que según "
    "los sindicatos perjudicará a los jóvenes.",
    "O ministro português da Economia disse que a inflação deverá recuar no próximo ano, "
    "segundo as previsões divulgadas ontem.",
)
"""Written for this measurement: one paragraph each in four Western languages."""


@dataclass
class Tally:
    texts: int = 0
    wrong: int = 0
    rejected: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)

    def add(self, text: str, encoding: str, decode: Callable[[bytes], str | None]) -> None:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            return  # a character the encoding cannot hold: not a text of that encoding
        self.texts += 1
        got = decode(data)
        if got is None:
            self.rejected += 1
        elif got != text:
            self.wrong += 1
            at = next(i for i, (a, b) in enumerate(zip(got, text, strict=False)) if a != b)
            if len(self.examples) < 3:
                self.examples.append(
                    (got[max(at - 10, 0) : at + 10], text[max(at - 10, 0) : at + 10])
                )


def charset_normalizer_best(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else str(best)


DECODERS: dict[str, Callable[[bytes], str | None]] = {
    "storytrace": lambda data: Decoder().decode(data),
    "charset-normalizer": charset_normalizer_best,
}

MIXED_TEXTS = 2_000


def corpus_texts(data: Path) -> dict[str, list[str]]:
    """The texts of BBC and Reuters, as storytrace reads them."""
    return {
        name: ingest([data / name], Config()).documents.column("text").to_pylist()
        for name in ("bbc", "reuters21578")
    }


def variants(texts: list[str], seed: int) -> Iterator[tuple[str, list[str]]]:
    rng = random.Random(seed)
    wide = [t for t in texts if not t.isascii()]
    yield "whole", wide
    yield "first 200 characters", [t[:200] for t in wide if not t[:200].isascii()]
    mixed = []
    for text in rng.sample(texts, min(MIXED_TEXTS, len(texts))):
        paragraphs = text.split("\n\n")
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(FOREIGN))
        mixed.append("\n\n".join(paragraphs))
    yield "with a foreign paragraph", mixed


def measure(
    data: Path, seed: int = 3, decoders: tuple[str, ...] = tuple(DECODERS)
) -> dict[str, Tally]:
    """Tallies by "corpus, variant, encoding, decoder"."""
    tallies: dict[str, Tally] = {}
    for corpus, texts in corpus_texts(data).items():
        for variant, shown in variants(texts, seed):
            for encoding in ("cp1252", "latin-1"):
                for decoder in decoders:
                    decode = DECODERS[decoder]
                    name = f"{corpus}, {variant}, {encoding}, {decoder}"
                    tally = tallies.setdefault(name, Tally())
                    for text in shown:
                        tally.add(text, encoding, decode)
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    args = parser.parse_args(argv)
    wrong = 0
    for name, tally in measure(args.data).items():
        wrong += tally.wrong if name.endswith("storytrace") else 0
        line = f"{name}: {tally.texts} texts, {tally.wrong} wrong, {tally.rejected} rejected"
        print(line + "".join(f"\n    read {got!r} for {want!r}" for got, want in tally.examples))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
