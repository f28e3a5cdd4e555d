"""Personal API tokens on the write endpoints: `Authorization: Bearer steppe_…`.

Only a bearer token authenticates these endpoints: a browser's session cookie does not (so there is
no cross-site request to forge, and no CSRF token to ask for), and a request without a token, or
with an unknown, revoked or expired one, is a 401 in the API's error shape.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja.security import HttpBearer

from steppe.accounts import tokens

from . import conf
from .errors import ApiError
from .http import SAFE_METHODS, rate_limited_error
from .throttling import rate_limit_hit


class TokenAuth(HttpBearer):
    """The token's account becomes `request.auth` (and `request.user`, for code that reads it)."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = tokens.api_token_authenticate(plaintext=token)
        except tokens.TokenError as error:
            raise ApiError(
                401,
                str(error) or _("This token is not valid."),
                code="invalid_token",
                details={"reason": error.reason},
                headers={"WWW-Authenticate": 'Bearer realm="steppe", error="invalid_token"'},
            ) from None
        user = api_token.user
        request.api_token = api_token
        request.user = user
        if request.method not in SAFE_METHODS:
            decision = rate_limit_hit(
                request, scope="write", rate=conf.write_rate_limit(), identity=f"user:{user.pk}"
            )
            if decision is not None and not decision.allowed:
                raise rate_limited_error(decision.reset)
        return user


token_auth = TokenAuth()
