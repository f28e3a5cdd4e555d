"""Robot checks for public forms, without third-party services: a honeypot and a minimum fill time.

One mechanism for every public form (sign-up, reports, appeals). It imports nothing from Steppe but
`conf`, so forms of other apps (accounts' sign-up) can mix it in. Hand-written because the checks are
a few lines and the maintained packages for this (django-honeypot) do not sign the fill time.
"""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from . import conf

FORM_STAMP_SALT = "steppe.moderation.form-stamp"
STAMP_FIELD = "stamp"
STAMP_MAX_AGE = 86400


def form_stamp() -> str:
    """A signed timestamp put in a public form when it is shown (minimum fill time)."""
    return signing.dumps(time.time(), salt=FORM_STAMP_SALT)


def stamp_is_human(stamp: str | None) -> bool:
    """Whether the form carrying `stamp` was shown long enough ago (and not too long ago).

    A minimum of 0 seconds turns the check off (test settings); the honeypot still applies.
    """
    if conf.form_min_fill_seconds() <= 0:
        return True
    try:
        shown_at = signing.loads(stamp or "", salt=FORM_STAMP_SALT, max_age=STAMP_MAX_AGE)
    except signing.BadSignature:
        return False
    try:
        return time.time() - float(shown_at) >= conf.form_min_fill_seconds()
    except (TypeError, ValueError):
        return False


class HumanCheckMixin(forms.Form):
    """Honeypot field and signed minimum fill time.

    By default `is_robot` is set instead of an error: robots get the normal answer and nothing is
    stored. Forms whose view cannot skip the write (allauth's sign-up) set `robot_error = True` and
    get a form error instead, with everything typed kept. The honeypot's name is `honeypot_name`
    (a form that has a real "website" field picks another).
    """

    honeypot_name = "website"
    robot_error = False

    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_name] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot"}
            ),
        )
        # A fresh stamp on every rendering: a form shown again after an error starts a new count.
        self.initial[STAMP_FIELD] = form_stamp()
        if self.is_bound:
            self.data = self.data.copy()
            self._bound_stamp = self.data.get(self.add_prefix(STAMP_FIELD), "")
            self.data[self.add_prefix(STAMP_FIELD)] = self.initial[STAMP_FIELD]
        self.is_robot = False

    @property
    def honeypot(self):
        return self[self.honeypot_name]

    def clean(self):
        data = super().clean()
        if data.get(self.honeypot_name) or not stamp_is_human(getattr(self, "_bound_stamp", "")):
            self.is_robot = True
        if self.is_robot and self.robot_error:
            raise forms.ValidationError(
                _(
                    "This form was sent too fast or with a hidden field filled in, as robots do. "
                    "Check your answers and send it again."
                ),
                code="robot",
            )
        return data
