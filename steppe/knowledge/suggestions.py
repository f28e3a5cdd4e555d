"""Cheap text matching behind the editor's suggestions: themes from curated keywords, registry names.

Runs in the web process on every request of the editor's suggestion fragment, so it must stay cheap
and load no language model: words go through the search app's analysis (`steppe.search.analysis`:
folding, Snowball stems for French, English and Russian) for themes, and through the registry's
`entity_key` for names. No database access here (see `selectors.editor_suggestions`).

Hand-written rather than a library: the keyword lists are ours (`data/theme_keywords.json`), the
matching is a set lookup per word, and reusing the search analysis keeps "what a theme word is" the
same as what the search engine matches.
"""

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

from steppe.search.analysis import STOP_WORDS, fold, query_word_terms, word_terms

from .extraction.text import entity_key

THEME_KEYWORDS_PATH = Path(__file__).resolve().parent / "data" / "theme_keywords.json"
MAX_TEXT_CHARS = 250_000  # the editor's body is capped at 200,000 characters
MAX_NAME_WORDS = 4
MAX_NAME_CANDIDATES = 3_000

_WORD = re.compile(r"[^\W_]+")
_SENTENCE_BREAK = re.compile(r"[.!?;:…\n]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Russian case endings tried off the last word of a name ("Токаева", "Назарбаевым" → "Токаев").
_RU_ENDINGS = ("ыми", "ами", "ями", "ому", "ему", "ого", "его", "ой", "ей", "ом", "ем", "ым", "им",
               "ую", "юю", "а", "я", "у", "ю", "е", "ы")  # fmt: skip


@cache
def theme_keywords() -> dict[str, list[tuple[str, ...]]]:
    """Theme slug → keywords, each as the tuple of stems its words must match in order."""
    data = json.loads(THEME_KEYWORDS_PATH.read_text(encoding="utf-8"))
    keywords: dict[str, list[tuple[str, ...]]] = {}
    for slug, languages in data.items():
        if slug.startswith("_"):
            continue
        seen: set[tuple[str, ...]] = set()
        for language, phrases in languages.items():
            for phrase in phrases:
                stems = tuple(
                    terms[0]
                    for word in _WORD.findall(phrase)
                    if (terms := word_terms(word, language))
                )
                if stems and stems not in seen:
                    seen.add(stems)
        keywords[slug] = sorted(seen)
    return keywords


def _term_stream(text: str) -> list[frozenset[str] | None]:
    """The text's words as the terms each may match (any language), None at a sentence break.

    Stop words are left out, so that "ministre des Affaires étrangères" matches its keyword whatever
    the articles in between.
    """
    stream: list[frozenset[str] | None] = []
    for sentence in _SENTENCE_BREAK.split(text):
        for word in _WORD.findall(sentence):
            terms = query_word_terms(word)
            if terms:
                stream.append(frozenset(terms))
        stream.append(None)
    return stream


def theme_scores(text: str) -> Counter:
    """How many times each theme's keywords occur in `text` (theme slug → count)."""
    stream = _term_stream((text or "")[:MAX_TEXT_CHARS])
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for slug, keywords in theme_keywords().items():
        for stems in keywords:
            by_first.setdefault(stems[0], []).append((slug, stems))
    scores: Counter = Counter()
    for index, terms in enumerate(stream):
        if terms is None:
            continue
        for term in terms:
            for slug, stems in by_first.get(term, ()):
                following = stream[index + 1 : index + len(stems)]
                if len(following) == len(stems) - 1 and all(
                    nxt is not None and stem in nxt
                    for nxt, stem in zip(following, stems[1:], strict=True)
                ):
                    scores[slug] += 1
    return scores


def name_candidates(text: str) -> Counter:
    """Registry keys a name in `text` may have (key → occurrences): runs of 1 to 4 words that start
    with a capital letter, plus, for Cyrillic, the same run with a case ending taken off its last
    word. Lower-case words only continue a run ("Banque mondiale"), never start one."""
    text = (text or "")[:MAX_TEXT_CHARS]
    candidates: Counter = Counter()
    for sentence in _SENTENCE_BREAK.split(text):
        words = _WORD.findall(sentence)
        stop = [fold(word) in STOP_WORDS for word in words]
        for start, first in enumerate(words):
            if not first[0].isupper():
                continue
            # "Le Monde" may be a name, "Le 4 avril" or "La sécheresse" not.
            if stop[start] and not (start + 1 < len(words) and words[start + 1][0].isupper()):
                continue
            for end in range(start + 1, min(start + MAX_NAME_WORDS, len(words)) + 1):
                if stop[end - 1] and end - 1 > start:
                    continue  # "Kazakhstan a", "Banque de": no name ends with a function word
                run = words[start:end]
                key = entity_key(" ".join(run))
                if len(key) >= 3:
                    candidates[key] += 1
                last = run[-1]
                if _CYRILLIC.search(last):
                    for ending in _RU_ENDINGS:
                        if last.endswith(ending) and len(last) - len(ending) >= 3:
                            stem_key = entity_key(" ".join([*run[:-1], last[: -len(ending)]]))
                            if stem_key != key:
                                candidates[stem_key] += 1
                            break
            if len(candidates) > MAX_NAME_CANDIDATES:
                return candidates
    return candidates
