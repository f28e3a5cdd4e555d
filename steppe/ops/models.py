"""Operations: e-mail waiting for delivery, and the keys that make a task's effect happen once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One message handed to `TaskEmailBackend`, kept until an SMTP server accepted it.

    The message is stored as its MIME bytes (with its Message-ID), so every attempt sends exactly the
    same message and a receiver can recognise a repeat.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    from_email = models.CharField(_("sender"), max_length=320)
    recipients = models.JSONField(_("recipients"), default=list)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    mime = models.BinaryField(_("message (MIME)"))
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, unique=True, null=True, blank=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="ops_email_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"


class IdempotencyKey(models.Model):
    """A task's effect that already happened: its key is written in the effect's own transaction."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return self.key
