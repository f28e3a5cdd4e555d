"""Text helpers shared by the extractors: folding, transliteration, tokens, sentences, page chrome.

Pure Python, no Django. Every offset the extractors return points into the text given to
`strip_page_structure`, which blanks chrome out with spaces instead of cutting it, so offsets stay valid
in the item's own text.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_LATIN_ACCENTED = {
    chr(code): unicodedata.normalize("NFKD", chr(code))[0]
    for code in range(0xC0, 0x250)
    if unicodedata.normalize("NFKD", chr(code))[0].isascii()
}
_LATIN_ACCENTED.update({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_FOLD_TABLE = str.maketrans({**_LATIN_ACCENTED, "ё": "е", "’": "'", "ʼ": "'", "‘": "'"})

# Simplified BGN-like Cyrillic → Latin, so that "Токаев" and "Tokayev" meet in one key space.
_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k",
        "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j",
    }
)  # fmt: skip

WORD = re.compile(r"\w+", re.UNICODE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@lru_cache(maxsize=100_000)
def fold(value: str) -> str:
    """Lower-case and strip Latin accents, keep Cyrillic letters ("Tokaïev" → "tokaiev", "й" kept)."""
    return value.lower().translate(_FOLD_TABLE)


@lru_cache(maxsize=100_000)
def entity_key(value: str) -> str:
    """The key entities are matched on: folded, transliterated to Latin, words joined by one space.

    Spelling variants then differ by a letter or two ("tokaev", "tokayev", "tokaiev"), which the
    fuzzy matcher absorbs.
    """
    words = WORD.findall(transliterate(value.lower()).translate(_FOLD_TABLE))
    return " ".join(words)


_VOWELS_RU = frozenset("аеёиоуыэюяъь")


def transliterate(value: str) -> str:
    """Cyrillic → Latin as English-language news spell names ("Токаев" → "tokayev", "Мирзиёев" →
    "mirziyoyev"): е and ё are "ye"/"yo" at the start of a word and after a vowel."""
    if not CYRILLIC.search(value):
        return value
    out = []
    previous = " "
    for char in value:
        if char in "её" and (previous in _VOWELS_RU or not previous.isalpha()):
            out.append("ye" if char == "е" else "yo")
        elif char == "ё":
            out.append("e")
        else:
            out.append(char.translate(_TRANSLIT))
        previous = char
    return "".join(out)


def is_title_token(token: str) -> bool:
    return bool(token) and token[0].isupper()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_ABBREVIATIONS = frozenset(
    """m mm mme mmes dr pr st ste etc cf p pp no n° vol art av jc mr mrs ms prof gen gov sen rep
    inc ltd jr sr vs fig г гг ул им т тыс млн млрд руб стр""".split()  # noqa: SIM905 (a word list reads better as text)
)
_INITIALS = re.compile(r"^[(«\"]?(?:[A-ZÀ-ÞА-ЯЁ]\.-?){0,3}[A-ZÀ-ÞА-ЯЁ]$")
_SENTENCE_END = re.compile(r"[.!?…]+[»\"”’)]*\s+|\n\s*")


def split_sentences(text: str) -> list[Sentence]:
    """Split on sentence punctuation and line breaks, not after abbreviations or initials.

    Hand-written: razdel's sentenizer is Russian-tuned and several times slower on long items;
    the rules needed here (keep "M. Tokaïev" and "K.-J. Tokaïev" together) are few.
    """
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        boundary = match.start()
        chunk = text[start:boundary]
        if "\n" not in match.group():
            previous = chunk.rsplit(None, 1)[-1] if chunk.strip() else ""
            previous_word = previous.rstrip(".").lstrip('(«"').lower()
            following = text[match.end() : match.end() + 1]
            if (
                previous_word in _ABBREVIATIONS
                or _INITIALS.match(previous)
                or (following and following.islower())
                or (previous_word.replace(".", "").isdigit() and following.isdigit())
            ):
                continue
        _append_sentence(sentences, text, start, match.end())
        start = match.end()
    _append_sentence(sentences, text, start, len(text))
    return sentences


def _append_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    offset = start + (len(chunk) - len(chunk.lstrip()))
    sentences.append(Sentence(offset, offset + len(stripped), stripped))


# Lines that are page furniture rather than prose: navigation, bylines, share buttons, dates alone.
_CHROME_LINE = re.compile(
    r"""^\s*(?:
        (?:files|fichiers|documents?|bibliothèque|library)\s*/.*
      | (?:detail|détails?|details|published|publié(?:\s+le)?|mis\s+à\s+jour|updated|
           partager|share|imprimer|print|lire\s+aussi|read\s+also|see\s+also|voir\s+aussi|
           souligné|tags?|mots-clés|sommaire|contents|table\s+des\s+matières|
           télécharger|download|pdf|accueil|home|menu|rechercher|search|
           abonnez-vous|subscribe|newsletter|cookies?|опубликовано|поделиться|читайте\s+также)
        \s*[:\-–]?\s*(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4})?\s*
      | \d{1,2}[/.]\d{1,2}[/.]\d{2,4}
      | \d+\s*/\s*\d+
      | (?:chapitre|chapter|глава)\s+\d+.*
      | [©®].*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMBERED_HEADING = re.compile(r"^\s*\d{1,2}\s*[.)]\s+\S.{0,150}$")


def strip_page_structure(text: str) -> str:
    """Blank out page chrome lines (same length, so offsets survive) and close headings.

    A line without final punctuation (a title, a chapter heading) gets its line break kept, so that
    the sentence splitter and NER never glue it to the next paragraph.
    """
    lines = text.split("\n")
    cleaned = []
    for line in lines:
        if _CHROME_LINE.match(line) or (
            _NUMBERED_HEADING.match(line) and not line.rstrip().endswith((".", "!", "?"))
        ):
            cleaned.append(" " * len(line))
        else:
            cleaned.append(line)
    return "\n".join(cleaned)


_SKELETON_RULES = [("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ts", "c"), ("sh", "s"), ("ch", "c"),
                   ("yo", "o"), ("ye", "e"), ("ya", "a"), ("yu", "u"), ("iy", "i"), ("y", "i"),
                   ("q", "k"), ("w", "v"), ("x", "ks")]  # fmt: skip
_DOUBLE = re.compile(r"(\w)\1+")


@lru_cache(maxsize=100_000)
def skeleton(key: str) -> str:
    """A rougher key for fuzzy matching across transliterations ("kasym zhomart tokayev" and
    "kassym jomart tokaiev" both give "kasim jomart tokaev")."""
    for source, target in _SKELETON_RULES:
        key = key.replace(source, target)
    return _DOUBLE.sub(r"\1", key)
