"""Moderation: the append-only audit log, readers' reports grouped per item, refusal templates."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogError(Exception):
    """The audit log is append-only: its rows are never changed nor deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):
        raise AuditLogError("Audit events cannot be updated.")

    def delete(self):
        raise AuditLogError("Audit events cannot be deleted.")

    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )


class AuditEvent(models.Model):
    """One moderation action or status change: who, what, when, why, on what, from which status to which."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CHANGED = "changed", _("Changed while online")
        EDIT_APPLIED = "edit_applied", _("Edit applied")
        EDIT_REJECTED = "edit_rejected", _("Edit turned down")
        REPORTED = "reported", _("Reported by a reader")
        REPORT_DISMISSED = "report_dismissed", _("Report dismissed")
        HIDDEN = "hidden", _("Hidden pending review")
        REINSTATED = "reinstated", _("Reinstated")
        APPEALED = "appealed", _("Decision appealed")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal rejected, decision upheld")
        APPEAL_GRANTED = "appeal_granted", _("Appeal granted, decision reversed")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        WARNED = "warned", _("Account warned")
        SUSPENDED = "suspended", _("Account suspended")
        BANNED = "banned", _("Account banned")
        SANCTION_ENDED = "sanction_ended", _("Sanction ended")
        SANCTION_LIFTED = "sanction_lifted", _("Sanction lifted")
        TRUSTED = "trusted", _("Promoted to trusted contributor")
        TRUST_REVOKED = "trust_revoked", _("Trusted status revoked")
        NEAR_DUPLICATE = "near_duplicate", _("Near-duplicate flagged")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(
        _("who (name at the time)"),
        max_length=200,
        blank=True,
        help_text=_("Kept when the account is deleted; empty for the system."),
    )
    action = models.CharField(_("what"), max_length=30, choices=Action)
    reason = models.TextField(_("why"), blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=300)
    status_before = models.CharField(_("status before"), max_length=20, blank=True)
    status_after = models.CharField(_("status after"), max_length=20, blank=True)
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("Figures for the transparency report: reasons chosen, waiting time…"),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"], name="audit_object_created"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogError("Audit events cannot be deleted.")


class RefusalReason(models.Model):
    """A ready-made reason editors pick when they refuse a submission (managed in the admin)."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    text = models.TextField(_("text sent to the author"))
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered to editors"), default=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("refusal reason")
        verbose_name_plural = _("refusal reasons")

    def __str__(self) -> str:
        return self.title


class ReportCategory(models.TextChoices):
    ILLEGAL = "illegal", _("Illegal content")
    DISINFORMATION = "disinformation", _("Disinformation")
    HARASSMENT = "harassment", _("Harassment or hate")
    SPAM = "spam", _("Spam")
    COPYRIGHT = "copyright", _("Copyright")
    PRIVACY = "privacy", _("Privacy")
    OTHER = "other", _("Other")


class ReportCase(models.Model):
    """The reports about one item, grouped while the case is open, and the editors' decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Hidden pending review")
        DISMISSED = "dismissed", _("Dismissed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REINSTATED = "reinstated", _("Reinstated")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=300)
    object_url = models.CharField(_("address"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    opened_at = models.DateTimeField(_("first report"), auto_now_add=True)
    last_reported_at = models.DateTimeField(_("last report"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ground = models.CharField(_("ground"), max_length=20, choices=ReportCategory, blank=True)
    statement = models.TextField(_("statement of reasons"), blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("report case")
        verbose_name_plural = _("report cases")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status__in=["open", "hidden"]),
                name="reportcase_one_pending_per_item",
            )
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="reportcase_status_opened")]

    def __str__(self) -> str:
        return self.object_repr

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.HIDDEN}


class Report(models.Model):
    """What one reader said about an item. The reader's address is kept only to send the decision."""

    case = models.ForeignKey(
        ReportCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reports"
    )
    category = models.CharField(_("category"), max_length=20, choices=ReportCategory)
    explanation = models.TextField(_("explanation"), max_length=5000)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    month = models.DateField(
        _("month"), editable=False, help_text=_("First day of the month it was sent (statistics).")
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["month", "category"], name="report_month_category")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.case}"

    def save(self, *args, **kwargs) -> None:
        if self.month is None:
            self.month = timezone.localdate().replace(day=1)
        super().save(*args, **kwargs)


class Appeal(models.Model):
    """An author's or a reporter's request that another editor review a decision on a case."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        REPORTER = "reporter", _("Reporter")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Decision upheld")
        GRANTED = "granted", _("Decision reversed")

    case = models.ForeignKey(
        ReportCase,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appeals",
    )
    sanction = models.ForeignKey(
        "Sanction",
        verbose_name=_("account sanction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appeals",
    )
    # Or the refusal of a submitted article or library document, appealed by its author: once per
    # refusal (checked under the item's row lock; a later refusal of the same item can be appealed).
    refused_type = models.ForeignKey(
        ContentType,
        verbose_name=_("type of the refused item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    refused_id = models.PositiveBigIntegerField(_("refused item id"), null=True, blank=True)
    refused_repr = models.CharField(_("refused item"), max_length=300, blank=True)
    role = models.CharField(_("appellant"), max_length=20, choices=Role)
    email = models.EmailField(_("appellant's e-mail"))
    explanation = models.TextField(_("explanation"), max_length=5000)
    contested_status = models.CharField(
        _("contested decision"),
        max_length=20,
        help_text=_("The case's status, or the sanction's kind, when the appeal was sent."),
    )
    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor of the contested decision"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome, default=Outcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    statement = models.TextField(_("statement of reasons"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(fields=["case", "email"], name="appeal_once_per_person"),
            models.UniqueConstraint(
                fields=["sanction", "email"], name="appeal_sanction_once_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    case__isnull=False, sanction__isnull=True, refused_id__isnull=True
                )
                | models.Q(case__isnull=True, sanction__isnull=False, refused_id__isnull=True)
                | models.Q(
                    case__isnull=True,
                    sanction__isnull=True,
                    refused_id__isnull=False,
                    refused_type__isnull=False,
                ),
                name="appeal_contests_one_decision",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "created_at"], name="appeal_outcome_created")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.case or self.sanction or self.refused_repr}"

    @property
    def is_refusal(self) -> bool:
        return self.refused_id is not None

    @property
    def subject_repr(self) -> str:
        """What the contested decision was about, for e-mails and lists."""
        if self.sanction_id is not None:
            return str(_("the account of %(name)s") % {"name": self.sanction.account.public_name})
        if self.is_refusal:
            return self.refused_repr
        return self.case.object_repr

    @property
    def reference(self) -> str:
        if self.sanction_id is not None:
            return f"S{self.sanction_id}"
        if self.is_refusal:
            return f"R{self.pk}"
        return str(self.case_id)

    @property
    def contested_label(self) -> str:
        """The contested decision, in words."""
        if self.sanction_id is not None:
            return str(Sanction.Kind(self.contested_status).label)
        if self.is_refusal:
            return str(_("Refusal of a submission"))
        return str(ReportCase.Status(self.contested_status).label)


class Sanction(models.Model):
    """An editor's action on an account: a warning, a suspension for a period, or a ban.

    The account's published items are taken offline through the publishing and library services
    (as report triage does), so public listings need no join on this table; the items a suspension
    took offline are listed in `hidden_items` and put back online when it ends or is lifted.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        ENDED = "ended", _("Ended")
        LIFTED = "lifted", _("Lifted")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="sanctions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    ground = models.CharField(_("ground"), max_length=20, choices=ReportCategory)
    statement = models.TextField(_("statement of reasons"))
    case = models.ForeignKey(
        ReportCase,
        verbose_name=_("report case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sanctions",
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_items = models.JSONField(
        _("items taken offline"),
        default=list,
        blank=True,
        help_text=_("[app label, model, id] of the published items to put back online."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account sanction")
        verbose_name_plural = _("account sanctions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="suspension") | models.Q(ends_at__isnull=False),
                name="sanction_suspension_has_end",
            )
        ]
        indexes = [
            models.Index(fields=["account", "status"], name="sanction_account_status"),
            models.Index(fields=["status", "ends_at"], name="sanction_status_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.account}"


class Fingerprint(models.Model):
    """The MinHash signature of an item's text, and its LSH band keys (see `duplicates.py`)."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=300)
    object_url = models.CharField(_("address"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_published = models.BooleanField(_("published"), default=False)
    signature = models.BinaryField(_("MinHash signature"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("text fingerprint")
        verbose_name_plural = _("text fingerprints")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="fingerprint_one_per_item"
            )
        ]

    def __str__(self) -> str:
        return self.object_repr


class FingerprintBand(models.Model):
    """One LSH band of a fingerprint: items sharing a key are near-duplicate candidates."""

    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("fingerprint band")
        verbose_name_plural = _("fingerprint bands")

    def __str__(self) -> str:
        return str(self.key)


class NearDuplicate(models.Model):
    """A submission whose text is close to a published item or to another of its author's."""

    fingerprint = models.ForeignKey(
        Fingerprint, on_delete=models.CASCADE, related_name="near_duplicates"
    )
    match = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        ordering = ["-similarity"]
        verbose_name = _("near duplicate")
        verbose_name_plural = _("near duplicates")
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "match"], name="nearduplicate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint} ≈ {self.match} ({self.similarity:.0%})"

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)
