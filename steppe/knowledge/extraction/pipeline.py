"""One call from an item's text to its language, countries, entities and dated events."""

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from .countries import CountryHit, find_countries
from .dates import DateValue, find_dates
from .language import SERVED, detect_language
from .ner import ORGANISATION, PLACE, EntitySpan, find_entities
from .text import CYRILLIC, LATIN, Sentence, split_sentences, strip_page_structure

logger = logging.getLogger("steppe.knowledge.extraction")

MAX_CHARS = 300_000  # ~50,000 words; beyond that only the beginning is analysed (and it is logged)
MAX_SUMMARY = 240
EXTRACTOR_VERSION = 2  # bump when a change should make `extract --all` redo unchanged items


@dataclass(frozen=True)
class EventHit:
    value: DateValue
    date_text: str
    sentence: Sentence
    summary: str
    place: str
    countries: tuple[str, ...]
    entity_keys: tuple[tuple[str, str], ...]  # (kind, key)


@dataclass
class Extraction:
    language: str
    language_reason: str
    countries: list[CountryHit] = field(default_factory=list)
    entities: list[EntitySpan] = field(default_factory=list)
    events: list[EventHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def country_codes(self) -> list[str]:
        """Codes by number of mentions, most mentioned first."""
        counts: dict[str, int] = {}
        for hit in self.countries:
            counts[hit.code] = counts.get(hit.code, 0) + 1
        return sorted(counts, key=lambda code: (-counts[code], code))


def extract(
    text: str,
    *,
    language: str | None = None,
    published_on: date | None = None,
    entities: bool = True,
) -> Extraction:
    """Analyse `text`; offsets in the result point into `text`. Never raises on odd input."""
    notes: list[str] = []
    text = text or ""
    if not text.strip():
        _note(notes, "empty text")
        return Extraction("", "empty text", notes=notes)
    if len(text) > MAX_CHARS:
        _note(notes, f"text of {len(text)} characters: only the first {MAX_CHARS} analysed")
        text = text[:MAX_CHARS]
    cleaned = strip_page_structure(text)
    guess = detect_language(cleaned)
    code, reason = guess.code, guess.reason
    if not guess.is_served and language in SERVED and not code:
        code, reason = language, f"declared ({guess.reason})"
    elif code and language and code != language:
        _note(notes, f"declared language {language}, detected {code}")
    latin, cyrillic = len(LATIN.findall(cleaned)), len(CYRILLIC.findall(cleaned))
    if min(latin, cyrillic) > 0.2 * (latin + cyrillic):
        _note(notes, f"mixed scripts ({latin} Latin, {cyrillic} Cyrillic letters)")
    result = Extraction(code, reason, notes=notes)
    result.countries = find_countries(cleaned)
    if code not in SERVED:
        _note(notes, f"language {code or 'unknown'} not served ({reason}): countries only")
        return result
    sentences = split_sentences(cleaned)
    if entities:
        result.entities = find_entities(cleaned, code, sentences, result.countries)
        # A city inside an organisation's name ("Organisation de coopération de Shanghai",
        # "Air Astana") does not place the item in that city's country.
        organisations = [(e.start, e.end) for e in result.entities if e.kind == ORGANISATION]
        result.countries = [
            hit
            for hit in result.countries
            if not (
                hit.kind == "city"
                and any(s <= hit.start and hit.end <= e for s, e in organisations)
            )
        ]
    if published_on is None:
        _note(notes, "no publication date: dates without a year are skipped")
    result.events = _events(cleaned, code, published_on, sentences, result)
    return result


def _note(notes: list[str], message: str) -> None:
    notes.append(message)
    logger.info("extraction: %s", message)


def _events(
    text: str, language: str, reference: date | None, sentences: list[Sentence], result: Extraction
) -> list[EventHit]:
    events = []
    for sentence in sentences:
        matches = find_dates(sentence.text, language, reference)
        if not matches:
            continue
        match = matches[0]
        low, high = sentence.start, sentence.end
        inside = [e for e in result.entities if low <= e.start < high]
        hits = [h for h in result.countries if low <= h.start < high]
        places = [e.name for e in inside if e.kind == PLACE] or [h.city for h in hits if h.city]
        countries = tuple(dict.fromkeys(h.code for h in hits))
        keys = tuple(dict.fromkeys((e.kind, e.key) for e in inside if e.kind != PLACE))
        events.append(
            EventHit(
                value=match.value,
                date_text=match.text,
                sentence=sentence,
                summary=_summary(sentence.text, match.start, match.end),
                place=places[0] if places else "",
                countries=countries,
                entity_keys=keys,
            )
        )
    return events


def _summary(sentence: str, date_start: int, date_end: int) -> str:
    """The sentence on one line, without a leading date ("Le 4 avril 2025, …")."""
    if date_start <= 3:
        sentence = re.sub(r"^[\s,;:–—-]+", "", sentence[date_end:])
    sentence = " ".join(sentence.split())
    if len(sentence) > MAX_SUMMARY:
        sentence = sentence[: MAX_SUMMARY - 1].rsplit(" ", 1)[0] + "…"
    return sentence[:1].upper() + sentence[1:]
