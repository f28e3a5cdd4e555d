"""Security of the contributors' and editors' pages.

Every private URL is tried by every kind of visitor (anonymous, another contributor, an editor, the
owner, a contributor who is not an editor); then hostile input is sent to every form: oversized, fake
and booby-trapped images, huge bodies, markup and script in every text field, requests without a
CSRF token. French strings asserted here come from Django's own catalogue; the project's own
messages are checked by structure (field in form.errors, status, input value kept).
"""

import io
import json
import re
import struct
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest
from PIL import ExifTags, Image

from steppe.accounts import tokens
from steppe.accounts.models import ApiToken, User
from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.publishing import services
from steppe.publishing import urls as publishing_urls
from steppe.publishing.models import Article, ArticleImage, ArticleRevision
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"  # UserFactory's password
STORED_IMAGE_NAME = re.compile(r"^articles/\d{4}/\d{2}/[0-9a-f]{32}(-\d+)?\.webp$")


# --- Builders -----------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "kind": "analysis",
        "title": "Les glaciers du Pamir",
        "lead": "Un chapeau.",
        "body_source": "Premier paragraphe.\n\nSecond **paragraphe**.",
        "language": "fr",
        "countries": [Country.objects.get(code="TJ").pk],
        "themes": [Theme.objects.get(slug="eau").pk],
        "tags": "Pamir, glaciers",
        "sources": "https://example.org/rapport",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (1200, 800), mode: str = "RGB", **save
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (30, 80, 95)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, with (almost) no pixel data: a bomb."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Appareil"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 34.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (72.0, 18.0, 5.0)
    data = _image_bytes("JPEG", exif=exif)
    # The upload really carries a location, or the test below could not fail.
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def _upload(
    data: bytes, name: str = "photo.png", content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _stored_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return (
        {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def _snapshot() -> dict:
    """Everything a request could change in the workflow's tables."""
    return {
        "articles": sorted(
            Article.objects.values_list(
                "pk",
                "author_id",
                "status",
                "title",
                "lead",
                "body_source",
                "sources",
                "decision_reason",
                "published_at",
                "submitted_at",
            )
        ),
        "revisions": sorted(
            ArticleRevision.objects.values_list("pk", "article_id", "number", "state", "reason")
        ),
        "images": sorted(ArticleImage.objects.values_list("pk", "article_id", "file")),
        "tags": sorted(Article.tags.through.objects.values_list("article_id", "tag_id")),
        "users": sorted(
            User.objects.values_list(
                "pk",
                "email",
                "display_name",
                "kind",
                "organisation",
                "website",
                "bio",
                "avatar",
                "is_active",
                "is_trusted",
            )
        ),
        "files": _stored_files(django_settings),
    }


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


# --- The scene: one contributor's articles in every state ---------------------------------------


@dataclass
class Scene:
    owner: User
    other: User
    trusted: User
    editor: User
    draft: Article
    submitted: Article
    published: Article
    revision: ArticleRevision
    image: ArticleImage
    api_token: ApiToken

    def refresh(self) -> None:
        for obj in (self.owner, self.draft, self.submitted, self.published, self.revision):
            obj.refresh_from_db()


@pytest.fixture
def scene(contributor, editor) -> Scene:
    ArticleData = services.ArticleData
    draft = services.article_draft_save(
        author=contributor,
        data=ArticleData(title="Brouillon privé", body_source="Texte du brouillon."),
        form_token=uuid.uuid4(),
    )
    image = services.article_image_add(
        article=draft, by=contributor, upload=_upload(_image_bytes())
    )
    submitted = services.article_draft_save(
        author=contributor, data=ArticleData(title="Article soumis", body_source="Texte soumis.")
    )
    services.article_submit(article=submitted, by=contributor)
    published = services.article_draft_save(
        author=contributor,
        data=ArticleData(title="Article en ligne", body_source="Texte en ligne."),
    )
    services.article_publish(article=published, by=None)
    revision = services.article_edit_propose(
        article=published,
        by=contributor,
        data=ArticleData(title="Titre corrigé", body_source="Texte corrigé."),
    )
    return Scene(
        owner=contributor,
        other=UserFactory(username="bolat", display_name="Bolat Sadykov"),
        trusted=UserFactory(username="confiance", is_trusted=True),
        editor=editor,
        draft=draft,
        submitted=submitted,
        published=published,
        revision=revision,
        image=image,
        api_token=tokens.api_token_create(user=contributor, name="Script d'export").token,
    )


# --- The routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A private URL: which scene object it acts on, how it is called, what a legitimate call does."""

    name: str
    methods: tuple[str, ...]
    target: str | None = None  # Scene attribute whose pk the URL (or the form) carries
    pk_in_form: bool = False  # the pk travels in the POST data rather than in the path
    data: Callable[[Scene], dict] = field(default=lambda scene: {})
    # What a legitimate POST (or the only method) achieves, checked after the call.
    effect: Callable[[Scene, object], bool] = field(default=lambda scene, response: True)
    namespace: str = "publishing"

    def url(self, scene: Scene) -> str:
        name = f"{self.namespace}:{self.name}"
        if self.target is None or self.pk_in_form:
            return reverse(name)
        return reverse(name, args=[getattr(scene, self.target).pk])


def _html(response) -> str:
    return response.content.decode()


CONTRIBUTOR_ROUTES = [
    Route("dashboard", ("GET",), effect=lambda s, r: "Brouillon privé" in _html(r)),
    Route(
        "article_new",
        ("GET", "POST"),
        data=lambda s: _form(title="Nouvel article"),
        effect=lambda s, r: Article.objects.filter(author=s.owner, title="Nouvel article").exists(),
    ),
    Route(
        "article_preview_new",
        ("POST",),
        data=lambda s: _form(),
        effect=lambda s, r: "<strong>paragraphe</strong>" in _html(r),
    ),
    Route(
        "article_autosave",
        ("POST",),
        target="draft",
        pk_in_form=True,
        data=lambda s: {**_form(body_source="Sauvegarde automatique."), "article": s.draft.pk},
        effect=lambda s, r: s.draft.body_source == "Sauvegarde automatique.",
    ),
    Route(
        "article_edit",
        ("GET", "POST"),
        target="draft",
        data=lambda s: _form(title="Titre modifié"),
        effect=lambda s, r: s.draft.title == "Titre modifié",
    ),
    Route(
        "article_preview",
        ("POST",),
        target="draft",
        data=lambda s: _form(),
        effect=lambda s, r: "<strong>paragraphe</strong>" in _html(r),
    ),
    Route(
        "article_image_upload",
        ("POST",),
        target="draft",
        data=lambda s: {"image": _upload(_image_bytes()), "caption": "Le glacier"},
        effect=lambda s, r: s.draft.images.filter(caption="Le glacier").exists(),
    ),
    Route(
        "article_submit",
        ("POST",),
        target="draft",
        effect=lambda s, r: s.draft.status == PublicationStatus.SUBMITTED,
    ),
    Route(
        "article_withdraw",
        ("POST",),
        target="submitted",
        effect=lambda s, r: s.submitted.status == PublicationStatus.WITHDRAWN,
    ),
    Route(
        "article_revisions",
        ("GET",),
        target="draft",
        effect=lambda s, r: "Brouillon privé" in _html(r),
    ),
]

# The review queue lives in the moderation app since /redaction/ was retired (its addresses are
# redirects, see LEGACY_EDITORIAL_ROUTE_NAMES); the same editors-only matrix applies to it.
EDITORIAL_ROUTES = [
    Route(
        "queue", ("GET",), namespace="moderation", effect=lambda s, r: "Article soumis" in _html(r)
    ),
    Route(
        "review",
        ("GET",),
        target="submitted",
        namespace="moderation",
        effect=lambda s, r: "Texte soumis." in _html(r),
    ),
    Route(
        "review_publish",
        ("POST",),
        target="submitted",
        namespace="moderation",
        effect=lambda s, r: s.submitted.status == PublicationStatus.PUBLISHED,
    ),
    Route(
        "review_refuse",
        ("POST",),
        target="submitted",
        namespace="moderation",
        data=lambda s: {"text": "Sources manquantes."},
        effect=lambda s, r: s.submitted.status == PublicationStatus.REFUSED,
    ),
    Route(
        "review_request_changes",
        ("POST",),
        target="submitted",
        namespace="moderation",
        data=lambda s: {"text": "Ajoutez une source."},
        effect=lambda s, r: s.submitted.status == PublicationStatus.DRAFT,
    ),
    Route(
        "article_revisions",
        ("GET",),
        target="published",
        namespace="moderation",
        effect=lambda s, r: "Article en ligne" in _html(r),
    ),
    Route(
        "edit_apply",
        ("POST",),
        target="revision",
        namespace="moderation",
        effect=lambda s, r: (
            s.revision.state == ArticleRevision.State.APPLIED
            and s.published.title == "Titre corrigé"
        ),
    ),
    Route(
        "edit_reject",
        ("POST",),
        target="revision",
        namespace="moderation",
        data=lambda s: {"text": "Pas de source."},
        effect=lambda s, r: s.revision.state == ArticleRevision.State.REJECTED,
    ),
]

LEGACY_EDITORIAL_ROUTE_NAMES = {
    "review_queue",
    "review_article",
    "review_revisions",
    "review_publish",
    "review_refuse",
    "review_withdraw",
    "review_revision_apply",
    "review_revision_reject",
}

ACCOUNT_ROUTES = [
    Route(
        "profile_edit",
        ("GET", "POST"),
        data=lambda s: {
            "display_name": "Saule A.",
            "kind": "individual",
            "organisation": "",
            "website": "",
            "country": "",
            "bio": "",
        },
        effect=lambda s, r: s.owner.display_name == "Saule A.",
        namespace="accounts",
    ),
    Route(
        "data_export",
        ("GET", "POST"),
        effect=lambda s, r: r["Content-Type"] == "application/zip",
        namespace="accounts",
    ),
    Route(
        "account_delete",
        ("GET", "POST"),
        data=lambda s: {"published": "withdraw", "confirm": "SUPPRIMER"},
        effect=lambda s, r: not User.objects.filter(pk=s.owner.pk).exists(),
        namespace="accounts",
    ),
    Route(
        "api_tokens",
        ("GET",),
        effect=lambda s, r: "Script d&#x27;export" in _html(r) or "Script d'export" in _html(r),
        namespace="accounts",
    ),
    Route(
        "api_token_create",
        ("GET", "POST"),
        data=lambda s: {"name": "Robot", "lifetime": "30"},
        effect=lambda s, r: ApiToken.objects.filter(user=s.owner, name="Robot").exists(),
        namespace="accounts",
    ),
    Route(
        "api_token_revoke",
        ("POST",),
        target="api_token",
        effect=lambda s, r: ApiToken.objects.get(pk=s.api_token.pk).revoked_at is not None,
        namespace="accounts",
    ),
]

PUBLIC_ROUTE_NAMES = {
    "home",
    "article_detail",
    "kind_detail",
    "country_detail",
    "region_detail",
    "theme_detail",
    "author_detail",
}


def _params(routes: list[Route], *, with_target_only: bool = False) -> list:
    return [
        pytest.param(route, method, id=f"{route.name}-{method}")
        for route in routes
        if route.target is not None or not with_target_only
        for method in route.methods
    ]


def _call(client: Client, route: Route, method: str, scene: Scene):
    url = route.url(scene)
    if method == "GET":
        return client.get(url)
    return client.post(url, route.data(scene))


def _assert_effect(route: Route, method: str, scene: Scene, response) -> None:
    """A GET of a page that also takes a POST only has to show; the POST must do its job."""
    if method == "GET" and "POST" in route.methods:
        assert response.status_code == 200
    else:
        assert route.effect(scene, response)


def _sign_in(client: Client, user: User) -> None:
    """A real sign-in followed by re-authentication, as export and deletion require."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


# --- 1. Permission matrix -----------------------------------------------------------------------


def test_the_matrix_covers_every_private_route():
    """A new contributor, editorial or account URL must be added to the matrix (or declared public)."""
    from steppe.accounts import urls as account_urls

    publishing = {p.name: str(p.pattern) for p in publishing_urls.urlpatterns}
    contributor = {
        name
        for name, path in publishing.items()
        if path.startswith(("contribuer/", "tableau-de-bord/"))
    }
    editorial = {name for name, path in publishing.items() if path.startswith("redaction/")}
    assert {r.name for r in CONTRIBUTOR_ROUTES} == contributor
    assert editorial == LEGACY_EDITORIAL_ROUTE_NAMES  # redirects to /moderation/
    assert set(publishing) - contributor - editorial == PUBLIC_ROUTE_NAMES
    assert {r.name for r in ACCOUNT_ROUTES} == {p.name for p in account_urls.urlpatterns}


@pytest.mark.parametrize(
    ("route", "method"), _params(CONTRIBUTOR_ROUTES + EDITORIAL_ROUTES + ACCOUNT_ROUTES)
)
def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, scene, route, method):
    before = _snapshot()
    response = _call(client, route, method, scene)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _snapshot() == before


@pytest.mark.parametrize("intruder", ["other", "editor", "trusted"])
@pytest.mark.parametrize(("route", "method"), _params(CONTRIBUTOR_ROUTES, with_target_only=True))
def test_someone_elses_article_is_a_404_on_every_contributor_route(
    client, scene, route, method, intruder
):
    client.force_login(getattr(scene, intruder))
    before = _snapshot()
    response = _call(client, route, method, scene)
    assert response.status_code == 404
    assert 'class="error-page"' in response.content.decode()  # the site's French 404 page
    assert _snapshot() == before


def test_another_contributors_dashboard_does_not_list_the_owners_pieces(client, scene):
    client.force_login(scene.other)
    html = client.get(reverse("publishing:dashboard")).content.decode()
    for article in (scene.draft, scene.submitted, scene.published):
        assert article.title not in html


def test_reusing_the_owners_form_token_creates_a_separate_article(client, scene):
    client.force_login(scene.other)
    response = client.post(
        reverse("publishing:article_new"),
        _form(title="Détournement", form_token=str(scene.draft.form_token)),
    )
    assert response.status_code == 302
    scene.refresh()
    assert scene.draft.title == "Brouillon privé"
    assert Article.objects.get(title="Détournement").author == scene.other


def test_a_preview_never_shows_an_image_of_someone_elses_article(client, scene):
    client.force_login(scene.other)
    theirs = services.article_draft_save(
        author=scene.other, data=services.ArticleData(title="À moi", body_source="x")
    )
    body = f"Voici :\n\n{scene.image.markdown}\n"
    for url in (
        reverse("publishing:article_preview_new"),
        reverse("publishing:article_preview", args=[theirs.pk]),
    ):
        html = client.post(url, _form(body_source=body), HTTP_HX_REQUEST="true").content.decode()
        assert "Voici" in html
        assert "<img" not in html
        assert scene.image.file.name not in html


@pytest.mark.parametrize("who", ["owner", "other", "trusted"])
@pytest.mark.parametrize(("route", "method"), _params(EDITORIAL_ROUTES))
def test_contributors_who_are_not_editors_get_403_on_editorial_routes(
    client, scene, route, method, who
):
    client.force_login(getattr(scene, who))
    before = _snapshot()
    response = _call(client, route, method, scene)
    assert response.status_code == 403
    assert 'class="error-page"' in response.content.decode()  # the site's French 403 page
    assert _snapshot() == before


@pytest.mark.parametrize(("route", "method"), _params(CONTRIBUTOR_ROUTES))
def test_the_owner_uses_every_contributor_route(client, scene, route, method):
    client.force_login(scene.owner)
    response = _call(client, route, method, scene)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert not response.url.startswith(reverse("account_login"))
    scene.refresh()
    _assert_effect(route, method, scene, response)


@pytest.mark.parametrize(("route", "method"), _params(EDITORIAL_ROUTES))
def test_an_editor_uses_every_editorial_route(client, scene, route, method):
    client.force_login(scene.editor)
    response = _call(client, route, method, scene)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert not response.url.startswith((reverse("account_login"), reverse("mfa_activate_totp")))
    scene.refresh()
    _assert_effect(route, method, scene, response)


@pytest.mark.parametrize(("route", "method"), _params(ACCOUNT_ROUTES))
def test_the_owner_uses_every_account_route_after_signing_in(client, scene, route, method):
    _sign_in(client, scene.owner)
    response = _call(client, route, method, scene)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert not response.url.startswith(
            (reverse("account_login"), reverse("account_reauthenticate"))
        )
    if User.objects.filter(pk=scene.owner.pk).exists():
        scene.owner.refresh_from_db()
    _assert_effect(route, method, scene, response)


@pytest.mark.parametrize("who", ["owner", "editor"])
def test_the_versions_page_compares_the_last_two_versions_by_default(client, scene, who):
    client.force_login(getattr(scene, who))
    name = "publishing:article_revisions" if who == "owner" else "moderation:article_revisions"
    url = reverse(name, args=[scene.published.pk])
    explicit = client.get(url + "?a=1&b=2").content.decode()
    assert "+Titre corrigé" in explicit  # the diff itself works when both versions are named
    html = client.get(url).content.decode()
    assert "+Titre corrigé" in html
    assert "-Article en ligne" in html


def test_a_refusal_reason_over_the_limit_is_a_field_error_and_kept(client, scene):
    client.force_login(scene.editor)
    reason = "Trop long. " * 500  # 5,500 characters, over the form's 5,000
    response = client.post(
        reverse("moderation:review_refuse", args=[scene.submitted.pk]), {"text": reason}
    )
    assert response.status_code == 400
    assert "text" in response.context["form"].errors
    assert reason.strip() in response.content.decode()
    scene.refresh()
    assert scene.submitted.status == PublicationStatus.SUBMITTED


def test_turning_an_edit_down_without_a_reason_shows_the_error(client, scene):
    client.force_login(scene.editor)
    url = reverse("moderation:edit_reject", args=[scene.revision.pk])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert "Choisissez un motif ou rédigez-en un" in response.content.decode()
    scene.refresh()
    assert scene.revision.state == ArticleRevision.State.PENDING


# --- 2. Bad uploads -----------------------------------------------------------------------------


def _eps_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, format="EPS")
    return buffer.getvalue()


BAD_UPLOADS = [
    pytest.param(
        lambda: _image_bytes() + b"\0" * (15 * 1024 * 1024), "grande.png", id="over-15-MB"
    ),
    pytest.param(
        lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "rapport.png",
        id="pdf-renamed-png",
    ),
    pytest.param(lambda: b"Notes de terrain, Khorog.\n", "notes.txt", id="text-file"),
    pytest.param(
        lambda: b"<html><script>alert(1)</script></html>", "page.png", id="html-renamed-png"
    ),
    pytest.param(_eps_bytes, "photo.png", id="eps-renamed-png"),
    pytest.param(
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg", id="svg"
    ),
    pytest.param(lambda: _image_bytes()[:300], "coupee.png", id="truncated-png"),
    pytest.param(
        lambda: _image_bytes("PNG", (8000, 6000), mode="1"), "48mpx.png", id="48-megapixels"
    ),
    pytest.param(lambda: _png_claiming(10_000, 10_000), "bombe.png", id="bomb-100-megapixels"),
    pytest.param(lambda: _png_claiming(30_000, 30_000), "bombe.png", id="bomb-900-megapixels"),
]


@pytest.mark.parametrize(("make", "name"), BAD_UPLOADS)
def test_bad_uploads_are_refused_and_nothing_is_stored(client, scene, settings, make, name):
    client.force_login(scene.owner)
    files_before = _stored_files(settings)
    url = reverse("publishing:article_image_upload", args=[scene.draft.pk])
    response = client.post(url, {"image": _upload(make(), name), "caption": "Ma légende"})
    assert response.status_code == 400
    errors = response.context["image_form"].errors["image"]
    assert len(errors) == 1
    assert errors[0].strip()
    assert 'value="Ma légende"' in response.content.decode()
    assert scene.draft.images.count() == 1  # the scene's image only
    assert _stored_files(settings) == files_before


def test_an_upload_error_is_shown_next_to_the_field_and_keeps_the_caption(client, scene):
    client.force_login(scene.owner)
    url = reverse("publishing:article_image_upload", args=[scene.draft.pk])
    response = client.post(
        url,
        {"image": _upload(b"pas une image", "x.png"), "caption": "Ma légende", "credit": "Moi"},
    )
    assert "image" in response.context["image_form"].errors
    assert 'value="Ma légende"' in response.content.decode()


def test_a_png_html_polyglot_is_stored_as_a_clean_webp(client, scene):
    client.force_login(scene.owner)
    polyglot = _image_bytes() + b"<html><body><script>alert('polyglotte')</script></body></html>"
    assert (
        Image.open(io.BytesIO(polyglot)).format == "PNG"
    )  # the payload does not stop it being a PNG
    url = reverse("publishing:article_image_upload", args=[scene.draft.pk])
    client.post(url, {"image": _upload(polyglot, "polyglotte.png"), "caption": "Poly"})
    image = scene.draft.images.get(caption="Poly")
    names = [image.file.name, *image.variants.values()]
    assert len(names) == 3  # 1200 px wide: the original and the 480 and 960 px copies
    for name in names:
        assert STORED_IMAGE_NAME.match(name), name
        with image.file.storage.open(name, "rb") as handle:
            data = handle.read()
        assert data[:4] == b"RIFF"
        assert data[8:12] == b"WEBP"
        assert b"<script" not in data
        assert b"<html" not in data
    assert image.file.url.endswith(".webp")


def test_the_gps_location_is_stripped_from_uploaded_photos(client, scene):
    client.force_login(scene.owner)
    url = reverse("publishing:article_image_upload", args=[scene.draft.pk])
    client.post(
        url, {"image": _upload(_jpeg_with_gps(), "IMG_2041.jpg", "image/jpeg"), "caption": "GPS"}
    )
    image = scene.draft.images.get(caption="GPS")
    for name in [image.file.name, *image.variants.values()]:
        with image.file.storage.open(name, "rb") as handle:
            data = handle.read()
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "WEBP"
        assert not stored.getexif()
        assert b"Exif" not in data
        assert "IMG_2041" not in name


# --- 2. Oversized and over-long bodies ----------------------------------------------------------


TEN_MB = 10 * 1024 * 1024


@pytest.mark.parametrize("target", ["new", "edit", "autosave"])
def test_a_10_mb_body_is_a_clean_400_and_changes_nothing(client, scene, target):
    client.force_login(scene.owner)
    client.raise_request_exception = False
    before = _snapshot()
    data = _form(title="Énorme", body_source="a" * TEN_MB)
    url = {
        "new": reverse("publishing:article_new"),
        "edit": scene.draft.get_edit_url(),
        "autosave": reverse("publishing:article_autosave"),
    }[target]
    if target == "autosave":
        data["article"] = scene.draft.pk
    response = client.post(url, data)
    assert response.status_code == 400
    assert _snapshot() == before


def test_the_400_page_is_the_sites_own_page(client, contributor):
    client.force_login(contributor)
    client.raise_request_exception = False
    response = client.post(reverse("publishing:article_new"), _form(body_source="a" * TEN_MB))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bad Request (400)" not in html  # Django's bare English page
    assert '<html lang="fr"' in html
    assert 'class="error-page"' in html


@pytest.mark.parametrize("target", ["new", "edit"])
def test_a_body_over_the_limit_is_a_field_error_and_the_text_is_kept(client, scene, target):
    client.force_login(scene.owner)
    body = "Steppe " * 30_000  # 210,000 characters: over the form's 200,000, under the upload limit
    before = _snapshot()
    url = reverse("publishing:article_new") if target == "new" else scene.draft.get_edit_url()
    response = client.post(url, _form(title="Trop long", body_source=body))
    html = response.content.decode()
    assert response.status_code == 200
    assert "body_source" in response.context["form"].errors
    assert "Assurez-vous que cette valeur comporte au plus 200000 caractères" in html
    # next to the field: the error paragraph follows the body's textarea
    assert re.search(
        r'id="id_body_source"[^>]*>[^<]*</textarea>\s*<p class="field__error"[^>]*>Assurez-vous',
        html,
    )
    assert body.strip() in html
    assert 'value="Trop long"' in html
    assert _snapshot() == before


def test_javascript_sources_are_refused_and_the_input_kept(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("publishing:article_new"),
        _form(title="Sources", sources="javascript:alert(document.domain)"),
    )
    assert response.status_code == 200
    assert "sources" in response.context["form"].errors
    assert "javascript:alert(document.domain)" in response.content.decode()
    assert not Article.objects.exists()


def test_a_stale_autosave_of_a_published_article_is_not_a_server_error(client, contributor):
    contributor.is_trusted = True
    contributor.save()
    client.force_login(contributor)
    client.raise_request_exception = False
    data = _form(title="Publié tout de suite")
    client.post(reverse("publishing:article_autosave"), data, HTTP_HX_REQUEST="true")
    article = Article.objects.get()
    client.post(reverse("publishing:article_submit", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    response = client.post(
        reverse("publishing:article_autosave"),
        {**data, "body_source": "Onglet resté ouvert."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.body_source == data["body_source"]


# --- 2. Markup and script in every text field ---------------------------------------------------


def _payload(marker: str) -> str:
    return (
        f"<script>alert('{marker}')</script><img src=x onerror=alert('{marker}')>"
        f"\"><svg onload=alert('{marker}')><iframe src=javascript:alert('{marker}')>"
    )


MARKERS = {
    name: f"XSS{name.upper()}"
    for name in (
        "title",
        "lead",
        "body",
        "tag",
        "source",
        "name",
        "org",
        "bio",
        "caption",
        "credit",
        "edit",
        "reason",
    )
}
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "background",
}
# Elements that run or load something: none may be produced from what a contributor typed.
EMBEDDING_TAGS = {
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "applet",
    "form",
    "style",
    "script",
}


class _MarkupAudit(HTMLParser):
    """Finds anything a browser would run: scripts, event handlers, javascript: URLs, embeddings."""

    def __init__(self, markers: set[str]):
        super().__init__(convert_charrefs=True)
        self.markers = markers
        self.problems: list[str] = []
        self._raw: tuple[str, str] | None = None  # (tag, type) inside <script> or <style>
        self._raw_text: list[str] = []

    def _marked(self, text: str) -> bool:
        return any(marker in text for marker in self.markers)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and self._marked(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in EMBEDDING_TAGS and self._marked(" ".join(f"{n}={v}" for n, v in attrs)):
            self.problems.append(f"<{tag} {attrs!r}>")
        values = {name: (value or "").lower() for name, value in attrs}
        if (
            tag == "meta"
            and values.get("http-equiv") == "refresh"
            and "javascript:" in values.get("content", "")
        ):
            self.problems.append(f"<meta refresh {attrs!r}>")
        if tag in {"script", "style"}:
            self._raw = (tag, (dict(attrs).get("type") or "").strip().lower())
            self._raw_text = []

    def handle_data(self, data):
        if self._raw is not None:
            self._raw_text.append(data)

    def handle_endtag(self, tag):
        if self._raw is None or tag != self._raw[0]:
            return
        kind, content_type = self._raw
        text = "".join(self._raw_text)
        if kind == "style" or content_type in EXECUTABLE_SCRIPT_TYPES:
            if self._marked(text):
                self.problems.append(f"<{kind}>{text[:200]}</{kind}>")
        elif "json" in content_type:
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"broken JSON-LD: {text[:200]}")
        self._raw = None


def assert_nothing_executable(html: str) -> None:
    audit = _MarkupAudit(set(MARKERS.values()))
    audit.feed(html)
    audit.close()
    assert audit.problems == []


def test_the_markup_audit_catches_what_a_browser_would_run():
    """The checker must be able to fail, or the tests that use it prove nothing."""
    for unsafe in (
        _payload("XSSTITLE"),
        "<p onclick=\"alert('XSSBODY')\">x</p>",
        '<a href=" javascript:alert(1)">x</a>',
        '<script type="application/ld+json">{"a": "</script><script>alert(\'XSSNAME\')</script>',
        "<meta http-equiv=refresh content=\"0;url=javascript:alert('XSSLEAD')\">",
    ):
        with pytest.raises(AssertionError):
            assert_nothing_executable(unsafe)
    assert_nothing_executable(
        '<script src="/static/app.js"></script><script type="application/ld+json">{"name": "XSSNAME \\u003C"}</script>'
        "<p>&lt;script&gt;alert('XSSTITLE')&lt;/script&gt;</p>"
    )


def _hostile_article_form(**overrides) -> dict:
    body = (
        f"Texte {_payload(MARKERS['body'])}\n\n"
        f"[un lien](javascript:alert('{MARKERS['body']}')) <javascript:alert('{MARKERS['body']}')>\n\n"
        f"![image](javascript:alert('{MARKERS['body']}')) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
        f'<a href="javascript:alert(1)" onclick="alert(\'{MARKERS["body"]}\')">brut</a>\n'
    )
    return _form(
        kind="opinion",
        title=_payload(MARKERS["title"]),
        lead=_payload(MARKERS["lead"]),
        body_source=body,
        tags=f"<script>alert('{MARKERS['tag']}')</script>, <img src=x onerror=alert('{MARKERS['tag']}')>",
        sources=(
            f"https://example.org/?q=<script>alert('{MARKERS['source']}')</script>\n"
            f"https://example.org/\"onmouseover=\"alert('{MARKERS['source']}')"
        ),
        **overrides,
    )


@pytest.fixture
def hostile_pages(client, contributor, editor) -> dict[str, tuple[str, set[str]]]:
    """Every page that shows what a hostile contributor typed: name -> (html, markers it must show)."""
    pages: dict[str, tuple[str, set[str]]] = {}

    def page(name: str, response, *fields: str) -> None:
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = (response.content.decode(), {MARKERS[f] for f in fields})

    m = MARKERS
    client.force_login(contributor)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": f"<script>alert('{m['name']}')</script><img src=x onerror=alert('{m['name']}')>",
            "kind": "association",
            "organisation": _payload(m["org"]),
            "website": "",
            "country": "",
            "bio": _payload(m["bio"]),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    data = _hostile_article_form()
    response = client.post(reverse("publishing:article_new"), data)
    assert response.status_code == 302, response.context["form"].errors
    article = Article.objects.get()
    client.post(
        reverse("publishing:article_image_upload", args=[article.pk]),
        {
            "image": _upload(_image_bytes()),
            "caption": _payload(m["caption"])[:300],
            "credit": _payload(m["credit"])[:200],
        },
    )
    image = article.images.get()
    data = {
        **data,
        "body_source": data["body_source"] + f"\n\n{image.markdown}\n",
        "form_token": "",
    }
    page(
        "preview", client.post(article.get_edit_url(), {**data, "preview": "1"}), "body", "caption"
    )
    page(
        "preview_htmx",
        client.post(
            reverse("publishing:article_preview", args=[article.pk]), data, HTTP_HX_REQUEST="true"
        ),
        "body",
    )
    assert client.post(article.get_edit_url(), {**data, "submit": "1"}).status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED
    assert "<figure>" in article.body_html
    page("dashboard", client.get(reverse("publishing:dashboard")), "title")
    page(
        "editor",
        client.get(article.get_edit_url()),
        "title",
        "lead",
        "body",
        "tag",
        "source",
        "caption",
    )
    # ?b=1: the first version compared with nothing, so that every field is in the diff.
    page(
        "revisions",
        client.get(reverse("publishing:article_revisions", args=[article.pk]) + "?b=1"),
        "title",
        "lead",
        "body",
    )

    client.force_login(editor)
    page("review_queue", client.get(reverse("moderation:queue")), "title", "name")
    page(
        "review",
        client.get(reverse("moderation:review", args=[article.pk])),
        "title",
        "lead",
        "body",
        "source",
        "name",
        "caption",
        "credit",
    )
    page(
        "review_revisions",
        client.get(reverse("moderation:article_revisions", args=[article.pk]) + "?b=1"),
        "title",
        "lead",
        "body",
    )
    client.post(reverse("moderation:review_publish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED

    client.logout()
    page(
        "article",
        client.get(article.get_absolute_url()),
        "title",
        "lead",
        "body",
        "tag",
        "name",
        "org",
        "caption",
        "credit",
    )
    page(
        "author", client.get(contributor.get_absolute_url()), "title", "lead", "name", "org", "bio"
    )
    page("home", client.get(reverse("publishing:home")), "title", "name")
    page(
        "opinions",
        client.get(reverse("publishing:kind_detail", args=["opinions"])),
        "title",
        "lead",
        "name",
    )

    client.force_login(contributor)
    client.post(article.get_edit_url(), {**data, "title": _payload(m["edit"])})
    assert article.revisions.filter(state=ArticleRevision.State.PENDING).exists()
    page("editor_live", client.get(article.get_edit_url()), "title")
    client.force_login(editor)
    page("review_edit", client.get(reverse("moderation:review", args=[article.pk])), "edit")
    page("review_queue_edit", client.get(reverse("moderation:queue")), "title", "name")
    return pages


HOSTILE_PAGES = [
    "preview",
    "preview_htmx",
    "dashboard",
    "editor",
    "revisions",
    "review_queue",
    "review",
    "review_revisions",
    "article",
    "author",
    "home",
    "opinions",
    "editor_live",
    "review_edit",
    "review_queue_edit",
]


def test_markup_typed_in_any_field_never_runs(hostile_pages):
    """One pass over every page (building them is the slow part); the failure lists every page."""
    assert set(hostile_pages) == set(HOSTILE_PAGES)
    report: dict[str, list[str]] = {}
    for name, (html, shown) in hostile_pages.items():
        audit = _MarkupAudit(set(MARKERS.values()))
        audit.feed(html)
        audit.close()
        missing = sorted(marker for marker in shown if marker not in html)
        if missing:  # the field is not rendered there, so the page would prove nothing
            audit.problems.append(f"does not show {missing}")
        if audit.problems:
            report[name] = audit.problems
    assert report == {}


def test_a_hostile_refusal_reason_never_runs(client, scene):
    reason = _payload(MARKERS["reason"])
    client.force_login(scene.editor)
    assert (
        client.post(
            reverse("moderation:review_refuse", args=[scene.submitted.pk]), {"text": reason}
        ).status_code
        == 302
    )
    client.force_login(scene.owner)
    for url in (reverse("publishing:dashboard"), scene.submitted.get_edit_url()):
        html = client.get(url).content.decode()
        assert MARKERS["reason"] in html
        assert_nothing_executable(html)


def test_sanitising_the_stored_body_again_changes_nothing(client, contributor):
    from steppe.core.text import sanitize_html

    client.force_login(contributor)
    client.post(reverse("publishing:article_new"), _hostile_article_form())
    article = Article.objects.get()
    assert MARKERS["body"] in article.body_html
    assert sanitize_html(article.body_html) == article.body_html
    assert "<script" not in article.body_html
    assert '<a href="javascript' not in article.body_html
    assert_nothing_executable(article.body_html)


# --- 2. CSRF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsrfCase:
    user: str
    page: Callable[[Scene], str]  # a page whose form carries the token
    url: Callable[[Scene], str]
    data: Callable[[Scene], dict]
    done: Callable[[Scene], bool]


CSRF_CASES = {
    "article_save": CsrfCase(
        "owner",
        lambda s: reverse("publishing:article_new"),
        lambda s: reverse("publishing:article_new"),
        lambda s: _form(title="Avec jeton"),
        lambda s: Article.objects.filter(title="Avec jeton").exists(),
    ),
    "article_submit": CsrfCase(
        "owner",
        lambda s: s.draft.get_edit_url(),
        lambda s: reverse("publishing:article_submit", args=[s.draft.pk]),
        lambda s: {},
        lambda s: s.draft.status == PublicationStatus.SUBMITTED,
    ),
    "image_upload": CsrfCase(
        "owner",
        lambda s: s.draft.get_edit_url(),
        lambda s: reverse("publishing:article_image_upload", args=[s.draft.pk]),
        lambda s: {"image": _upload(_image_bytes()), "caption": "Jeton"},
        lambda s: s.draft.images.filter(caption="Jeton").exists(),
    ),
    "profile_save": CsrfCase(
        "owner",
        lambda s: reverse("accounts:profile_edit"),
        lambda s: reverse("accounts:profile_edit"),
        lambda s: {
            "display_name": "Nom changé",
            "kind": "individual",
            "organisation": "",
            "website": "",
            "country": "",
            "bio": "",
        },
        lambda s: s.owner.display_name == "Nom changé",
    ),
    "review_publish": CsrfCase(
        "editor",
        lambda s: reverse("moderation:review", args=[s.submitted.pk]),
        lambda s: reverse("moderation:review_publish", args=[s.submitted.pk]),
        lambda s: {},
        lambda s: s.submitted.status == PublicationStatus.PUBLISHED,
    ),
}


@pytest.mark.parametrize("case", list(CSRF_CASES.values()), ids=list(CSRF_CASES))
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(scene, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(getattr(scene, case.user))
    before = _snapshot()
    response = client.post(case.url(scene), case.data(scene))
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()
    assert _snapshot() == before
    # The same request with the page's token goes through: the 403 above was the missing token.
    token = _csrf_token(client.get(case.page(scene)).content.decode())
    response = client.post(case.url(scene), {**case.data(scene), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    scene.refresh()
    assert case.done(scene)
