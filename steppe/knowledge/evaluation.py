"""Score the extractor against the gold set (`tests/data/knowledge_gold.jsonl`).

Shared by `bench/knowledge/run.py` and the quality tests. Countries: (item, ISO code) pairs. People and
organisations: (item, name) pairs, a prediction matching a gold name when their entity keys are equal or
nearly so (rapidfuzz ratio ≥ 88 on the transliterated keys, so "Tokaïev" meets "Tokayev"). Events:
(item, EDTF value, is a future target) — an event counts only with the right date.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from .extraction import extract
from .extraction.ner import ORGANISATION, PERSON
from .extraction.text import entity_key

GOLD_PATH = Path(__file__).resolve().parents[2] / "tests" / "data" / "knowledge_gold.jsonl"
KINDS = ("countries", "people", "organisations", "events")


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path = GOLD_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _same_name(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a, b) >= 88


def _count(score: Score, item_id: str, predicted: Iterable, expected: Iterable, same=None) -> None:
    predicted, expected = list(dict.fromkeys(predicted)), list(dict.fromkeys(expected))
    same = same or (lambda a, b: a == b)
    unmatched = list(expected)
    score.predicted += len(predicted)
    score.expected += len(expected)
    for value in predicted:
        match = next((gold for gold in unmatched if same(value, gold)), None)
        if match is None:
            score.errors.append(f"{item_id}: unexpected {value!r}")
        else:
            unmatched.remove(match)
            score.true_positives += 1
    score.errors.extend(f"{item_id}: missed {value!r}" for value in unmatched)


def evaluate(items: list[dict] | None = None) -> dict[str, Score]:
    """Run the extractor on every gold item; return a score per kind."""
    scores = {kind: Score() for kind in KINDS}
    for item in items if items is not None else load_gold():
        result = extract(
            item["text"],
            language=item["language"],
            published_on=date.fromisoformat(item["published_on"]),
        )
        _count(scores["countries"], item["id"], result.country_codes(), item["countries"])
        for kind, entity_kind in (("people", PERSON), ("organisations", ORGANISATION)):
            _count(
                scores[kind],
                item["id"],
                (e.key for e in result.entities if e.kind == entity_kind),
                (entity_key(name) for name in item[kind]),
                _same_name,
            )
        _count(
            scores["events"],
            item["id"],
            ((e.value.edtf, e.value.is_future_target) for e in result.events),
            ((e["date"], e["future"]) for e in item["events"]),
        )
    return scores
