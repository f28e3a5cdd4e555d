"""Sign-up and profile forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steppe.core.images import image_process
from steppe.core.text import clean_text

# The one robot check of every public form. It lives in moderation (anti-spam is its concern) and
# imports nothing but Django and moderation.conf, so this upward import makes no cycle.
from steppe.moderation.antispam import HumanCheckMixin
from steppe.taxonomy.models import Country

from .models import User


class KindFieldsMixin:
    """Organisation accounts need their organisation's name; individuals may leave it empty."""

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind != User.Kind.INDIVIDUAL and not data.get("organisation"):
            self.add_error(
                "organisation", _("An organisation account needs its organisation name.")
            )
        for name in ("display_name", "organisation", "bio"):
            if name in data and isinstance(data[name], str):
                data[name] = clean_text(data[name])
        return data


class SignupForm(KindFieldsMixin, HumanCheckMixin):
    """Extra fields of allauth's sign-up form (allauth calls `signup()` after creating the user).

    Robot check: a honeypot ("homepage": the form has a real "website" field) and a signed minimum
    fill time; allauth's view cannot skip the write, so a robot gets a form error, input kept.
    """

    honeypot_name = "homepage"
    robot_error = True

    display_name = forms.CharField(label=_("Name shown on your publications"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Account kind"), choices=User.Kind.choices, initial=User.Kind.INDIVIDUAL
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Required for associations, NGOs, professionals and media."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.kind = self.cleaned_data["kind"]
        user.organisation = self.cleaned_data["organisation"]
        user.website = self.cleaned_data["website"]
        user.save()


class ProfileForm(KindFieldsMixin, forms.ModelForm):
    avatar_upload = forms.ImageField(
        label=_("Avatar or logo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, 15 MB at most."),
    )
    remove_avatar = forms.BooleanField(label=_("Remove the current picture"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = User
        fields = ["display_name", "kind", "organisation", "website", "country", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("name_fr")
        self.fields["display_name"].required = True

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if not upload:
            return None
        try:
            return image_process(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class AccountDeleteForm(forms.Form):
    class Published(models.TextChoices):
        ANONYMISE = "anonymise", _("Keep my published pieces online, signed “deleted contributor”")
        WITHDRAW = "withdraw", _("Withdraw my published pieces too")

    published = forms.ChoiceField(
        label=_("What should happen to your published pieces?"),
        choices=Published.choices,
        initial=Published.ANONYMISE,
        widget=forms.RadioSelect,
    )
    confirm = forms.CharField(label=_("Type SUPPRIMER to confirm"), max_length=20)

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().upper()
        if value not in {"SUPPRIMER", "DELETE"}:
            raise ValidationError(_("Type SUPPRIMER to confirm."))
        return value
