"""The extractor against the gold set: fails if a figure drops below the issue's targets."""

from pathlib import Path

import pytest

from steppe.knowledge.evaluation import GOLD_PATH, evaluate, load_gold

# Written after the extractor was tuned on the gold set, to check it does not only fit that set.
HELDOUT_PATH = GOLD_PATH.parent / "knowledge" / "heldout.jsonl"

TARGETS = {
    "countries": {"f1": 0.95},
    "events": {"precision": 0.90, "recall": 0.85},
    "people": {"f1": 0.80},
    "organisations": {"f1": 0.80},
}


@pytest.fixture(scope="module", params=[GOLD_PATH, HELDOUT_PATH], ids=["gold", "heldout"])
def scores(request, nlp_models):
    return evaluate(load_gold(Path(request.param)))


def test_gold_set_size_and_languages():
    gold = load_gold()
    assert len(gold) >= 60
    languages = {item["language"] for item in gold}
    assert languages == {"fr", "en", "ru"}
    assert sum(item["language"] == "fr" for item in gold) > len(gold) / 2


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_quality_meets_targets(scores, kind):
    score = scores[kind]
    for measure, target in TARGETS[kind].items():
        value = getattr(score, measure)
        assert value >= target, f"{kind} {measure} {value:.3f} < {target}: {score.errors}"
