"""Root URLs: French pages at /, English under /en/ (i18n_patterns), admin at /admin/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from steppe.library.urls import oai_urlpatterns

admin.site.site_header = "Steppe — administration"
admin.site.site_title = "Steppe"

urlpatterns = [
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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
