import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from steppe.accounts.models import User
from steppe.publishing.models import Article
from steppe.taxonomy.models import Country

from . import conf
from .models import RefusalReason, ReportCategory
from .services import Decision

FORM_STAMP_SALT = "steppe.moderation.form-stamp"


def form_stamp() -> str:
    """A signed timestamp put in a public form when it is shown (minimum fill time)."""
    return signing.dumps(time.time(), salt=FORM_STAMP_SALT)


class HumanCheckMixin(forms.Form):
    """Honeypot field and minimum fill time. `is_robot` is set instead of an error: robots get the
    normal answer and nothing is stored."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stamp"] = form_stamp()
        self.is_robot = False

    def clean(self):
        data = super().clean()
        if data.get("website"):
            self.is_robot = True
        try:
            shown_at = signing.loads(data.get("stamp") or "", salt=FORM_STAMP_SALT, max_age=86400)
        except signing.BadSignature:
            shown_at = None
        if shown_at is None or time.time() - float(shown_at) < conf.form_min_fill_seconds():
            self.is_robot = True
        return data


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
        label=_("Kind"), choices=[("", _("All kinds")), *Article.Kind.choices], required=False
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
