"""The site navigation (countries, regions, themes), cached: it changes rarely."""

from functools import lru_cache

from django.db.models import Model
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from .selectors import navigation


@lru_cache(maxsize=2048)
def _url(model: type[Model], slug: str, language: str | None, prefix: str) -> str:
    # Menu entries are on every page (the countries twice): their URLs are computed once per
    # process, language and script prefix instead of by reverse() on each page (~30 calls).
    # A URL depends on nothing else; a renamed slug is a new key.
    return model(slug=slug).get_absolute_url()


class NavigationLink:
    """A menu entry: the term, with its URL already known (`get_absolute_url` costs nothing)."""

    __slots__ = ("_term", "_url")

    def __init__(self, term: Model, url: str) -> None:
        self._term = term
        self._url = url

    def get_absolute_url(self) -> str:
        return self._url

    def __getattr__(self, name: str):
        return getattr(self._term, name)


def _links(terms: list[Model]) -> list[NavigationLink]:
    language, prefix = get_language(), get_script_prefix()
    return [NavigationLink(term, _url(type(term), term.slug, language, prefix)) for term in terms]


def _navigation_links() -> dict:
    return {key: _links(terms) for key, terms in navigation().items()}


def taxonomy(request: HttpRequest) -> dict:
    # Read when a template uses it: pages whose menus come from the fragment cache never do.
    return {"navigation": SimpleLazyObject(_navigation_links)}
