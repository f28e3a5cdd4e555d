"""Signed links that let an author or a reporter appeal a decision without an account."""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

APPEAL_SALT = "steppe.moderation.appeal"
APPEAL_MAX_AGE = 183 * 24 * 3600  # six months


@dataclass(frozen=True)
class AppealRight:
    case_id: int | None
    role: str
    email: str
    sanction_id: int | None = None


def appeal_url(
    *, case_id: int | None = None, role: str, email: str, sanction_id: int | None = None
) -> str:
    """The path of the appeal form for this person and case (or account sanction)."""
    payload = {"r": role, "e": email}
    if sanction_id is not None:
        payload["s"] = sanction_id
    else:
        payload["c"] = case_id
    token = signing.dumps(payload, salt=APPEAL_SALT)
    return reverse("moderation:appeal_create", kwargs={"token": token})


def appeal_right_read(token: str) -> AppealRight | None:
    """Who may appeal what, from a link; None when the link is forged or too old."""
    try:
        data = signing.loads(token, salt=APPEAL_SALT, max_age=APPEAL_MAX_AGE)
        if "s" in data:
            return AppealRight(
                case_id=None, sanction_id=int(data["s"]), role=str(data["r"]), email=str(data["e"])
            )
        return AppealRight(case_id=int(data["c"]), role=str(data["r"]), email=str(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
