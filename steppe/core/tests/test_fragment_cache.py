"""{% fragment_cache %}: parts of pages kept until published content changes; remembered URLs."""

import time

from django.core.cache import cache
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse, translate_url
from django.utils import translation

import pytest

from steppe.core.templatetags.steppe import fragment_cache_clear_local
from steppe.core.urlcache import reverse_cached
from steppe.ops.pagecache import content_generation_bump
from steppe.taxonomy.models import Country

TEMPLATE = Template(
    '{% load steppe %}{% fragment_cache "test-block" key %}[{{ value }}]{% endfragment_cache %}'
)


def render(value: str, key: int = 1, request=None) -> str:
    request = request or RequestFactory().get("/")
    return TEMPLATE.render(Context({"value": value, "key": key, "request": request}))


def test_fragment_is_kept_until_the_content_generation_changes(fragments):
    assert render("first") == "[first]"
    assert render("second") == "[first]"  # kept
    content_generation_bump()  # what a publication, an edit or a withdrawal does
    assert render("third") == "[third]"


def test_fragment_is_shared_by_processes_through_the_cache(fragments):
    assert render("first") == "[first]"
    fragment_cache_clear_local()  # another worker: nothing in its memory
    assert render("second") == "[first]"
    cache.clear()  # an empty shared cache: a new generation, rendered again
    fragment_cache_clear_local()
    assert render("third") == "[third]"


def test_fragment_varies_on_its_values_and_the_language(fragments):
    assert render("one", key=1) == "[one]"
    assert render("two", key=2) == "[two]"
    with translation.override("en"):
        assert render("english", key=1) == "[english]"
    assert render("again", key=1) == "[one]"


def test_fragment_is_rendered_every_time_when_off(settings):
    settings.STEPPE_FRAGMENT_CACHE_SECONDS = 0
    fragment_cache_clear_local()
    assert render("first") == "[first]"
    assert render("second") == "[second]"


def test_fragment_of_a_post_request_reads_the_generation_again(fragments):
    request = RequestFactory().post("/")
    assert render("first", request=request) == "[first]"
    content_generation_bump()  # the same request published something, then renders a page
    assert render("second", request=request) == "[second]"


def test_fragment_is_rendered_when_the_cache_is_unreachable(settings):
    settings.STEPPE_FRAGMENT_CACHE_SECONDS = 300
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "steppe.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        },
    }
    settings.STEPPE_PAGE_CACHE_ALIAS = "down"
    fragment_cache_clear_local()
    assert render("first") == "[first]"
    assert render("second") == "[second]"  # nothing kept, not even in the process


def test_fragment_name_must_be_quoted():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load steppe %}{% fragment_cache name %}x{% endfragment_cache %}")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_remembered_urls_are_reverse_urls(language):
    with translation.override(language):
        assert reverse_cached("publishing:home") == reverse("publishing:home")
        assert reverse_cached("publishing:country_detail", slug="kazakhstan") == reverse(
            "publishing:country_detail", kwargs={"slug": "kazakhstan"}
        )
        assert Country.objects.get(code="KZ").get_absolute_url() == reverse(
            "publishing:country_detail", kwargs={"slug": "kazakhstan"}
        )


@pytest.mark.django_db
def test_remembered_url_follows_a_new_slug():
    country = Country.objects.get(code="KZ")
    before = country.get_absolute_url()
    country.slug = "qazaqstan"
    assert country.get_absolute_url() == "/pays/qazaqstan/" != before
    with translation.override("en"):
        assert country.get_absolute_url() == "/en/pays/qazaqstan/"


def test_url_cached_tag_renders_the_url():
    html = Template("{% load steppe %}{% url_cached 'publishing:home' %}").render(Context({}))
    assert html == reverse("publishing:home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "other"),
    [
        ("/pays/kazakhstan/?page=2", "en", "/en/pays/kazakhstan/?page=2"),
        ("/en/pays/kazakhstan/", "fr", "/pays/kazakhstan/"),
        ("/bibliotheque/", "en", "/en/bibliotheque/"),
        ("/", "en", "/en/"),
    ],
)
def test_language_link_is_translate_url(client, path, language, other):
    with translation.override("fr" if language == "en" else "en"):  # the page's language
        assert translate_url(path, language) == other
    html = client.get(path).content.decode()
    assert f'<a href="{other}" hreflang="{language}"' in html


def test_fragment_kept_in_the_process_dies_with_the_shared_copy(fragments, settings):
    settings.STEPPE_FRAGMENT_CACHE_SECONDS = 1
    assert render("first") == "[first]"
    fragment_cache_clear_local()
    assert render("second") == "[first]"  # from the shared cache, kept locally till the same end
    time.sleep(1.1)
    assert render("third") == "[third]"
