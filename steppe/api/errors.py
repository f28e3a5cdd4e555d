"""Errors as JSON, in one shape: {"error": {"code": ..., "message": ..., "details": ...}}.

`code` is stable and meant for programs; `message` is for people and follows the request's language
(Accept-Language, French by default); `details` is null or an object/list that depends on the code.
"""

import json
import logging
from typing import Any

from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

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
        422: _("Some parameters are invalid."),
        429: _("Too many requests."),
        500: _("Internal server error."),
    }
    return str(messages.get(status, _("The request failed.")))


class ApiError(Exception):
    """An error the API reports as is: raise it from an endpoint."""

    def __init__(
        self, status: int, message: str | None = None, *, code: str | None = None, details=None
    ):
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.message = message or default_message(status)
        self.details = details
        super().__init__(self.message)


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


def _validation_details(errors: list[dict]) -> list[dict]:
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "message": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def install_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's error handlers with ones that answer in the stable shape."""

    def respond(request, status: int, code: str, message: str, details=None) -> HttpResponse:
        return api.create_response(request, error_body(code, message, details), status=status)

    def on_api_error(request, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.details)

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

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Exception, on_exception)
