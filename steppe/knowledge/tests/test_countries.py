import pytest

from steppe.knowledge.extraction.countries import GAZETTEER_PATH, find_countries, gazetteer


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Une usine à Ekibastuz et une autre à Pavlodar", ["KZ", "KZ"]),
        ("Des marchands de Kachgar et de Khorgos", ["CN"]),  # Kashgar, from GeoNames
        ("Визит в Павлодар и в Кокшетау", ["KZ", "KZ"]),
        ("встреча в Павлодаре", ["KZ"]),  # Russian case form of a GeoNames city
        ("Les habitants de Naryn et de Batken", ["KG", "KG"]),
        ("Le marché de Daşoguz", ["TM"]),
    ],
)
def test_find_countries_reads_geonames_cities(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mary a rejoint son mari à Nice.",  # Mary (Turkmenistan), Mari: a first name, a word
        "Serdar Berdimuhamedow a parlé.",  # Serdar is also a Turkmen town
        "Rest assured that the Moron jokes stopped.",
        "Taras a lu Kant au Bar du coin.",
        "Верный друг вернулся в Курган из Мира.",  # common Russian words, also city names
        "La mer d’Aral et l’Altaï.",  # shared by several countries
        "Le Turkestan des khanats.",  # the historical region, not the Kazakh town
        "Massy et Hyderabad.",  # better known elsewhere
    ],
)
def test_geonames_stop_list_keeps_common_words_out(text):
    assert codes(text) == []


def test_gazetteer_is_a_small_extract():
    assert GAZETTEER_PATH.stat().st_size < 1_000_000
    assert 5_000 < len(gazetteer()) < 20_000


def test_geonames_spellings_of_a_curated_city_keep_its_french_name():
    assert [hit.city for hit in find_countries("Taschkent, Ulanbator et Pavlodar")] == [
        "Tachkent",
        "Oulan-Bator",
        "Pavlodar",
    ]
