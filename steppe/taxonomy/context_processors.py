"""The site navigation (countries, regions, themes), cached: it changes rarely."""

from django.http import HttpRequest

from .selectors import navigation


def taxonomy(request: HttpRequest) -> dict:
    return {"navigation": navigation()}
