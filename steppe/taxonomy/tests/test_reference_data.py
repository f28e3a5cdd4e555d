from django.utils import translation

import pytest

from steppe.taxonomy.models import Country, Region, Theme

pytestmark = pytest.mark.django_db

COVERED = {
    "KZ": "le Kazakhstan",
    "MN": "la Mongolie",
    "UZ": "l'Ouzbékistan",
    "KG": "le Kirghizistan",
    "TJ": "le Tadjikistan",
    "TM": "le Turkménistan",
    "AF": "l'Afghanistan",
}


def test_covered_countries_are_seeded_with_their_french_article():
    countries = {c.code: c for c in Country.objects.filter(is_focus=True)}
    assert {code: c.name_fr_article for code, c in countries.items()} == COVERED
    assert all(c.name_en and c.name_ru for c in countries.values())


def test_partners_and_eu_members_are_seeded():
    codes = set(Country.objects.values_list("code", flat=True))
    assert {"CN", "RU", "JP", "KR", "US", "TR", "IR", "IN", "FR", "DE", "EE"} <= codes
    assert Country.objects.filter(region__slug="europe").count() >= 27


def test_regions_and_themes_are_seeded():
    assert Region.objects.filter(slug="asie-centrale").get().countries.count() == 5
    assert Theme.objects.count() == 10
    assert Theme.objects.get(slug="mineraux-critiques").name_en == "Critical minerals"


def test_names_follow_the_active_language():
    kazakhstan = Country.objects.get(code="KZ")
    with translation.override("fr"):
        assert kazakhstan.name_with_article == "Le Kazakhstan"
    with translation.override("en"):
        assert kazakhstan.name_with_article == "Kazakhstan"
        assert Country.objects.get(code="KG").name == "Kyrgyzstan"
