"""Knowledge extraction benchmark: quality on the gold set, speed and memory on synthetic items.

    .venv/bin/python bench/knowledge/run.py [--items 1000] [--words 800] [--languages fr] [--max-seconds 900]

Prints precision, recall and F1 per kind (and P/R/F1 per language) on tests/data/knowledge_gold.jsonl
and on the held-out set tests/data/knowledge/heldout.jsonl; the models' load time and
the process's resident memory once the French pipeline (and lingua, py3langid) are loaded; then
items/s over N synthetic items of about W words, on one core (BLAS threads pinned to 1). The items
are built from our own sentence templates (names, dates, places vary). Stops by itself after
--max-seconds. No database, no network.
"""

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HELDOUT_PATH = ROOT / "tests" / "data" / "knowledge" / "heldout.jsonl"

from steppe.knowledge.evaluation import GOLD_PATH, evaluate, load_gold  # noqa: E402
from steppe.knowledge.extraction import extract  # noqa: E402
from steppe.knowledge.extraction.language import detect_language  # noqa: E402
from steppe.knowledge.extraction.ner import load_models  # noqa: E402

PEOPLE = ["Kassym-Jomart Tokaïev", "Shavkat Mirziyoyev", "Sadyr Japarov", "Emomali Rahmon",
          "Serdar Berdimuhamedow", "Ukhnaagiin Khurelsukh", "Aigerim Seitkali", "Nargiza Oumarova",
          "Daniyar Asanov", "Erlan Karin", "Bolat Nurlanov", "Dilnoza Karimova"]  # fmt: skip
ORGS = ["la Banque mondiale", "la Banque asiatique de développement", "l’Union européenne",
        "l’Organisation de coopération de Shanghai", "Kazatomprom", "le Fonds monétaire international",
        "la Commission européenne", "l’Organisation des États turciques"]  # fmt: skip
PLACES = ["Astana", "Almaty", "Tachkent", "Samarcande", "Bichkek", "Douchanbé", "Achgabat", "Oulan-Bator",
          "Pékin", "Moscou", "Bakou", "Och", "Boukhara", "Termez"]  # fmt: skip
COUNTRIES = ["le Kazakhstan", "l’Ouzbékistan", "le Kirghizstan", "le Tadjikistan", "le Turkménistan",
             "la Mongolie", "la Chine", "la Russie", "la Turquie", "l’Iran"]  # fmt: skip
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]  # fmt: skip
TEMPLATES = [
    "Le {d} {m} {y}, {p} a reçu à {pl} une délégation venue de {c}.",
    "Selon {p}, {o} devrait augmenter son soutien aux projets d’infrastructure dans la région.",
    "Les {d} et {d2} {m} {y}, {pl} a accueilli une réunion consacrée à l’eau et à l’énergie.",
    "En {m} {y}, {c} et {c2} ont signé un accord sur le transit des marchandises.",
    "{o} a publié un rapport sur la croissance, qui reste soutenue malgré l’inflation.",
    "Les autorités veulent doubler la production d’électricité renouvelable d’ici {fy}.",
    "Le président kazakh et son homologue ouzbek ont évoqué la question des frontières.",
    "Depuis {y0}, les échanges commerciaux entre {c} et {c2} ont fortement progressé.",
    "Les experts interrogés jugent que la coopération régionale progresse lentement mais sûrement.",
    "Dans les villages, les habitants attendent surtout des routes, des écoles et des hôpitaux.",
    "Les investisseurs étrangers observent avec attention les réformes engagées par le gouvernement.",
    "Mardi, {p} a rappelé que la sécurité alimentaire restait une priorité nationale.",
    "Le corridor transcaspien relie désormais {pl} aux ports de la mer Noire.",
    "Plusieurs organisations non gouvernementales ont salué la décision, tout en demandant des garanties.",
]


def synthetic_item(rng: random.Random, words: int) -> tuple[str, date]:
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    sentences: list[str] = []
    count = 0
    while count < words:
        year = rng.choice([2023, 2024, 2025])
        sentence = rng.choice(TEMPLATES).format(
            d=rng.randint(1, 27), d2=rng.randint(2, 28), m=rng.choice(MONTHS), y=year, y0=year - 8,
            fy=rng.choice([2030, 2035, 2040, 2050, 2060]), p=rng.choice(PEOPLE), o=rng.choice(ORGS),
            pl=rng.choice(PLACES), c=rng.choice(COUNTRIES), c2=rng.choice(COUNTRIES),
        )  # fmt: skip
        sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "Titre de l’article sur la région\n\n" + "\n\n".join(paragraphs), published


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")

    base = rss_mb()
    started = time.monotonic()
    load_models("fr")
    detect_language("Le président kazakh a rencontré son homologue ouzbek à Samarcande.")
    print(f"French pipeline + lingua + py3langid loaded in {time.monotonic() - started:.1f} s; "
          f"RSS {rss_mb():.0f} MB (interpreter and Django-free imports before: {base:.0f} MB)")  # fmt: skip

    rng = random.Random(8)
    items = [synthetic_item(rng, args.words) for _ in range(args.items)]
    word_count = sum(len(text.split()) for text, _ in items) / len(items)
    extract(*items[0][:1], published_on=items[0][1])  # warm-up
    started = time.monotonic()
    cpu_started = time.process_time()
    done = events = entities = 0
    for text, published in items:
        result = extract(text, published_on=published)
        events += len(result.events)
        entities += len(result.entities)
        done += 1
        if time.monotonic() - started > args.max_seconds:
            print(f"stopped after {args.max_seconds:.0f} s")
            break
    elapsed = time.monotonic() - started
    cpu = time.process_time() - cpu_started
    print(f"{done} items of ~{word_count:.0f} words in {elapsed:.1f} s wall, {cpu:.1f} s CPU: "
          f"{done / elapsed:.1f} items/s wall, {done / cpu:.1f} items per CPU-second (one core, "
          f"BLAS threads pinned to 1); {events / done:.1f} events, {entities / done:.1f} entity "
          f"mentions per item; RSS {rss_mb():.0f} MB")  # fmt: skip

    if not args.skip_quality:
        started = time.monotonic()
        load_models("ru")
        print(f"Russian models loaded in {time.monotonic() - started:.1f} s; RSS {rss_mb():.0f} MB")
        for title, path in (("gold set", GOLD_PATH), ("held-out set", HELDOUT_PATH)):
            items = load_gold(path)
            print(f"\n{title}: {path.relative_to(ROOT)} ({len(items)} items)")
            print(f"{'kind':<15}{'precision':>10}{'recall':>10}{'F1':>10}{'gold':>7}{'found':>7}")
            for kind, score in evaluate(items).items():
                print(f"{kind:<15}{score.precision:>10.3f}{score.recall:>10.3f}{score.f1:>10.3f}"
                      f"{score.expected:>7}{score.predicted:>7}")  # fmt: skip
            for language in ("fr", "en", "ru"):
                subset = [item for item in items if item["language"] == language]
                scores = evaluate(subset)
                print(f"  {language} ({len(subset)} items): " + ", ".join(
                    f"{kind} {s.precision:.2f}/{s.recall:.2f}/{s.f1:.2f}" for kind, s in scores.items()
                ))  # fmt: skip
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
