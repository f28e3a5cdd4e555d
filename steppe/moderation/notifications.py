"""E-mails of the moderation app: receipts, statements of reasons, outcomes of appeals.

Sent after the transaction commits; a failing mail server must not undo the decision (the error is
logged).
"""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import conf
from .tokens import appeal_url

if TYPE_CHECKING:
    from .models import Appeal, ReportCase, Sanction

logger = logging.getLogger(__name__)


def _send_later(
    *,
    template: str,
    context: dict,
    to: list[str],
    per_recipient: Callable[[str], dict] | None = None,
) -> None:
    """Render and send after commit; `per_recipient(address)` adds context for one recipient."""
    if not to:
        return

    def send() -> None:
        for address in to:
            with translation.override(settings.LANGUAGE_CODE):
                full = {
                    **context,
                    **(per_recipient(address) if per_recipient else {}),
                    "site_url": conf.site_url(),
                    "contact_email": conf.contact_email(),
                }
                subject = render_to_string(f"moderation/email/{template}_subject.txt", full)
                body = render_to_string(f"moderation/email/{template}.txt", full)
            message = EmailMessage(
                subject.strip(),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [address],
                reply_to=[conf.contact_email()],
            )
            try:
                message.send()
            except OSError:
                logger.exception("Could not send the %s e-mail", template)

    transaction.on_commit(send)


def report_acknowledge(*, case: "ReportCase", email: str) -> None:
    """Tell a reporter who left an address that the report was received."""
    _send_later(template="report_received", context={"case": case}, to=[email])


def statement_send(*, case: "ReportCase", author_email: str, reporter_emails: list[str]) -> None:
    """Send the statement of reasons, with a personal appeal link, to the author and the reporters."""

    def appeal_link(role: str) -> Callable[[str], dict]:
        return lambda address: {"appeal_url": appeal_url(case_id=case.pk, role=role, email=address)}

    _send_later(
        template="statement_author",
        context={"case": case},
        to=[author_email] if author_email else [],
        per_recipient=appeal_link("author"),
    )
    _send_later(
        template="statement_reporter",
        context={"case": case},
        to=sorted(set(reporter_emails) - {author_email}),
        per_recipient=appeal_link("reporter"),
    )


def appeal_acknowledge(*, appeal: "Appeal") -> None:
    """Tell the appellant that the appeal was received."""
    _send_later(template="appeal_received", context={"appeal": appeal}, to=[appeal.email])


def appeal_outcome_send(*, appeal: "Appeal", to: list[str]) -> None:
    """Tell the appellant (and the author) the outcome of the appeal and its reasons."""
    _send_later(template="appeal_decided", context={"appeal": appeal}, to=to)


def sanction_statement_send(*, sanction: "Sanction", email: str) -> None:
    """Send the account holder the statement of reasons of a sanction, with an appeal link."""
    _send_later(
        template="sanction_statement",
        context={"sanction": sanction},
        to=[email] if email else [],
        per_recipient=lambda address: {
            "appeal_url": appeal_url(sanction_id=sanction.pk, role="author", email=address)
        },
    )


def sanction_lifted_send(*, sanction: "Sanction", reason: str) -> None:
    """Tell the account holder that a sanction was lifted, and why."""
    email = sanction.account.email
    _send_later(
        template="sanction_lifted",
        context={"sanction": sanction, "reason": reason},
        to=[email] if email else [],
    )
