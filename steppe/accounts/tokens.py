"""Personal API tokens: create, list, revoke, and recognise the one a request carries.

A token reads `steppe_<prefix>_<secret>`. The prefix (8 hex characters) is public: it names the token
in the contributor's list and finds its row. The secret is 256 random bits (`secrets.token_urlsafe`),
of which only a SHA-256 hash is stored: with that much entropy there is nothing to brute-force, so a
slow password hash (Argon2) would only cost every API request tens of milliseconds for no gain. The
plain token is returned once, by `api_token_create`, and never again.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User

SCHEME = "steppe"
PREFIX_BYTES = 4  # 8 hex characters
SECRET_BYTES = 32  # 256 bits
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most once a minute per token: not one UPDATE per API request.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    """A token that cannot be used; `reason` is stable: malformed, unknown, revoked, expired,
    inactive."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plaintext: str  # show it to its owner once; it is not stored


def secret_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked ones included, for the record)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_active_count(*, user: User) -> int:
    now = timezone.now()
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .count()
    )


def api_token_create(*, user: User, name: str, expires_at: datetime | None = None) -> NewToken:
    """Create a token for the user and return it with its plain text (the only time it exists)."""
    name = " ".join(name.split())[:100]
    if not name:
        raise TokenError("invalid", _("Give the token a name."))
    if api_token_active_count(user=user) >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            "too_many",
            _("You have %(count)d active tokens: revoke one before creating another.")
            % {"count": MAX_ACTIVE_TOKENS},
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(PREFIX_BYTES)
        plaintext = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    secret_hash=secret_hash(plaintext),
                    expires_at=expires_at,
                )
        except IntegrityError:  # the prefix is taken (one chance in billions): draw again
            continue
        return NewToken(token=token, plaintext=plaintext)
    raise RuntimeError("Could not draw a free token prefix.")


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good (idempotent: a revoked token keeps its first revocation date)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token


def _parse(plaintext: str) -> tuple[str, str] | None:
    scheme, _sep, rest = plaintext.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if scheme != SCHEME or len(prefix) != PREFIX_BYTES * 2 or not secret or len(plaintext) > 200:
        return None
    if not all(char in "0123456789abcdef" for char in prefix):
        return None
    return prefix, secret


def api_token_authenticate(*, plaintext: str) -> ApiToken:
    """The live token this text is, with its active user; raise TokenError otherwise."""
    parsed = _parse(plaintext.strip())
    if parsed is None:
        raise TokenError("malformed", _("This is not a Steppe API token."))
    token = ApiToken.objects.select_related("user").filter(prefix=parsed[0]).first()
    # Compare hashes in constant time even when the prefix is unknown.
    expected = token.secret_hash if token is not None else secret_hash("")
    if not hmac.compare_digest(expected, secret_hash(plaintext.strip())) or token is None:
        raise TokenError("unknown", _("This token is not valid."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenError("revoked", _("This token was revoked."))
    if token.is_expired(now):
        raise TokenError("expired", _("This token has expired."))
    if not token.user.is_active:
        raise TokenError("inactive", _("This token's account is disabled."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
