"""Every write to articles goes through these functions."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from steppe.core.images import image_process
from steppe.core.models import PublicationStatus
from steppe.core.slugs import unique_slug
from steppe.core.text import clean_text, render_markdown
from steppe.taxonomy.models import Country, Theme
from steppe.taxonomy.services import tags_get_or_create

from .models import Article, ArticleImage, ArticleRevision
from .notifications import author_notify
from .signals import (
    article_changed,
    article_published,
    article_submitted,
    article_submitting,
    article_unpublished,
)

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
    article.body_html = article_body_render(article)
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
    by: "User | None" = None,
    **changes: str | bool,
) -> Article:
    """Change an article's text fields and classification; keep its slug (links point to it)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(article, name, clean_text(value) if isinstance(value, str) else value)
    article.body_html = article_body_render(article)
    article.full_clean()
    article.save()
    _apply_relations(article, countries, themes, tag_names)
    if article.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(lambda: article_changed.send(sender=Article, article=article, by=by))
    return article


@transaction.atomic
def article_publish(
    *, article: Article, by: "User | None", at: datetime | None = None, notify: bool = True
) -> Article:
    """Publish an article now, or at the date it carries (`at`), e.g. for imported items.

    The author is told by e-mail when someone else publishes it, unless `notify` is False (an
    article put back online after a suspension: the author was told when it ended).
    """
    if article.status == PublicationStatus.PUBLISHED and at is None:
        raise PublishingError(_("This article is already published."))
    notify = notify and by is not None and by.pk != article.author_id
    article.status = PublicationStatus.PUBLISHED
    article.published_at = at or timezone.now()
    article.decision_reason = ""
    article.save(update_fields=["status", "published_at", "decision_reason", "updated_at"])
    if notify:
        author_notify(article=article, event="published")
    transaction.on_commit(lambda: article_published.send(sender=Article, article=article, by=by))
    return article


# --- Contributors' workflow -------------------------------------------------------------------


@dataclass
class ArticleData:
    """What an author writes: the editable content of an article."""

    title: str
    kind: str = Article.Kind.NEWS
    lead: str = ""
    body_source: str = ""
    language: str = "fr"
    sources: str = ""
    countries: Sequence[Country] = field(default_factory=list)
    themes: Sequence[Theme] = field(default_factory=list)
    tag_names: Sequence[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "lead": self.lead,
            "body_source": self.body_source,
            "language": self.language,
            "sources": self.sources,
            "countries": [c.code for c in self.countries],
            "themes": [t.slug for t in self.themes],
            "tags": list(self.tag_names),
        }

    @classmethod
    def from_article(cls, article: Article) -> "ArticleData":
        return cls(
            title=article.title,
            kind=article.kind,
            lead=article.lead,
            body_source=article.body_source,
            language=article.language,
            sources=article.sources,
            countries=list(article.countries.all()),
            themes=list(article.themes.all()),
            tag_names=[t.name for t in article.tags.all()],
        )

    @classmethod
    def from_json(cls, data: dict) -> "ArticleData":
        return cls(
            title=data["title"],
            kind=data["kind"],
            lead=data["lead"],
            body_source=data["body_source"],
            language=data["language"],
            sources=data.get("sources", ""),
            countries=list(Country.objects.filter(code__in=data["countries"])),
            themes=list(Theme.objects.filter(slug__in=data["themes"])),
            tag_names=data["tags"],
        )


EDITABLE_BY_AUTHOR = {
    PublicationStatus.DRAFT,
    PublicationStatus.SUBMITTED,
    PublicationStatus.REFUSED,
    PublicationStatus.WITHDRAWN,
}


def article_body_render(article: Article) -> str:
    """The article's Markdown as sanitised HTML, with its uploaded images as responsive figures."""
    images = {image.pk: image for image in article.images.all()} if article.pk else {}

    def figure(pk: int, _alt: str) -> str | None:
        image = images.get(pk)
        if image is None:
            return None
        srcset = ", ".join(
            [
                f"{image.file.storage.url(name)} {width}w"
                for width, name in sorted(image.variants.items(), key=lambda i: int(i[0]))
            ]
            + [f"{image.file.url} {image.width}w"]
        )
        caption = " — ".join(part for part in (escape(image.caption), escape(image.credit)) if part)
        return format_html(
            '<figure><img src="{}" alt="{}" width="{}" height="{}" srcset="{}" sizes="(min-width: 48rem) 42rem, 100vw" '
            'loading="lazy" decoding="async">{}</figure>',
            image.file.url,
            image.caption,
            image.width,
            image.height,
            srcset,
            format_html("<figcaption>{}</figcaption>", mark_safe(caption)) if caption else "",  # noqa: S308 (escaped above)
        )

    return render_markdown(article.body_source, image_html=figure)


def _apply_data(article: Article, data: ArticleData) -> None:
    article.title = clean_text(data.title)
    article.kind = data.kind
    article.lead = clean_text(data.lead)
    article.body_source = clean_text(data.body_source)
    article.language = data.language
    article.sources = "\n".join(
        line.strip() for line in clean_text(data.sources).splitlines() if line.strip()
    )
    article.body_html = article_body_render(article)


def _revision_add(
    *, article: Article, by: "User | None", state: str, data: ArticleData, reason: str = ""
) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleRevision.objects.create(
        article=article,
        number=last + 1,
        state=state,
        created_by=by,
        data=data.as_json(),
        reason=reason,
    )


@transaction.atomic
def article_draft_save(
    *,
    author: "User",
    data: ArticleData,
    article: Article | None = None,
    form_token: uuid.UUID | None = None,
    revision: bool = True,
) -> Article:
    """Create or update the author's draft and keep the saved version as a revision.

    A form sent twice (same `form_token`) updates the article the first send created. Autosaves pass
    `revision=False`: they keep the text safe without filling the history.
    """
    if article is None and form_token is not None:
        article = (
            Article.objects.select_for_update().filter(author=author, form_token=form_token).first()
        )
    if article is None:
        article = Article(author=author, form_token=form_token, status=PublicationStatus.DRAFT)
        _apply_data(article, data)
        article.slug = unique_slug(Article, article.title)
        article.full_clean()
        article.save()
    else:
        if article.author_id != author.pk:
            raise PublishingError(_("Only its author can edit this article."))
        if article.status not in EDITABLE_BY_AUTHOR:
            raise PublishingError(_("A published article is changed by proposing an edit."))
        _apply_data(article, data)
        if article.status in {PublicationStatus.REFUSED, PublicationStatus.WITHDRAWN}:
            article.status = PublicationStatus.DRAFT
        article.full_clean()
        article.save()
    _apply_relations(article, data.countries, data.themes, data.tag_names)
    if revision:
        _revision_add(article=article, by=author, state=ArticleRevision.State.SAVED, data=data)
    return article


@transaction.atomic
def article_submit(*, article: Article, by: "User") -> Article:
    """Send a draft to the editors' queue; a trusted contributor's piece is published at once."""
    if article.author_id != by.pk:
        raise PublishingError(_("Only its author can submit this article."))
    if article.status not in {
        PublicationStatus.DRAFT,
        PublicationStatus.REFUSED,
        PublicationStatus.WITHDRAWN,
    }:
        raise PublishingError(_("This article is not a draft."))
    if not article.title.strip() or not article.body_source.strip():
        raise PublishingError(_("An article needs a title and a body before it is submitted."))
    article_submitting.send(sender=Article, article=article, by=by, kind="submit", data=None)
    article.submitted_at = timezone.now()
    article.decision_reason = ""
    if by.is_trusted:
        article.save(update_fields=["submitted_at", "decision_reason", "updated_at"])
        return article_publish(article=article, by=by)
    article.status = PublicationStatus.SUBMITTED
    article.save(update_fields=["status", "submitted_at", "decision_reason", "updated_at"])
    author_notify(article=article, event="submitted")
    transaction.on_commit(lambda: article_submitted.send(sender=Article, article=article, by=by))
    return article


@transaction.atomic
def article_refuse(*, article: Article, by: "User", reason: str) -> Article:
    """Refuse a submitted article, with the reason the author will read."""
    reason = clean_text(reason)
    if article.status != PublicationStatus.SUBMITTED:
        raise PublishingError(_("Only a submitted article can be refused."))
    if not reason:
        raise PublishingError(_("Say why the article is refused: the author will read it."))
    article.status = PublicationStatus.REFUSED
    article.decision_reason = reason
    article.save(update_fields=["status", "decision_reason", "updated_at"])
    author_notify(article=article, event="refused", reason=reason)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by: "User") -> Article:
    """Take a submitted or published article offline (its author or an editor)."""
    if article.status not in {PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED}:
        raise PublishingError(_("Only a submitted or published article can be withdrawn."))
    was_published = article.status == PublicationStatus.PUBLISHED
    article.status = PublicationStatus.WITHDRAWN
    article.save(update_fields=["status", "updated_at"])
    if was_published:
        transaction.on_commit(
            lambda: article_unpublished.send(sender=Article, article=article, by=by)
        )
    return article


@transaction.atomic
def article_changes_request(*, article: Article, by: "User", message: str) -> Article:
    """Send a submitted article back to its author as a draft, with the editor's message."""
    message = clean_text(message).strip()
    if article.status != PublicationStatus.SUBMITTED:
        raise PublishingError(_("Only a submitted article can be sent back for changes."))
    if not message:
        raise PublishingError(_("Say what should change: the author will read it."))
    article.status = PublicationStatus.DRAFT
    article.decision_reason = message
    article.save(update_fields=["status", "decision_reason", "updated_at"])
    author_notify(article=article, event="changes_requested", reason=message)
    return article


@transaction.atomic
def article_edit_propose(*, article: Article, by: "User", data: ArticleData) -> ArticleRevision:
    """Propose a change to a published article; the live version stays until an editor applies it."""
    if article.author_id != by.pk:
        raise PublishingError(_("Only its author can edit this article."))
    if article.status != PublicationStatus.PUBLISHED:
        raise PublishingError(_("Only a published article takes proposed edits."))
    article_submitting.send(sender=Article, article=article, by=by, kind="edit", data=data)
    article.revisions.filter(state=ArticleRevision.State.PENDING).update(
        state=ArticleRevision.State.REJECTED, reason=_("Replaced by a newer proposal.")
    )
    revision = _revision_add(article=article, by=by, state=ArticleRevision.State.PENDING, data=data)
    if by.is_trusted:
        revision_apply(revision=revision, by=by)
    return revision


@transaction.atomic
def revision_apply(*, revision: ArticleRevision, by: "User") -> Article:
    """Replace the live article by a proposed edit."""
    if revision.state != ArticleRevision.State.PENDING:
        raise PublishingError(_("This edit is not waiting for review."))
    article = revision.article
    data = ArticleData.from_json(revision.data)
    _apply_data(article, data)
    article.full_clean()
    article.save()
    _apply_relations(article, data.countries, data.themes, data.tag_names)
    revision.state = ArticleRevision.State.APPLIED
    revision.save(update_fields=["state"])
    if by.pk != article.author_id:
        author_notify(article=article, event="edit_applied")
    transaction.on_commit(lambda: article_changed.send(sender=Article, article=article, by=by))
    return article


@transaction.atomic
def revision_reject(*, revision: ArticleRevision, by: "User", reason: str) -> ArticleRevision:
    """Turn down a proposed edit, with the reason the author will read."""
    reason = clean_text(reason)
    if revision.state != ArticleRevision.State.PENDING:
        raise PublishingError(_("This edit is not waiting for review."))
    if not reason:
        raise PublishingError(_("Say why the edit is refused: the author will read it."))
    revision.state = ArticleRevision.State.REJECTED
    revision.reason = reason
    revision.save(update_fields=["state", "reason"])
    author_notify(article=revision.article, event="edit_rejected", reason=reason)
    return revision


@transaction.atomic
def article_image_add(
    *, article: Article, by: "User", upload, caption: str = "", credit: str = ""
) -> ArticleImage:
    """Store an uploaded image for the article's body (validated and re-encoded first)."""
    if article.author_id != by.pk:
        raise PublishingError(_("Only its author can add images to this article."))
    processed = image_process(upload)
    image = ArticleImage(
        article=article, caption=clean_text(caption)[:300], credit=clean_text(credit)[:200]
    )
    image.file.save(processed.original.name, processed.original, save=False)
    storage = image.file.storage
    folder = image.file.name.rsplit("/", 1)[0]
    image.variants = {
        str(width): storage.save(f"{folder}/{content.name}", content)
        for width, content in processed.variants.items()
    }
    image.save()
    return image
