"""The API docs page: Swagger UI served from static/vendor, so that it loads nothing from elsewhere."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

SWAGGER_UI = "vendor/swagger-ui-dist-5.35.0"


class VendoredSwagger(DocsBase):
    """Ninja's Swagger page, with our template and the vendored swagger-ui-dist."""

    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "docExpansion": "list",
        "tryItOutEnabled": False,
        # Swagger UI would otherwise send the schema to validator.swagger.io for its badge.
        "validatorUrl": None,
    }

    def __init__(self, settings: dict[str, Any] | None = None):
        self.settings = {**self.default_settings, **(settings or {})}

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            self.template,
            {"api": api, "swagger_settings": swagger_settings, "swagger_ui": SWAGGER_UI},
        )
