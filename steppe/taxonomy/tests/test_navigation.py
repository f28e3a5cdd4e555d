"""The menus' links: the same URLs as the terms' own, in each interface language."""

from django.test import RequestFactory
from django.utils import translation

import pytest

from steppe.taxonomy.context_processors import taxonomy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_menu_links_are_the_terms_urls(language):
    with translation.override(language):
        navigation = taxonomy(RequestFactory().get("/"))["navigation"]
        from steppe.taxonomy.selectors import navigation as terms

        for key, links in navigation.items():
            expected = terms()[key]
            assert links, key
            assert [link.get_absolute_url() for link in links] == [
                term.get_absolute_url() for term in expected
            ]
            assert [link.name for link in links] == [term.name for term in expected]
    if language == "en":
        assert navigation["countries"][0].get_absolute_url().startswith("/en/")


def test_menu_links_follow_a_renamed_slug():
    from steppe.taxonomy.models import Theme
    from steppe.taxonomy.selectors import navigation_invalidate

    theme = Theme.objects.order_by("position").first()
    theme.slug = "nouveau-nom"
    theme.save()
    navigation_invalidate()
    links = taxonomy(RequestFactory().get("/"))["navigation"]["themes"]
    assert theme.get_absolute_url() in [link.get_absolute_url() for link in links]
