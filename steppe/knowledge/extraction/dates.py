"""Date expressions in French, English and Russian, as EDTF-style values.

A grammar of our own rather than `dateparser.search_dates`, which finds dates in "sa" or "environ 70",
reads "10/01/2026" as October, turns "en 2025" into a day and loses the range in "Les 6 et 7 juin
2024". Each pattern below names what it captured (days, months, years, a weekday, a relative word, a
target marker); `_value` turns that into a `DateValue`. Month names are normalised by the closed tables
below. dateparser was measured as the normaliser of what the grammar matched (`bench/knowledge/
dateparser_normalise.py`) and dropped: it parsed none of the ranges, read "В 2023 году" as year 1
and "en juin" in a past sentence as a day, cost ~4 ms per match against ~0.1 ms for the grammar's
search and normalisation together, and ~19 MB in the worker.

Values: `2025-04-04` (day), `2024-06-06/2024-06-07` (day range), `2024-09` (month), `2024` (year).
A day or month without a year takes the year of the reference date (the item's publication) that puts it
nearest, or the next one when the sentence speaks of the future. Recurring dates ("chaque 1er mai"),
durations ("depuis 2005") and decades ("les années 2000") are not events.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .text import fold


@dataclass(frozen=True)
class DateValue:
    edtf: str
    precision: str  # day, month, year
    start: date
    end: date
    is_future_target: bool = False


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: DateValue


_MONTH_STEMS = {
    "fr": [("janv", 1), ("fevr", 2), ("mars", 3), ("avr", 4), ("mai", 5), ("juin", 6), ("juil", 7),
           ("aou", 8), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12)],
    "en": [("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7),
           ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12)],
    "ru": [("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6), ("июл", 7),
           ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12)],
}  # fmt: skip
_WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "ru": ["понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень"],
}


def _month_number(word: str, language: str) -> int:
    folded = fold(word).rstrip(".")
    for stem, number in _MONTH_STEMS[language]:
        if folded.startswith(stem):
            return number
    raise ValueError(word)


def _weekday_number(word: str, language: str) -> int:
    folded = fold(word)
    for number, stem in enumerate(_WEEKDAYS[language]):
        if folded.startswith(stem):
            return number
    raise ValueError(word)


_YEAR = r"(?:1[89]\d\d|20\d\d)"
_FR_MONTH = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre|janv\.|f[ée]vr\.|avr\.|juil\.|sept\.|oct\.|nov\.|d[ée]c\.)"
)
_FR_DAY = r"(?:1er|premier|[12]\d|3[01]|0?[1-9])"
_FR_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_EN_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_EN_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_RU_MONTH_GEN = (
    r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
)
_RU_MONTH_PREP = (
    r"(?:январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
)
_RU_MONTH_NOM = (
    r"(?:январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь)"
)
_RU_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_RU_YEAR_WORD = r"(?:\s*(?:года|году|год|г\.))?"
_RANGE = r"\s*(?:-|–|—|‑)\s*"

_FR = [
    # du 28 février au 2 mars 2025
    rf"\b(?:du\s+)?(?P<d1>{_FR_DAY})\s+(?P<m1>{_FR_MONTH})(?:\s+(?P<y1>{_YEAR}))?\s+(?:au|-|–)\s+"
    rf"(?P<d2>{_FR_DAY})\s+(?P<m2>{_FR_MONTH})(?:\s+(?P<y2>{_YEAR}))?",
    # les 6 et 7 juin 2024, du 3 au 5 mars, 6-7 juin
    rf"\b(?:(?:les|du)\s+)?(?:{_FR_WEEKDAY}\s+)?(?P<d1>{_FR_DAY})(?:\s+et\s+|\s+au\s+|{_RANGE})"
    rf"(?:{_FR_WEEKDAY}\s+)?(?P<d2>{_FR_DAY})\s+(?P<m1>{_FR_MONTH})(?:\s+(?P<y1>{_YEAR}))?",
    # le (mardi) 4 avril 2025
    rf"\b(?:le\s+)?(?:{_FR_WEEKDAY}\s+)?(?P<d1>{_FR_DAY})\s+(?P<m1>{_FR_MONTH})(?:\s+(?P<y1>{_YEAR}))?",
    # 04/04/2025 (French order)
    rf"\b(?P<d1>[0-3]?\d)[/.](?P<mn>[01]?\d)[/.](?P<y1>{_YEAR})\b",
    # d'ici 2060, d'ici à la fin de 2030, à l'horizon 2040, jusqu'en 2030
    rf"\b(?P<target>d['’]ici(?:\s+à)?(?:\s+(?:la\s+)?fin(?:\s+de(?:\s+l['’]année)?)?)?|"
    rf"à\s+l['’]horizon(?:\s+de)?|horizon|jusqu['’](?:en|à))\s+(?:(?P<m1t>{_FR_MONTH})\s+)?(?P<y1>{_YEAR})",
    # en septembre 2024, début mars 2025, septembre 2024
    rf"\b(?:(?:en|au\s+mois\s+d['e]\s*|début|fin|mi-|courant|depuis)\s*)?(?P<m1>{_FR_MONTH})\s+(?P<y1>{_YEAR})",
    # en septembre (year from the reference)
    rf"\b(?:en|au\s+mois\s+d['e]\s*|(?:au\s+)?début|(?:à\s+la\s+)?fin|mi-)\s*(?P<m1>{_FR_MONTH})\b",
    # en 2024, courant 2024, au cours de l'année 2024 ; "depuis" and "années" are filtered later
    rf"\b(?:en|courant|au\s+cours\s+de\s+l['’]année|depuis|(?:l['’])?année|années)\s+(?P<y1>{_YEAR})\b",
    # Only day-level relative words: "cette année" or "l'an dernier" place nothing on a timeline.
    r"\b(?P<rel>avant-hier|hier|aujourd['’]hui|demain)\b",
    rf"\b(?:ce\s+)?(?P<wd>{_FR_WEEKDAY})(?:\s+(?P<wdir>dernier|prochain))?\b",
]
_EN = [
    rf"\b(?:from\s+|on\s+)?(?P<m1>{_EN_MONTH})\s+(?P<d1>{_EN_DAY})\s*(?:-|–|to|until|and)\s*(?P<d2>{_EN_DAY}),?(?:\s+(?P<y1>{_YEAR}))?",
    rf"\b(?:from\s+)?(?P<d1>{_EN_DAY})\s+(?P<m1>{_EN_MONTH})\s+(?:to|until|-|–)\s+(?P<d2>{_EN_DAY})\s+(?P<m2>{_EN_MONTH})(?:\s+(?P<y1>{_YEAR}))?",
    rf"\b(?:from\s+|on\s+)?(?P<d1>{_EN_DAY})(?:\s*(?:-|–|to|until|and)\s*)(?P<d2>{_EN_DAY})\s+(?P<m1>{_EN_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?",
    rf"\b(?:on\s+)?(?:{_EN_WEEKDAY},?\s+)?(?P<d1>{_EN_DAY})\s+(?:of\s+)?(?P<m1>{_EN_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?",
    rf"\b(?:on\s+)?(?:{_EN_WEEKDAY},?\s+)?(?P<m1>{_EN_MONTH})\s+(?P<d1>{_EN_DAY})\b(?:,?\s+(?P<y1>{_YEAR}))?",
    rf"\b(?P<y1>{_YEAR})-(?P<mn>[01]\d)-(?P<d1>[0-3]\d)\b",
    rf"\b(?P<target>by(?:\s+the\s+end\s+of)?|until|no\s+later\s+than)\s+(?:(?P<m1t>{_EN_MONTH})\s+)?(?P<y1>{_YEAR})\b",
    rf"\b(?:(?:in|early|late|mid-|since)\s*)?(?P<m1>{_EN_MONTH})\s+(?P<y1>{_YEAR})",
    rf"\b(?:in|since)\s+(?:early\s+|late\s+|mid-)?(?P<m1>{_EN_MONTH})\b",
    rf"\b(?:in|since|during)\s+(?P<y1>{_YEAR})\b(?!s)",
    r"\b(?P<rel>yesterday|today|tomorrow)\b",
    rf"\b(?:on\s+|last\s+|next\s+|this\s+)?(?P<wd>{_EN_WEEKDAY})\b",
]
_RU = [
    rf"(?<!\w)(?:с\s+)?(?P<d1>{_RU_DAY})\s+(?P<m1>{_RU_MONTH_GEN})\s+(?:по|до|-|–)\s+(?P<d2>{_RU_DAY})\s+(?P<m2>{_RU_MONTH_GEN})(?:\s+(?P<y1>{_YEAR}){_RU_YEAR_WORD})?",
    rf"(?<!\w)(?:с\s+)?(?P<d1>{_RU_DAY})(?:\s+(?:и|по|до)\s+|{_RANGE})(?P<d2>{_RU_DAY})\s+(?P<m1>{_RU_MONTH_GEN})(?:\s+(?P<y1>{_YEAR}){_RU_YEAR_WORD})?",
    rf"(?<!\w)(?P<d1>{_RU_DAY})\s+(?P<m1>{_RU_MONTH_GEN})(?:\s+(?P<y1>{_YEAR}){_RU_YEAR_WORD})?",
    rf"(?<!\w)(?P<d1>[0-3]?\d)\.(?P<mn>[01]?\d)\.(?P<y1>{_YEAR})(?!\w)",
    rf"(?<!\w)(?P<target>к(?:\s+концу)?|до(?:\s+конца)?)\s+(?P<y1>{_YEAR})\s*(?:года|году|г\.)",
    rf"(?<!\w)(?:в|с)\s+(?P<m1>{_RU_MONTH_PREP}|{_RU_MONTH_GEN})(?:\s+(?P<y1>{_YEAR}){_RU_YEAR_WORD})?",
    rf"(?<!\w)(?P<m1>{_RU_MONTH_NOM})\s+(?P<y1>{_YEAR}){_RU_YEAR_WORD}",
    rf"(?<!\w)(?:в|с)\s+(?P<y1>{_YEAR})\s*(?:году|года|г\.)",
    r"(?<!\w)(?P<rel>позавчера|вчера|сегодня|завтра)(?!\w)",
    r"(?<!\w)(?:в|во)\s+(?:прошл\w+\s+|эт\w+\s+|следующ\w+\s+)?(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?!\w)",
]
_PATTERNS = {
    language: [re.compile(pattern, re.IGNORECASE) for pattern in patterns]
    for language, patterns in (("fr", _FR), ("en", _EN), ("ru", _RU))
}
# English month names are capitalised; "may" and "march" in lower case are verbs.
_CASE_SENSITIVE_MONTHS = {"en"}

_RECURRING = re.compile(
    r"(?:chaque|tous\s+les|toutes\s+les|every|each|каждый|каждое|каждую|ежегодно)\s*$",
    re.IGNORECASE,
)
_DURATION = re.compile(r"(?:depuis|since|с)\s*$", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:\w+(?:era|eront|ira|iront|dra|dront)|sera|seront|aura|auront|prochain\w*|à venir|"
    r"will|shall|upcoming|next|будет|будут|состоится|пройд[её]т|планиру\w+)\b",
    re.IGNORECASE,
)


def _nearest_year(month: int, day: int, reference: date, future: bool) -> int:
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, min(day, calendar.monthrange(year, month)[1])))
        except ValueError:
            continue
    if future:
        ahead = [d for d in candidates if d >= reference - timedelta(days=3)]
        if ahead:
            return ahead[0].year
    return min(candidates, key=lambda d: abs((d - reference).days)).year


def _day(year: int, month: int, day: int) -> DateValue:
    value = date(year, month, day)
    return DateValue(value.isoformat(), "day", value, value)


def _month(year: int, month: int, *, target: bool = False) -> DateValue:
    last = calendar.monthrange(year, month)[1]
    return DateValue(
        f"{year:04d}-{month:02d}", "month", date(year, month, 1), date(year, month, last), target
    )


def _year(year: int, *, target: bool = False) -> DateValue:
    return DateValue(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31), target)


def _day_number(text: str) -> int:
    text = text.lower().rstrip("erstndh")
    return 1 if text in ("", "premi") or text.startswith("premi") else int(text)


def _value(groups: dict, language: str, reference: date | None, future: bool) -> DateValue | None:
    def year_for(month: int, day: int = 1) -> int | None:
        explicit = groups.get("y1") or groups.get("y2")
        if explicit:
            return int(explicit)
        return _nearest_year(month, day, reference, future) if reference else None

    if groups.get("rel"):
        return _relative(fold(groups["rel"]), reference)
    if groups.get("wd"):
        return _weekday(groups["wd"], groups.get("wdir") or "", language, reference, future)
    if groups.get("target"):
        if groups.get("m1t"):
            return _month(int(groups["y1"]), _month_number(groups["m1t"], language), target=True)
        if reference and int(groups["y1"]) < reference.year:
            return None
        return _year(int(groups["y1"]), target=True)
    month = None
    if groups.get("m1"):
        month = _month_number(groups["m1"], language)
    elif groups.get("mn"):
        month = int(groups["mn"])
    if groups.get("d1") and month:
        day = _day_number(groups["d1"])
        year = year_for(month, day)
        if year is None:
            return None
        if groups.get("d2"):
            month2 = _month_number(groups["m2"], language) if groups.get("m2") else month
            year2 = int(groups["y2"]) if groups.get("y2") else year
            if not groups.get("y2") and month2 < month:
                year2 = year + 1
            start, end = date(year, month, day), date(year2, month2, _day_number(groups["d2"]))
            if end < start:
                return None
            return DateValue(f"{start.isoformat()}/{end.isoformat()}", "day", start, end)
        return _day(year, month, day)
    if month:
        year = year_for(month)
        return _month(year, month) if year else None
    if groups.get("y1"):
        return _year(int(groups["y1"]))
    return None


def _relative(word: str, reference: date | None) -> DateValue | None:
    if reference is None:
        return None
    offsets = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "позавчера": -2,
               "вчера": -1, "сегодня": 0, "завтра": 1, "yesterday": -1, "today": 0, "tomorrow": 1}  # fmt: skip
    word = " ".join(word.replace("’", "'").split())
    if word in offsets:
        value = reference + timedelta(days=offsets[word])
        return _day(value.year, value.month, value.day)
    if word.startswith(("le mois", "last month", "next month")):
        step = -1 if ("dernier" in word or "last" in word) else 1
        month_index = reference.year * 12 + reference.month - 1 + step
        return _month(month_index // 12, month_index % 12 + 1)
    if any(k in word for k in ("dernier", "derniere", "passe", "last", "прошлом")):
        return _year(reference.year - 1)
    if any(k in word for k in ("prochain", "next", "следующем")):
        return _year(reference.year + 1)
    return _year(reference.year)


def _weekday(
    word: str, direction: str, language: str, reference: date | None, future: bool
) -> DateValue | None:
    if reference is None:
        return None
    weekday = _weekday_number(word, language)
    if direction.lower().startswith("prochain") or future:
        delta = (weekday - reference.weekday()) % 7 or 7
    else:
        delta = -((reference.weekday() - weekday) % 7)
    value = reference + timedelta(days=delta)
    return _day(value.year, value.month, value.day)


def find_dates(text: str, language: str, reference: date | None = None) -> list[DateMatch]:
    """Date expressions of `text` (one sentence), left to right, without overlaps."""
    patterns = _PATTERNS.get(language)
    if not patterns:
        return []
    future = bool(_FUTURE.search(text))
    candidates: list[tuple[int, int, dict]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            groups = {k: v for k, v in match.groupdict().items() if v}
            if language in _CASE_SENSITIVE_MONTHS:
                month_words = [groups.get(k) for k in ("m1", "m2", "m1t") if groups.get(k)]
                weekday = groups.get("wd")
                if any(not w[0].isupper() for w in month_words) or (
                    weekday and not weekday[0].isupper()
                ):
                    continue
            candidates.append((match.start(), match.end(), groups))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    found: list[DateMatch] = []
    last_end = -1
    for start, end, groups in candidates:
        if start < last_end:
            continue
        matched = text[start:end]
        before = text[max(0, start - 40) : start]
        lowered = fold(matched)
        if (
            _RECURRING.search(before)
            or lowered.startswith("annees")
            or (
                (lowered.startswith(("depuis", "since", "с ")) or _DURATION.search(before))
                and not groups.get("d2")
            )
            or (lowered.startswith(("annee ", "l'annee ")) and "au cours" not in lowered)
        ):
            last_end = end
            continue
        try:
            value = _value(groups, language, reference, future)
        except ValueError:
            value = None
        last_end = end
        if value is not None:
            found.append(DateMatch(start, end, matched, value))
    return found
