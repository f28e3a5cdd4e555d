"""Countries named in a text: names, adjectives, demonyms and cities, in French, English and Russian.

A longest-match scan of word n-grams against `data/gazetteer.json` (built by
`data/build_gazetteer.py`). Proper names must start with a capital ("Turkey", not "turkey"),
abbreviations must match exactly ("US", not "us"), adjectives match in any case ("kazakh",
"Kazakhs").
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .text import fold

GAZETTEER_PATH = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json"
MAX_WORDS = 5
# Words of a multi-word name are separated by spaces, hyphens or apostrophes only.
_TOKEN = re.compile(r"\w+", re.UNICODE)
_JOINER = re.compile(r"^[\s\-‐–’'.]{0,2}$")


@dataclass(frozen=True)
class GazetteerEntry:
    code: str
    kind: str  # name, adjective, city, abbreviation
    case: str  # capital, any, exact
    canonical: str  # a city's name (empty for the rest)


@dataclass(frozen=True)
class CountryHit:
    code: str
    start: int
    end: int
    surface: str
    kind: str
    city: str = ""


@cache
def gazetteer() -> dict[str, tuple[GazetteerEntry, ...]]:
    """Key (folded words joined by a space, or the exact form) → entries; loaded once."""
    rows = json.loads(GAZETTEER_PATH.read_text(encoding="utf-8"))["rows"]
    table: dict[str, list[GazetteerEntry]] = {}
    for key, code, kind, case, canonical in rows:
        table.setdefault(key, []).append(GazetteerEntry(code, kind, case, canonical))
    return {key: tuple(entries) for key, entries in table.items()}


def _accepts(entry: GazetteerEntry, surface_words: list[str], key: str) -> bool:
    if entry.case == "exact":
        return " ".join(surface_words) == key
    if entry.case == "capital":
        return surface_words[0][:1].isupper()
    return True


@cache
def _first_words() -> dict[str, int]:
    """First word of every key → the longest key starting with it, in words (a cheap pre-filter)."""
    longest: dict[str, int] = {}
    for key in gazetteer():
        words = key.split()
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


def find_countries(text: str) -> list[CountryHit]:
    """Every country mention in `text`, left to right, longest match first."""
    table = gazetteer()
    first_words = _first_words()
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    hits: list[CountryHit] = []
    index = 0
    count = len(tokens)
    while index < count:
        word = tokens[index][2]
        longest = max(first_words.get(fold(word), 0), first_words.get(word, 0))
        if not longest:
            index += 1
            continue
        matched = None
        for size in range(min(longest, count - index), 0, -1):
            window = tokens[index : index + size]
            if size > 1 and not all(
                _JOINER.match(text[window[i][1] : window[i + 1][0]]) for i in range(size - 1)
            ):
                continue
            words = [token[2] for token in window]
            folded = " ".join(fold(word) for word in words)
            for key in (folded, " ".join(words)):
                for entry in table.get(key, ()):
                    if _accepts(entry, words, key):
                        matched = (size, entry)
                        break
                if matched:
                    break
            if matched:
                break
        if matched:
            size, entry = matched
            start, end = tokens[index][0], tokens[index + size - 1][1]
            hits.append(
                CountryHit(entry.code, start, end, text[start:end], entry.kind, entry.canonical)
            )
            index += size
        else:
            index += 1
    return hits


def city_of(surface: str) -> GazetteerEntry | None:
    """The gazetteer's city entry for a whole span ("Samarcande", "в Самарканде" → None)."""
    words = _TOKEN.findall(surface)
    key = " ".join(fold(word) for word in words)
    for entry in gazetteer().get(key, ()):
        if entry.kind == "city":
            return entry
    return None


def country_of(surface: str) -> GazetteerEntry | None:
    """The gazetteer's entry when a whole span names a country or a city."""
    words = _TOKEN.findall(surface)
    if not words:
        return None
    key = " ".join(fold(word) for word in words)
    for candidate in (key, " ".join(words)):
        for entry in gazetteer().get(candidate, ()):
            if _accepts(entry, words, candidate):
                return entry
    return None
