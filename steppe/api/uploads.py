"""Receiving PDF uploads on the API: the library's upload handler, with answers in the API's shape.

The web pages install `library.uploads.LibraryUploadHandler` before anything reads `request.POST`
(every file goes straight to the library's temporary folder, and stops being written once it
passes the size limit). Ninja reads `request.POST` and `request.FILES` itself, while resolving the
operation's Form and File parameters, after authentication: `receives_pdf` (applied with Ninja's
`decorate_view`) installs the handler on the operation before that happens, so

- a request without a valid token is refused (401) before a byte of its body is read;
- a body whose Content-Length exceeds the file limit plus `FORM_ALLOWANCE` (the record's fields
  and the multipart framing) is refused with a 413 before a byte of it is read;
- otherwise the body is streamed through the handler in chunks (never held in memory); a file
  that passes the limit on the way is dropped, the rest of the body is read and discarded, and
  the request is answered 413 as well;
- the form fields are bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (a 413 past it), the number
  of fields and files by DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES (a 400).
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from steppe.library import conf as library_conf
from steppe.library.pdf import too_large_message
from steppe.library.uploads import LibraryUploadHandler

from .errors import ApiError

# Room for the record's form fields (the presentation is at most 20,000 characters) and the
# multipart boundaries, on top of the file itself.
FORM_ALLOWANCE = 1024 * 1024


def too_large_error() -> ApiError:
    limit = library_conf.max_upload_bytes()
    return ApiError(
        413,
        too_large_message(),
        code="payload_too_large",
        details={"reason": "too_large", "max_bytes": limit},
    )


class ApiUploadHandler(LibraryUploadHandler):
    """The library's handler, refusing an announced oversized body at once and reporting a file
    dropped on the way as an ApiError (413) once the body has been read."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 (Django's signature)
        if content_length > self.limit + FORM_ALLOWANCE:
            raise too_large_error()
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def upload_complete(self):
        if self.exceeded:
            raise too_large_error()
        return super().upload_complete()


def receives_pdf(run: Callable) -> Callable:
    """Wrap a Ninja operation's `run`: install `ApiUploadHandler` before the body is parsed."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        request.upload_handlers = [ApiUploadHandler(request)]
        return run(request, *args, **kwargs)

    return wrapper


def body_error(exc: Exception) -> ApiError:
    """The API's answer to a body Django's parser refused (malformed, too many parts, too big)."""
    if isinstance(exc, RequestDataTooBig):
        return ApiError(
            413,
            _("The request body is too large."),
            code="payload_too_large",
            details={"reason": "body_too_large"},
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return ApiError(400, _("The request has too many fields or files."))
    return ApiError(400, _("The request body could not be read as multipart/form-data."))


BODY_ERRORS = (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
