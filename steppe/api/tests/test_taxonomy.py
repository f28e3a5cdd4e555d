import pytest

from steppe.taxonomy.models import Country, Region, Theme

pytestmark = pytest.mark.django_db


def test_countries_are_listed_by_code_with_names_in_three_languages(client):
    data = client.get("/api/v1/countries").json()
    codes = [country["code"] for country in data]
    assert codes == sorted(codes)
    assert len(codes) == Country.objects.count()
    kazakhstan = next(country for country in data if country["code"] == "KZ")
    assert kazakhstan == {
        "code": "KZ",
        "slug": "kazakhstan",
        "name": {"fr": "Kazakhstan", "en": "Kazakhstan", "ru": "Казахстан"},
        "name_fr_with_article": "le Kazakhstan",
        "region": "asie-centrale",
        "is_focus": True,
        "url": "http://testserver/pays/kazakhstan/",
    }


def test_countries_filters(client):
    focus = {c["code"] for c in client.get("/api/v1/countries?focus=true").json()}
    assert focus == {"KZ", "KG", "TJ", "TM", "UZ", "MN", "AF"}
    caucasus = {c["code"] for c in client.get("/api/v1/countries?region=caucase").json()}
    assert caucasus == {"AZ", "GE", "AM"}


@pytest.mark.parametrize("code", ["kz", "KZ", "Kz"])
def test_country_detail_by_code_in_any_case(client, code):
    assert client.get(f"/api/v1/countries/{code}").json()["slug"] == "kazakhstan"


def test_regions_list_their_countries(client):
    data = client.get("/api/v1/regions").json()
    assert [region["slug"] for region in data] == list(
        Region.objects.values_list("slug", flat=True)
    )
    central_asia = client.get("/api/v1/regions/asie-centrale").json()
    assert central_asia["countries"] == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert central_asia["name"]["en"] == "Central Asia"


def test_themes(client):
    data = client.get("/api/v1/themes").json()
    assert [theme["slug"] for theme in data] == list(Theme.objects.values_list("slug", flat=True))
    assert client.get("/api/v1/themes/eau").json()["name"]["fr"] == "Eau"


@pytest.mark.parametrize(
    "url", ["/api/v1/countries/zz", "/api/v1/regions/atlantide", "/api/v1/themes/astrologie"]
)
def test_unknown_terms_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url", ["/api/v1/countries", "/api/v1/regions", "/api/v1/themes"])
def test_taxonomy_queries_do_not_grow(client, url):
    from steppe.core.tests.utils import assert_queries_do_not_grow

    europe = Region.objects.get(slug="europe")
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(counter)
            region = Region.objects.create(slug=f"region-{i}", name_fr="R", name_en="R")
            Country.objects.create(
                code=f"{i // 26}{chr(65 + i % 26)}",  # not a real ISO code: no collision
                slug=f"pays-{i}",
                name_fr="P",
                name_en="P",
                name_fr_article="le P",
                region=region if i % 2 else europe,
            )
            Theme.objects.create(slug=f"theme-{i}", name_fr="T", name_en="T")

    assert_queries_do_not_grow(client, url, add)
