"""`TaskEmailBackend`: e-mail is written to the database and delivered by the worker, with retries.

Set `EMAIL_BACKEND = "steppe.ops.mail.TaskEmailBackend"` and the real backend in
`STEPPE_EMAIL_DELIVERY_BACKEND` (SMTP by default). `send_messages` stores each message as an
`OutgoingEmail` and queues `email_deliver` (queue "email") once the transaction commits: the action
that sends the mail never waits for, nor fails with, the mail server. See services.email_attempt for
the retries.
"""

import email
import re

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

_NEWLINES = re.compile(rb"\r?\n")


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .services import email_enqueue

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                email_enqueue(message=message)
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            count += 1
        return count


class _StoredMIME:
    """The stored bytes, in the shape Django's backends ask `EmailMessage.message()` for."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return _NEWLINES.sub(linesep.encode(), self.raw)

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", "replace")

    def __getitem__(self, name: str):
        return email.message_from_bytes(self.raw)[name]

    def get_all(self, name: str, failobj=None):
        return email.message_from_bytes(self.raw).get_all(name, failobj)


class StoredEmailMessage(EmailMessage):
    """An already rendered message: sent byte for byte as it was first built."""

    def __init__(self, *, raw: bytes, from_email: str, recipients: list[str]):
        super().__init__(from_email=from_email)
        self._raw = raw
        self._recipients = list(recipients)

    def recipients(self) -> list[str]:
        return self._recipients

    def message(self, *args, **kwargs):
        return _StoredMIME(self._raw)
