"""URLs of /api/v1/: every pattern wrapped by api_view (HTTP rules), then a JSON 404 for the rest."""

from django.http import HttpRequest
from django.urls import re_path
from django.utils.translation import gettext as _

from .errors import ApiError
from .http import api_view
from .v1.api import api

app_name = "api"

# Not shared with other origins: the docs page is for people on this site.
PRIVATE_VIEWS = {"openapi-view"}
SAFE_ONLY_VIEWS = {"openapi-json", "openapi-view", "api-root"}


def not_found(request: HttpRequest, path: str = ""):
    raise ApiError(404, _("There is no such API endpoint."))


not_found.csrf_exempt = True  # it changes nothing; a POST gets the same JSON 404


def _wrap(pattern):
    pattern.callback = api_view(
        pattern.callback,
        cors=pattern.name not in PRIVATE_VIEWS,
        safe_only=pattern.name in SAFE_ONLY_VIEWS,
    )
    return pattern


urlpatterns = [_wrap(pattern) for pattern in api.urls[0]]
urlpatterns.append(re_path(r"^(?P<path>.*)$", api_view(not_found, safe_only=False)))
