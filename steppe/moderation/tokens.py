"""Signed links that let an author or a reporter appeal a decision without an account."""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

APPEAL_SALT = "steppe.moderation.appeal"
APPEAL_MAX_AGE = 183 * 24 * 3600  # six months


@dataclass(frozen=True)
class AppealRight:
    case_id: int
    role: str
    email: str


def appeal_url(*, case_id: int, role: str, email: str) -> str:
    """The path of the appeal form for this person and case."""
    token = signing.dumps({"c": case_id, "r": role, "e": email}, salt=APPEAL_SALT)
    return reverse("moderation:appeal_create", kwargs={"token": token})


def appeal_right_read(token: str) -> AppealRight | None:
    """Who may appeal what, from a link; None when the link is forged or too old."""
    try:
        data = signing.loads(token, salt=APPEAL_SALT, max_age=APPEAL_MAX_AGE)
        return AppealRight(case_id=int(data["c"]), role=str(data["r"]), email=str(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
