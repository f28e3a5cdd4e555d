"""The demo corpus that `make run` loads: enough, varied, and valid."""

import re
from collections import Counter
from pathlib import Path

from django.conf import settings

from steppe.ingest.parsers import parse_path
from steppe.ingest.records import ArticleRecord, AuthorRecord, DocumentRecord
from steppe.ingest.services import collect_files

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
COVERED = {"KZ", "KG", "TJ", "TM", "UZ", "MN", "AF"}
THEMES = {
    "energie",
    "securite",
    "climat",
    "mineraux-critiques",
    "diplomatie",
    "economie",
    "eau",
    "numerique",
    "culture",
    "societe",
}


def _records():
    return [record for path in collect_files([DEMO_DIR]) for record in parse_path(path).records]


def test_demo_corpus_is_large_and_varied():
    records = _records()
    articles = [r for r in records if isinstance(r, ArticleRecord)]
    documents = [r for r in records if isinstance(r, DocumentRecord)]
    authors = [r for r in records if isinstance(r, AuthorRecord)]
    assert len(articles) + len(documents) >= 40
    assert len(documents) >= 8
    assert all(len(d.chapters) >= 5 for d in documents)
    assert Counter(a.kind for a in articles).keys() == {"news", "opinion", "analysis", "interview"}
    assert len(authors) >= 6
    assert {a.kind for a in authors} == {
        "individual",
        "association",
        "ngo",
        "professional",
        "media",
    }
    assert sum(a.featured for a in articles) == 1
    mentioned = Counter(code for r in [*articles, *documents] for code in r.countries)
    assert all(mentioned[code] >= 2 for code in COVERED), mentioned
    assert {theme for r in [*articles, *documents] for theme in r.themes} == THEMES
    usernames = {a.username for a in authors}
    assert {a.author for a in articles} <= usernames
    assert {d.contributor for d in documents} <= usernames


def test_demo_corpus_does_not_copy_the_sample_pages(seeds_dir):
    def runs(text: str, size: int = 12) -> set[str]:
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}

    seen = set().union(*(runs(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")))
    copied = {
        path.name for path in DEMO_DIR.rglob("*.*") if runs(path.read_text(encoding="utf-8")) & seen
    }
    assert copied == set()
