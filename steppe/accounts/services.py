"""Writes to accounts: profile, export of one's data, deletion of one's account.

Export and deletion necessarily reach the contributor's articles and documents: they go through the
publishing and library models (imported inside the functions, since those apps depend on this one).
"""

import io
import json
import zipfile
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from steppe.core.images import ProcessedImage

from .models import DELETED_ACCOUNT_USERNAME, User

if TYPE_CHECKING:
    from django.core.files.storage import Storage

DELETED_ACCOUNT = DELETED_ACCOUNT_USERNAME


@transaction.atomic
def profile_update(
    *, user: User, data: dict, avatar: ProcessedImage | None = None, remove_avatar: bool = False
) -> User:
    """Save the public profile; a new avatar replaces (and deletes) the old file."""
    for name in ("display_name", "kind", "organisation", "website", "country", "bio"):
        setattr(user, name, data[name])
    old = user.avatar.name if user.avatar else ""
    if avatar is not None:
        image = avatar.variants.get(480, avatar.original)
        user.avatar.save(image.name, image, save=False)
    elif remove_avatar:
        user.avatar = ""
    user.full_clean(exclude=["password", "username"])
    user.save()
    if old and old != (user.avatar.name if user.avatar else ""):
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old))
    return user


def deleted_account() -> User:
    """The inactive account that signs the pieces of contributors who deleted their account."""
    user, created = User.objects.get_or_create(
        username=DELETED_ACCOUNT,
        defaults={"display_name": "Contributeur supprimé", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _article_json(article) -> dict:
    return {
        "title": article.title,
        "kind": article.kind,
        "status": article.status,
        "lead": article.lead,
        "body_markdown": article.body_source,
        "language": article.language,
        "sources": article.source_links,
        "countries": [c.code for c in article.countries.all()],
        "themes": [t.slug for t in article.themes.all()],
        "tags": [t.name for t in article.tags.all()],
        "created_at": article.created_at,
        "published_at": article.published_at,
        "images": [
            {"file": f"files/{i.file.name}", "caption": i.caption, "credit": i.credit}
            for i in article.images.all()
        ],
        "revisions": [
            {
                "number": r.number,
                "state": r.state,
                "created_at": r.created_at,
                "content": r.data,
                "reason": r.reason,
            }
            for r in article.revisions.all()
        ],
    }


def account_export(*, user: User) -> bytes:
    """Everything the contributor gave Steppe, as a zip: data.json and their files."""
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    articles = Article.objects.filter(author=user).prefetch_related(
        "countries", "themes", "tags", "images", "revisions"
    )
    documents = Document.objects.filter(contributor=user).prefetch_related(
        "chapters", "countries", "themes"
    )
    from allauth.account.models import EmailAddress

    emails = [
        {"email": e.email, "verified": e.verified, "primary": e.primary}
        for e in EmailAddress.objects.filter(user=user)
    ]
    data = {
        "exported_at": timezone.now(),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "kind": user.kind,
            "organisation": user.organisation,
            "website": user.website,
            "country": user.country.code if user.country else None,
            "bio": user.bio,
            "avatar": f"files/{user.avatar.name}" if user.avatar else None,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "emails": emails or [{"email": user.email}],
        },
        # Names and dates only: the hash of a secret is of no use to its owner.
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "expires_at": token.expires_at,
                "revoked_at": token.revoked_at,
            }
            for token in user.api_tokens.all()
        ],
        "articles": [_article_json(a) for a in articles],
        "documents": [
            {
                "title": d.title,
                "subtitle": d.subtitle,
                "status": d.status,
                "published_on": d.published_on,
                "organisation": d.organisation,
                "authors": d.authors,
                "presentation_markdown": d.presentation_source,
                "chapters": [{"title": c.title, "page": c.page} for c in d.chapters.all()],
                "countries": [c.code for c in d.countries.all()],
                "themes": [t.slug for t in d.themes.all()],
            }
            for d in documents
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        files = [user.avatar] if user.avatar else []
        files += [image.file for article in articles for image in article.images.all()]
        for field_file in files:
            try:
                with field_file.open("rb") as handle:
                    archive.writestr(f"files/{field_file.name}", handle.read())
            except FileNotFoundError:
                continue
    return buffer.getvalue()


@transaction.atomic
def account_delete(*, user: User, keep_published: bool) -> None:
    """Delete the account and its personal data.

    Unpublished pieces are deleted with their files. Published pieces either stay online, signed by
    the "deleted contributor" account (`keep_published`), or are deleted too.
    """
    from steppe.core.models import PublicationStatus
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    articles = Article.objects.filter(author=user)
    documents = Document.objects.filter(contributor=user)
    if keep_published:
        from steppe.library.signals import document_changed
        from steppe.publishing.signals import article_changed

        tombstone = deleted_account()
        kept_articles = list(articles.filter(status=PublicationStatus.PUBLISHED))
        kept_documents = list(documents.filter(status=PublicationStatus.PUBLISHED))
        articles.filter(pk__in=[a.pk for a in kept_articles]).update(author=tombstone, byline="")
        documents.filter(pk__in=[d.pk for d in kept_documents]).update(contributor=tombstone)

        def announce() -> None:
            # Search, feeds and caches must forget the old signature.
            for article in Article.objects.filter(pk__in=[a.pk for a in kept_articles]):
                article_changed.send(sender=Article, article=article)
            for document in Document.objects.filter(pk__in=[d.pk for d in kept_documents]):
                document_changed.send(sender=Document, document=document)

        transaction.on_commit(announce)
    storage: Storage | None = None
    doomed_files: list[str] = []
    for article in Article.objects.filter(author=user).prefetch_related("images"):
        for image in article.images.all():
            storage = image.file.storage
            doomed_files += [image.file.name, *image.variants.values()]
    if user.avatar:
        storage = user.avatar.storage
        doomed_files.append(user.avatar.name)
    Article.objects.filter(author=user).delete()
    Document.objects.filter(contributor=user).delete()
    user.delete()
    if storage is not None:
        transaction.on_commit(lambda: [storage.delete(name) for name in doomed_files])
