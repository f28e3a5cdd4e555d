"""Errors as JSON, in one shape: {"error": {"code": ..., "message": ..., "details": ...}}.

`code` is stable and meant for programs; `message` is for people and follows the request's language
(Accept-Language, French by default); `details` is null or an object/list that depends on the code.
"""

import json
import logging
from typing import Any

from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("steppe.api")

JSON_CONTENT_TYPE = "application/json; charset=utf-8"

# The stable code of each status the API answers with.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}


def default_message(status: int) -> str:
    messages = {
        400: _("The request is malformed."),
        401: _("Authentication is required."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        412: _("A precondition of the request failed."),
        413: _("The request is too large."),
        422: _("Some parameters are invalid."),
        429: _("Too many requests."),
        500: _("Internal server error."),
    }
    return str(messages.get(status, _("The request failed.")))


class ApiError(Exception):
    """An error the API reports as is: raise it from an endpoint."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        details=None,
        headers: dict[str, str] | None = None,
    ):
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.message = message or default_message(status)
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)

    def response(self) -> HttpResponse:
        response = error_response(self.status, self.message, code=self.code, details=self.details)
        for name, value in self.headers.items():
            response[name] = value
        return response


def error_body(code: str, message: str, details: Any = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details}}


def error_response(
    status: int, message: str | None = None, *, code: str | None = None, details: Any = None
) -> HttpResponse:
    """A JSON error response, for code that runs outside Ninja (the URL wrapper, the 404 view)."""
    body = error_body(
        code or STATUS_CODES.get(status, "error"), message or default_message(status), details
    )
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_CONTENT_TYPE
    )


def report_exception(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """Log an unexpected exception like Django does, and answer a JSON 500."""
    logger.error(
        "Internal server error: %s", request.path, exc_info=exc, extra={"request": request}
    )
    # Error reporters (and the test client) listen to this signal, as for any Django view.
    got_request_exception.send(sender=None, request=request)
    return error_response(500)


# Pydantic writes its messages in English only: the common ones, in the request's language.
VALIDATION_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Enter a text."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "list_type": gettext_lazy("Enter a list."),
    "dict_type": gettext_lazy("Enter a JSON object."),
    "model_type": gettext_lazy("Enter a JSON object."),
    "model_attributes_type": gettext_lazy("Enter a JSON object."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("This value is not in the expected format."),
    "too_long": gettext_lazy("Give at most %(max_length)s items."),
    "too_short": gettext_lazy("Give at least %(min_length)s items."),
    "greater_than_equal": gettext_lazy("Enter a number greater than or equal to %(ge)s."),
    "less_than_equal": gettext_lazy("Enter a number less than or equal to %(le)s."),
    "greater_than": gettext_lazy("Enter a number greater than %(gt)s."),
    "less_than": gettext_lazy("Enter a number less than %(lt)s."),
    "datetime_type": gettext_lazy("Enter a date and time (ISO 8601)."),
    "datetime_parsing": gettext_lazy("Enter a date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Enter a date and time (ISO 8601)."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "extra_forbidden": gettext_lazy("This field is not accepted."),
    "url_parsing": gettext_lazy("Enter a web address (https://…)."),
    "url_scheme": gettext_lazy("Enter a web address (https://…)."),
}


def validation_message(error: dict) -> str:
    """Pydantic's message in English; in another language, ours when there is one."""
    kind = str(error.get("type", ""))
    template = VALIDATION_MESSAGES.get(kind)
    if template is None or (translation.get_language() or "").startswith("en"):
        return str(error.get("msg", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(template) % context
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def _location(loc) -> list[str]:
    parts = [str(part) for part in loc]
    # Multipart fields and files are part of the body too: ["form", "title"], ["file", "file"].
    if parts[:1] in (["form"], ["file"]):
        parts[0] = "body"
    # Ninja names the body after the view's argument: ["body", "payload", "title"] → body.title.
    if parts[:2] in (["body", "payload"], ["body", "record"]):
        del parts[1]
    return parts


def _validation_details(errors: list[dict]) -> list[dict]:
    return [
        {
            "loc": _location(error.get("loc", ())),
            "message": validation_message(error),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def install_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's error handlers with ones that answer in the stable shape."""

    def respond(request, status: int, code: str, message: str, details=None) -> HttpResponse:
        return api.create_response(request, error_body(code, message, details), status=status)

    def on_api_error(request, exc: ApiError) -> HttpResponse:
        response = respond(request, exc.status, exc.code, exc.message, exc.details)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def on_authentication_error(request, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            "unauthorized",
            _("Send a personal API token: Authorization: Bearer <token>."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="steppe"'
        return response

    def on_not_found(request, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", default_message(404))

    def on_http_error(request, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        return respond(request, status, STATUS_CODES.get(status, "error"), default_message(status))

    def on_validation_error(request, exc: ValidationError) -> HttpResponse:
        return respond(
            request,
            422,
            "validation_error",
            default_message(422),
            _validation_details(exc.errors),
        )

    def on_exception(request, exc: Exception) -> HttpResponse:
        # Handled once, by steppe.api.http.api_view, for the API and for code around it.
        raise exc

    # Django's request parser refusing a body (malformed multipart, too many fields, too large):
    # a client's error, not a 500.
    from .uploads import BODY_ERRORS, body_error

    def on_body_error(request, exc: Exception) -> HttpResponse:
        return on_api_error(request, body_error(exc))

    for kind in BODY_ERRORS:
        api.add_exception_handler(kind, on_body_error)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Exception, on_exception)
