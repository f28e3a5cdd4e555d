"""Slugs that stay unique in their table."""

from django.db import models
from django.utils.text import slugify


def unique_slug(
    model: type[models.Model], text: str, *, exclude_pk: int | None = None, max_length: int = 200
) -> str:
    """Slugify `text` ("Élection présidentielle" → "election-presidentielle"), adding -2, -3… if taken."""
    base = slugify(text)[:max_length].strip("-") or "sans-titre"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
