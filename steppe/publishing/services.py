"""Every write to articles goes through these functions."""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steppe.core.models import PublicationStatus
from steppe.core.slugs import unique_slug
from steppe.core.text import clean_text, render_markdown
from steppe.taxonomy.models import Country, Theme
from steppe.taxonomy.services import tags_get_or_create

from .models import Article
from .signals import article_changed, article_published

if TYPE_CHECKING:
    from steppe.accounts.models import User

EDITABLE_FIELDS = ("kind", "title", "lead", "body_source", "language", "byline", "is_featured")


class PublishingError(Exception):
    """A workflow step that is not allowed in the article's current state."""


def _apply_relations(
    article: Article,
    countries: Sequence[Country] | None,
    themes: Sequence[Theme] | None,
    tag_names: Sequence[str] | None,
) -> None:
    if countries is not None:
        article.countries.set(countries)
    if themes is not None:
        article.themes.set(themes)
    if tag_names is not None:
        article.tags.set(tags_get_or_create(names=tag_names))


@transaction.atomic
def article_create(
    *,
    author: "User",
    title: str,
    kind: str = Article.Kind.NEWS,
    lead: str = "",
    body_source: str = "",
    language: str = "fr",
    byline: str = "",
    slug: str = "",
    countries: Sequence[Country] = (),
    themes: Sequence[Theme] = (),
    tag_names: Sequence[str] = (),
    import_key: str | None = None,
    is_featured: bool = False,
) -> Article:
    """Create a draft article; its HTML body is rendered and sanitised from the Markdown source."""
    title = clean_text(title)
    article = Article(
        author=author,
        kind=kind,
        title=title,
        slug=unique_slug(Article, slug or title),
        lead=clean_text(lead),
        body_source=clean_text(body_source),
        language=language,
        byline=clean_text(byline),
        import_key=import_key,
        is_featured=is_featured,
    )
    article.body_html = render_markdown(article.body_source)
    article.full_clean()
    article.save()
    _apply_relations(article, countries, themes, tag_names)
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    countries: Sequence[Country] | None = None,
    themes: Sequence[Theme] | None = None,
    tag_names: Sequence[str] | None = None,
    **changes: str | bool,
) -> Article:
    """Change an article's text fields and classification; keep its slug (links point to it)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(article, field, clean_text(value) if isinstance(value, str) else value)
    article.body_html = render_markdown(article.body_source)
    article.full_clean()
    article.save()
    _apply_relations(article, countries, themes, tag_names)
    if article.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(lambda: article_changed.send(sender=Article, article=article))
    return article


@transaction.atomic
def article_publish(*, article: Article, by: "User | None", at: datetime | None = None) -> Article:
    """Publish an article now, or at the date it carries (`at`), e.g. for imported items."""
    if article.status == PublicationStatus.PUBLISHED and at is None:
        raise PublishingError(_("This article is already published."))
    article.status = PublicationStatus.PUBLISHED
    article.published_at = at or timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    transaction.on_commit(lambda: article_published.send(sender=Article, article=article))
    return article
