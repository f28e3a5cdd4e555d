"""E-mails to contributors about their documents. Sent after the transaction commits.

A failing mail server must not undo the editors' decision: the error is logged (as for articles,
see steppe/publishing/notifications.py).
"""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from .models import Document

logger = logging.getLogger(__name__)

EVENTS = ("published", "refused", "changes_requested")


def _site_url() -> str:
    return getattr(settings, "STEPPE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def contributor_notify(*, document: "Document", event: str, reason: str = "") -> None:
    """Queue the e-mail for `event` (one of EVENTS) to the document's contributor."""
    if event not in EVENTS:
        raise ValueError(f"unknown document e-mail: {event}")
    contributor = document.contributor
    if not contributor.email or not contributor.is_active:
        return

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "document": document,
                "contributor": contributor,
                "reason": reason,
                "site_url": _site_url(),
            }
            subject = render_to_string(f"library/email/{event}_subject.txt", context).strip()
            body = render_to_string(f"library/email/{event}.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [contributor.email])
        except OSError:
            logger.exception("Could not send the %s e-mail for document %s", event, document.pk)

    transaction.on_commit(send)
