"""Editor suggestions benchmark: cost of the web-process matching behind the suggestion fragment.

    .venv/bin/python bench/knowledge/suggestions.py [--words 800] [--runs 200] [--max-seconds 60]

Times `theme_scores` (keyword stems) and `name_candidates` (registry alias keys) and the gazetteer's
`find_countries` on synthetic drafts of about W words built from the gold set's sentences, plus one
draft at the editor's 200,000-character cap. No database (the alias lookup is one indexed `IN` query
per 500 keys), no network, no language model. Prints the load average next to the figures.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from steppe.knowledge.evaluation import GOLD_PATH  # noqa: E402
from steppe.knowledge.extraction.countries import find_countries  # noqa: E402
from steppe.knowledge.suggestions import name_candidates, theme_keywords, theme_scores  # noqa: E402


def _draft(sentences: list[str], words: int, rng: random.Random) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(rng.choice(sentences))
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=60)
    args = parser.parse_args()
    rng = random.Random(8)
    sentences = [
        json.loads(line)["text"]
        for line in GOLD_PATH.read_text(encoding="utf-8").splitlines()
        if line
    ]
    started = time.perf_counter()
    theme_keywords()
    find_countries("Kazakhstan")
    print(f"keyword lists and gazetteer loaded in {time.perf_counter() - started:.2f} s")
    timings: list[float] = []
    deadline = time.monotonic() + args.max_seconds
    for _ in range(args.runs):
        if time.monotonic() > deadline:
            break
        text = _draft(sentences, args.words, rng)
        t0 = time.perf_counter()
        theme_scores(text)
        name_candidates(text)
        find_countries(text)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(
        f"draft of ~{args.words} words, {len(timings)} runs: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms"
    )
    big = _draft(sentences, 40_000, rng)[:200_000]
    t0 = time.perf_counter()
    theme_scores(big)
    keys = name_candidates(big)
    find_countries(big)
    print(
        f"draft at the 200,000-character cap: {(time.perf_counter() - t0) * 1000:.0f} ms, "
        f"{len(keys)} alias keys to look up"
    )
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
