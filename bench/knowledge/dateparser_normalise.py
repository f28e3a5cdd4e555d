"""Would dateparser help as the normaliser of what our date grammar matched? A measurement.

    .venv/bin/pip install dateparser  # no longer a dependency of Steppe
    .venv/bin/python bench/knowledge/dateparser_normalise.py

Runs the grammar over the gold and held-out sets, then gives each matched expression to
`dateparser.parse` (with the item's date as the relative base) and compares the values; times both
(CPU time, in process) and the resident memory dateparser adds. No database, no network.
"""

import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from steppe.knowledge.evaluation import GOLD_PATH, load_gold  # noqa: E402
from steppe.knowledge.extraction.dates import _month_number, find_dates  # noqa: E402
from steppe.knowledge.extraction.text import split_sentences  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    items = load_gold(GOLD_PATH) + load_gold(GOLD_PATH.parent / "knowledge" / "heldout.jsonl")
    matches = []
    started = time.process_time()
    for item in items:
        reference = date.fromisoformat(item["published_on"])
        for sentence in split_sentences(item["text"]):
            for match in find_dates(sentence.text, item["language"], reference):
                matches.append((match, item["language"], reference))
    grammar = time.process_time() - started
    print(
        f"grammar: {len(matches)} expressions in {grammar * 1000:.1f} ms CPU ({len(items)} items)"
    )

    before = rss_mb()
    started = time.process_time()
    import dateparser

    dateparser.parse("1 avril 2025", languages=["fr"])
    print(f"dateparser import + first parse: {time.process_time() - started:.2f} s CPU, "
          f"RSS +{rss_mb() - before:.0f} MB")  # fmt: skip
    agree = differ = unparsed = 0
    started = time.process_time()
    for match, language, reference in matches:
        value = match.value
        if value.is_future_target:
            continue
        base = datetime(reference.year, reference.month, reference.day)  # noqa: DTZ001
        got = dateparser.parse(match.text, languages=[language], settings={"RELATIVE_BASE": base})
        if got is None:
            unparsed += 1
            print(f"  unparsed: {match.text!r} (grammar: {value.edtf})")
            continue
        if value.precision == "month":
            same = (got.year, got.month) == (value.start.year, value.start.month)
        elif value.precision == "year":
            same = got.year == value.start.year
        else:
            same = got.date() in (value.start, value.end)
        if same:
            agree += 1
        else:
            differ += 1
            print(f"  differs: {match.text!r} grammar {value.edtf}, dateparser {got.date()}")
    per_call = (time.process_time() - started) * 1000 / max(1, agree + differ + unparsed)
    print(f"dateparser on the matched text: {agree} agree, {differ} differ, {unparsed} unparsed; "
          f"{per_call:.2f} ms per expression, grammar {grammar * 1000 / len(matches):.3f} ms "
          f"per expression (search included)")  # fmt: skip
    words = [("avril", "fr"), ("févr.", "fr"), ("августа", "ru"), ("мае", "ru"), ("Sept.", "en")]
    started = time.process_time()
    for word, language in words * 100:
        dateparser.parse(f"1 {word} 2024", languages=[language])
    slow = (time.process_time() - started) * 1000 / (len(words) * 100)
    started = time.process_time()
    for word, language in words * 100:
        _month_number(word, language)
    fast = (time.process_time() - started) * 1e6 / (len(words) * 100)
    print(f"a month name: dateparser {slow:.2f} ms, the grammar's table {fast:.1f} µs")


if __name__ == "__main__":
    main()
