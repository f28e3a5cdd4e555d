"""Writes to the taxonomy."""

from collections.abc import Iterable

from django.utils.text import slugify
from django.utils.translation import gettext as _

from steppe.core.text import clean_text

from .models import Country, Tag, Theme


class UnknownTermError(ValueError):
    """A country code or theme slug that does not exist; `field` says which list it came from."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def tags_get_or_create(*, names: Iterable[str]) -> list[Tag]:
    """Return the tags with these names, creating the missing ones (case-insensitive match)."""
    tags: list[Tag] = []
    seen: set[str] = set()
    for raw in names:
        name = clean_text(str(raw))[:80]
        slug = slugify(name, allow_unicode=True)[:100]
        if not slug or slug in seen:
            continue
        seen.add(slug)
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def countries_by_codes(codes: Iterable[str]) -> list[Country]:
    """Countries for ISO codes, in the given order; raise UnknownTermError on an unknown code."""
    wanted = [str(code).strip().upper() for code in codes]
    found = {country.code: country for country in Country.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise UnknownTermError(
            _("unknown country code(s): %(codes)s") % {"codes": ", ".join(missing)},
            field="countries",
        )
    return [found[code] for code in dict.fromkeys(wanted)]


def themes_by_slugs(slugs: Iterable[str]) -> list[Theme]:
    """Themes for slugs, in the given order; raise UnknownTermError on an unknown slug."""
    wanted = [str(slug).strip().lower() for slug in slugs]
    found = {theme.slug: theme for theme in Theme.objects.filter(slug__in=wanted)}
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        raise UnknownTermError(
            _("unknown theme(s): %(slugs)s") % {"slugs": ", ".join(missing)}, field="themes"
        )
    return [found[slug] for slug in dict.fromkeys(wanted)]
