"""E-mails to authors about their submissions. Sent after the transaction commits.

A failing mail server must not undo the editorial action: the error is logged (retrying through the
task queue comes with the production profile).
"""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from .models import Article

logger = logging.getLogger(__name__)


def _site_url() -> str:
    return getattr(settings, "STEPPE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def author_notify(*, article: "Article", event: str, reason: str = "") -> None:
    """Queue the e-mail for `event` (submitted, published, refused, edit_applied, edit_rejected)."""
    author = article.author
    if not author.email or not author.is_active:
        return

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "article": article,
                "author": author,
                "reason": reason,
                "site_url": _site_url(),
            }
            subject = render_to_string(f"publishing/email/{event}_subject.txt", context).strip()
            body = render_to_string(f"publishing/email/{event}.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [author.email])
        except OSError:
            logger.exception("Could not send the %s e-mail for article %s", event, article.pk)

    transaction.on_commit(send)
