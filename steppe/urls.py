"""Root URLs: French pages at /, English under /en/ (i18n_patterns), admin at /admin/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from steppe.core import views as core_views
from steppe.library.urls import oai_urlpatterns

admin.site.site_header = "Steppe — administration"
admin.site.site_title = "Steppe"

urlpatterns = [
    # Probes for the load balancer and systemd (answered by core.middleware.HealthCheckMiddleware
    # before host checks; listed here so that reverse() and the docs know them).
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path(
        "", include("steppe.syndication.urls")
    ),  # feeds, sitemaps, robots.txt: same URL in every language
    path("", include((oai_urlpatterns, "oai"))),  # OAI-PMH at /oai, same URL in every language
    path("api/v1/", include("steppe.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("compte/", include("steppe.accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("moderation/", include("steppe.moderation.urls")),
    path("", include("steppe.search.urls")),
    path("", include("steppe.knowledge.urls")),
    path("", include("steppe.library.urls")),
    path("", include("steppe.publishing.urls")),
    prefix_default_language=False,
)

# A lost database connection answers a French 503 with Retry-After; other errors the 500 page.
handler500 = "steppe.core.views.server_error"

if settings.STEPPE_ENV != "production":
    # Uploaded files in development and tests; in production nginx or the object store serves them.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", core_views.media, name="media")
    ]
