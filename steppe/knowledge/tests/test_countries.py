import pytest

from steppe.knowledge.extraction.countries import find_countries


def codes(text: str) -> list[str]:
    return [hit.code for hit in find_countries(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Kazakhstan et l’Ouzbékistan", ["KZ", "UZ"]),
        ("le président kazakh et les Kirghizes", ["KZ", "KG"]),
        ("une délégation ouzbèke à Oulan-Bator", ["UZ", "MN"]),
        ("Arrivée à Astana puis à Pékin", ["KZ", "CN"]),
        ("Президент Казахстана прибыл в Монголию", ["KZ", "MN"]),
        ("в Монголии, в Пекине и в Ташкенте", ["MN", "CN", "UZ"]),
        ("казахстанского бизнеса и туркменский газ", ["KZ", "TM"]),
        ("США и Южной Кореи", ["US", "KR"]),
        ("The US and the UK", ["US", "GB"]),
        ("Kazakh and Uzbek officials in Samarkand", ["KZ", "UZ", "UZ"]),
        ("la Corée du Sud et les États-Unis", ["KR", "US"]),
        ("sino-kazakh", ["CN", "KZ"]),
    ],
)
def test_find_countries(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "roast turkey for us",  # proper names need a capital, abbreviations an exact match
        "Maurice a pris la parole",  # a first name, not Mauritius
        "Bruxelles a répondu",  # stands for the EU in this corpus
        "l’Asie centrale et l’Union européenne",
    ],
)
def test_find_countries_ignores_non_countries(text):
    assert codes(text) == []


def test_hits_carry_offsets_and_city_names():
    text = "Réunion à Samarcande."
    (hit,) = find_countries(text)
    assert text[hit.start : hit.end] == "Samarcande"
    assert (hit.kind, hit.city) == ("city", "Samarcande")
