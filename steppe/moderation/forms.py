from django import forms
from django.utils.translation import gettext_lazy as _

from steppe.accounts.models import User
from steppe.publishing.models import Article
from steppe.taxonomy.models import Country

from .antispam import FORM_STAMP_SALT, HumanCheckMixin, form_stamp
from .models import RefusalReason, ReportCategory
from .selectors import DOCUMENT_KIND
from .services import Decision

__all__ = ["FORM_STAMP_SALT", "HumanCheckMixin", "form_stamp"]  # re-exported for older imports


class ReportForm(HumanCheckMixin):
    category = forms.ChoiceField(
        label=_("What is wrong?"), choices=ReportCategory.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explain"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Quote the passage concerned and say why it is a problem."),
    )
    reporter_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_("Only to tell you what was decided. It is never shown nor shared."),
    )


class ReasonsForm(forms.Form):
    """Ready-made reasons (editable in the admin) plus free text; at least one of the two."""

    reasons = forms.ModelMultipleChoiceField(
        label=_("Reasons"),
        queryset=RefusalReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    text = forms.CharField(
        label=_("In your own words"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("reasons") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a reason or write one: the author will read it."))
        return data


AGE_CHOICES = [
    ("", _("Any age")),
    ("1", _("Waiting for more than a day")),
    ("3", _("Waiting for more than 3 days")),
    ("7", _("Waiting for more than a week")),
    ("30", _("Waiting for more than a month")),
]


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("", _("All kinds")),
            *Article.Kind.choices,
            (DOCUMENT_KIND, _("Library document")),
        ],
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name_fr"),
        to_field_name="code",
        empty_label=_("All countries"),
        required=False,
    )
    author_kind = forms.ChoiceField(
        label=_("Author"), choices=[("", _("All authors")), *User.Kind.choices], required=False
    )
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)
    flagged = forms.BooleanField(label=_("Possible duplicates only"), required=False)


class CaseDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    ground = forms.ChoiceField(label=_("Ground"), choices=ReportCategory.choices)
    statement = forms.CharField(
        label=_("Statement of reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was decided and why. The author and the reporters receive it."),
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [c for c in Decision.choices if c[0] in allowed]


class AppealForm(HumanCheckMixin):
    explanation = forms.CharField(
        label=_("Why should the decision be changed?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("upheld", _("Uphold the decision")),
            ("granted", _("Reverse the decision")),
        ],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Statement of reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Action on the account"),
        choices=[
            ("warning", _("Warn")),
            ("suspension", _("Suspend for a period")),
            ("ban", _("Ban (close the account)")),
        ],
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Days of suspension"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Only for a suspension."),
    )
    ground = forms.ChoiceField(label=_("Ground"), choices=ReportCategory.choices)
    statement = forms.CharField(
        label=_("Statement of reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was decided and why. The account holder receives it by e-mail."),
    )
    case = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "suspension" and not data.get("days"):
            self.add_error("days", _("Say for how many days the account is suspended."))
        return data


class TrustForm(forms.Form):
    trusted = forms.TypedChoiceField(
        label=_("Trusted contributor"),
        choices=[("1", _("Promote")), ("0", _("Revoke"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Why"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the sanction lifted?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
