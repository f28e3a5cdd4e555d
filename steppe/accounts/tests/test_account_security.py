"""Security of accounts: bad sign-up input, single-use and expiring links, two-factor sign-in for
editors, re-authentication before export and deletion, what the export holds and what deletion does.

E-mail goes through the real SMTP server of the `smtp_server` fixture.
"""

import io
import json
import re
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth.hashers import check_password
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from PIL import ExifTags, Image

from conftest import EDITOR_TOTP_SECRET, totp_code
from steppe.accounts.models import User
from steppe.accounts.roles import roles_ensure
from steppe.accounts.services import DELETED_ACCOUNT
from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.publishing import services
from steppe.publishing.models import Article, ArticleImage, ArticleRevision

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"  # UserFactory's password
NEW_PASSWORD = "Yourtes-et-chevaux-2026"


def _signup(client: Client, **overrides):
    data = {
        "email": "aigul@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Aïgul Nurlanovna",
        "kind": "individual",
        "organisation": "",
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def _link_path(smtp_server, address: str, pattern: str) -> str:
    """The path of the last link matching `pattern` e-mailed to `address`."""
    message = smtp_server.to(address)[-1]
    body = message.get_body(preferencelist=("plain",)).get_content()
    url = re.search(rf"https?://[^\s/]+(/\S*{pattern}\S*/)", body)
    assert url, body
    return url[1]


def _sign_in(client: Client, user: User, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def _reauthenticate(client: Client, password: str = PASSWORD, url: str = ""):
    return client.post(url or reverse("account_reauthenticate"), {"password": password})


def _image(fmt: str = "PNG", size=(1200, 800), mode: str = "RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (120, 90, 40)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


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


def _is_signed_in(client: Client) -> bool:
    return client.get(reverse("publishing:dashboard")).status_code == 200


# --- Sign-up with bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "aigul",
        "aigul@",
        "@example.org",
        "aigul@exa mple.org",
        "aigul@@example.org",
        "aigul@example..org",
        '"><script>alert(1)</script>@example.org',
        "aigul@" + "a" * 64 + ".example.org",
    ],
)
def test_signup_refuses_an_invalid_email_and_keeps_the_rest(client, smtp_server, address):
    response = _signup(client, email=address)
    html = response.content.decode()
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="Aïgul Nurlanovna"' in html
    assert "<script>alert(1)</script>" not in html
    assert not User.objects.exists()
    assert smtp_server.messages == []


def test_signup_refuses_an_address_longer_than_the_column(client, smtp_server):
    typed = "a" * 250 + "@example.org"
    response = _signup(client, email=typed)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.exists()
    assert smtp_server.messages == []


def test_signup_email_errors_are_in_french(client):
    response = _signup(client, email="aigul@example..org")
    assert "Saisissez une adresse de courriel valide." in response.content.decode()


# --- Single-use and expiring links --------------------------------------------------------------


def test_a_confirmation_link_works_only_once(client, smtp_server):
    _signup(client)
    path = _link_path(smtp_server, "aigul@example.org", "/confirm-email/")
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="aigul@example.org").verified
    client.logout()

    again = Client()
    assert again.post(path).status_code == 404
    page = again.get(path)
    assert page.status_code == 200
    assert page.context["confirmation"] is None
    assert not _is_signed_in(again)


def test_an_expired_confirmation_link_is_refused(client, smtp_server, settings, monkeypatch):
    # Sign up "four days ago": the link is signed with that date (allauth's HMAC keys carry it).
    days = settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS
    then = time.time() - (days + 1) * 86400
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: then))
    _signup(client)
    monkeypatch.undo()
    path = _link_path(smtp_server, "aigul@example.org", "/confirm-email/")
    client.logout()

    assert client.post(path).status_code == 404
    page = client.get(path)
    assert page.context["confirmation"] is None
    assert "a expiré ou n" in page.content.decode()  # allauth's French catalogue
    address = EmailAddress.objects.get(email="aigul@example.org")
    assert not address.verified
    assert not _is_signed_in(client)


def test_an_unexpired_confirmation_link_signed_earlier_still_works(
    client, smtp_server, settings, monkeypatch
):
    """The control of the test above: a link one day old is accepted."""
    then = time.time() - 86400
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: then))
    _signup(client)
    monkeypatch.undo()
    path = _link_path(smtp_server, "aigul@example.org", "/confirm-email/")
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="aigul@example.org").verified


def test_a_password_reset_link_works_only_once(client, smtp_server, contributor):
    client.post(reverse("account_reset_password"), {"email": contributor.email})
    path = _link_path(smtp_server, contributor.email, "/password/reset/key/")
    form_page = client.get(path)
    assert form_page.status_code == 302  # allauth moves the key into the session
    done = client.post(form_page.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    contributor.refresh_from_db()
    assert check_password(NEW_PASSWORD, contributor.password)

    for attempt in (client, Client()):
        page = attempt.get(path, follow=True)
        assert page.context["token_fail"] is True
        assert "Le lien de réinitialisation du mot de passe est invalide" in page.content.decode()
        attempt.post(
            path, {"password1": "Autre-mot-de-passe-99", "password2": "Autre-mot-de-passe-99"}
        )
        contributor.refresh_from_db()
        assert check_password(NEW_PASSWORD, contributor.password)


# --- Two-factor authentication for editors ------------------------------------------------------


def _editor_without_totp(kind: str) -> User:
    user = UserFactory(
        username=f"editeur-{kind}", is_staff=kind != "group", is_superuser=kind == "superuser"
    )
    if kind != "superuser":
        user.groups.add(roles_ensure())
    return user


@pytest.mark.parametrize("kind", ["staff", "group", "superuser"])
@pytest.mark.parametrize(
    "path", ["/admin/", "/redaction/", "/en/redaction/", "/admin/publishing/article/"]
)
def test_an_editor_without_totp_is_sent_to_the_totp_setup(client, kind, path):
    client.force_login(_editor_without_totp(kind))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_an_editor_without_totp_cannot_publish(client, contributor):
    article = services.article_draft_save(
        author=contributor, data=services.ArticleData(title="T", body_source="B")
    )
    services.article_submit(article=article, by=contributor)
    client.force_login(_editor_without_totp("staff"))
    response = client.post(reverse("publishing:review_publish", args=[article.pk]))
    assert response.url == reverse("mfa_activate_totp")
    article.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED


def test_once_totp_is_on_the_editor_gets_in(client):
    user = _editor_without_totp("staff")
    client.force_login(user)
    assert client.get("/redaction/").status_code == 302
    TOTP.activate(user, EDITOR_TOTP_SECRET)
    assert client.get("/moderation/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_contributor_is_not_asked_for_totp(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("publishing:dashboard")).status_code == 200
    assert client.get("/redaction/").status_code == 403


def test_an_editor_signs_in_with_password_then_code(client, editor):
    response = _sign_in(client, editor)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get("/redaction/").status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("moderation:queue")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_sign_the_editor_in(client, editor):
    _sign_in(client, editor)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert client.get(reverse("moderation:queue")).status_code == 302
    assert client.get("/admin/").status_code == 302


# --- Export -------------------------------------------------------------------------------------


@pytest.fixture
def body_of_work(contributor, editor):
    """The contributor's articles in every status, each with revisions, one with an image."""
    data = services.ArticleData
    articles = {}
    for status in PublicationStatus.values:
        articles[status] = services.article_draft_save(
            author=contributor, data=data(title=f"Article {status}", body_source=f"Texte {status}.")
        )
    services.article_draft_save(
        author=contributor,
        article=articles["draft"],
        data=data(title="Article draft", body_source="Version 2."),
    )
    image = services.article_image_add(
        article=articles["draft"], by=contributor, upload=_upload(_image())
    )
    live_image = services.article_image_add(
        article=articles["published"], by=contributor, upload=_upload(_image())
    )
    services.article_submit(article=articles["submitted"], by=contributor)
    services.article_submit(article=articles["refused"], by=contributor)
    services.article_refuse(article=articles["refused"], by=editor, reason="Hors sujet.")
    services.article_publish(article=articles["published"], by=None)
    services.article_publish(article=articles["withdrawn"], by=None)
    services.article_withdraw(article=articles["withdrawn"], by=contributor)
    other = services.article_draft_save(
        author=UserFactory(), data=data(title="Article d’un autre", body_source="Autre texte.")
    )
    return SimpleNamespace(articles=articles, image=image, live_image=live_image, other=other)


def _export_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_asks_for_the_password_again(client, contributor):
    client.force_login(contributor)
    for method in (client.get, client.post):
        response = method(reverse("accounts:data_export"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    wrong = _reauthenticate(client, "mauvais-mot-de-passe")
    assert wrong.status_code == 200
    assert "password" in wrong.context["form"].errors
    assert client.get(reverse("accounts:data_export")).status_code == 302


def test_export_resumes_after_reauthentication(client, contributor, body_of_work):
    client.force_login(contributor)
    asked = client.post(reverse("accounts:data_export"))
    response = _reauthenticate(client, url=asked.url)
    # allauth replays the suspended POST: the download starts right after the password.
    archive = _export_zip(response)
    assert "data.json" in archive.namelist()


def test_export_holds_every_article_with_revisions_and_the_files(client, contributor, body_of_work):
    client.force_login(contributor)
    _reauthenticate(client)
    archive = _export_zip(client.post(reverse("accounts:data_export")))
    data = json.loads(archive.read("data.json"))

    assert data["profile"]["username"] == contributor.username
    assert data["profile"]["emails"][0]["email"] == contributor.email
    by_title = {article["title"]: article for article in data["articles"]}
    assert set(by_title) == {f"Article {status}" for status in PublicationStatus.values}
    assert {article["status"] for article in data["articles"]} == set(PublicationStatus.values)
    for article in data["articles"]:
        assert article["revisions"], article["title"]
    draft = by_title["Article draft"]
    assert draft["body_markdown"] == "Version 2."
    assert sorted(r["content"]["body_source"] for r in draft["revisions"]) == [
        "Texte draft.",
        "Version 2.",
    ]
    assert by_title["Article refused"]["status"] == "refused"
    assert "Article d’un autre" not in archive.read("data.json").decode()

    names = set(archive.namelist())
    for image, title in (
        (body_of_work.image, "Article draft"),
        (body_of_work.live_image, "Article published"),
    ):
        entry = f"files/{image.file.name}"
        assert entry in names
        assert {"file": entry, "caption": "", "credit": ""} in by_title[title]["images"]
        with image.file.open("rb") as handle:
            assert archive.read(entry) == handle.read()


# --- Deletion -----------------------------------------------------------------------------------


def _delete(client: Client, choice: str, confirm: str = "SUPPRIMER"):
    return client.post(
        reverse("accounts:account_delete"), {"published": choice, "confirm": confirm}
    )


def test_deletion_asks_for_the_password_again(client, contributor):
    client.force_login(contributor)
    response = client.get(reverse("accounts:account_delete"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = _delete(client, "withdraw")
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=contributor.pk).exists()


@pytest.mark.parametrize("confirm", ["", "oui", "SUPPRIME", "supprimer le compte"])
def test_deletion_needs_supprimer_typed_and_keeps_the_choice(
    client, contributor, body_of_work, confirm
):
    client.force_login(contributor)
    _reauthenticate(client)
    response = _delete(client, "withdraw", confirm)
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    assert 'aria-describedby="id_confirm_error"' in response.content.decode()
    assert re.search(r'<input[^>]*value="withdraw"[^>]*checked', response.content.decode())
    assert User.objects.filter(pk=contributor.pk).exists()
    assert Article.objects.filter(author=contributor).count() == len(PublicationStatus.values)


def test_deletion_keeping_published_pieces_signs_them_deleted_contributor(
    client, contributor, body_of_work, settings, django_capture_on_commit_callbacks
):
    works = body_of_work
    published = works.articles["published"]
    client.force_login(contributor)
    _reauthenticate(client)
    files = _stored_files(settings)
    gone = {works.image.file.name, *works.image.variants.values()}
    kept = {works.live_image.file.name, *works.live_image.variants.values()}
    assert gone | kept <= files

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, "anonymise")
    assert response.status_code == 302
    assert not User.objects.filter(pk=contributor.pk).exists()
    assert not EmailAddress.objects.filter(email=contributor.email).exists()

    published.refresh_from_db()
    assert published.author.username == DELETED_ACCOUNT
    assert not published.author.is_active
    assert list(Article.objects.filter(author=published.author).values_list("pk", flat=True)) == [
        published.pk
    ]
    assert not Article.objects.filter(
        pk__in=[a.pk for s, a in works.articles.items() if s != "published"]
    ).exists()
    assert published.revisions.exists()
    assert not published.revisions.exclude(created_by=None).exists()

    page = Client().get(published.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert contributor.display_name not in html
    assert published.author.public_name in html
    assert kept <= _stored_files(settings)
    assert not gone & _stored_files(settings)
    assert Article.objects.filter(pk=works.other.pk).exists()
    stranger = Client()
    _sign_in(stranger, contributor)
    assert not _is_signed_in(stranger)


def test_the_byline_of_an_anonymised_piece_does_not_link_to_a_404(
    client, contributor, body_of_work
):
    client.force_login(contributor)
    _reauthenticate(client)
    _delete(client, "anonymise")
    html = Client().get(body_of_work.articles["published"].get_absolute_url()).content.decode()
    author_links = re.findall(r'<a rel="author" href="([^"]+)"', html)
    assert author_links
    for link in author_links:
        assert Client().get(link).status_code == 200


def test_after_deletion_the_contributors_name_is_no_longer_searchable(
    client, contributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_draft_save(
            author=contributor,
            data=services.ArticleData(title="Les caravanes du Pamir", body_source="Texte."),
        )
        services.article_publish(article=article, by=None)
    search = reverse("search:search")
    assert (
        "Les caravanes du Pamir" in Client().get(search, {"q": "Amanova"}).content.decode()
    )  # control
    client.force_login(contributor)
    _reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert _delete(client, "anonymise").status_code == 302
    assert Client().get(article.get_absolute_url()).status_code == 200
    html = Client().get(search, {"q": "Amanova"}).content.decode()
    assert contributor.display_name not in html
    assert "Les caravanes du Pamir" not in html


def test_nobody_can_sign_up_as_the_deleted_contributor_account(
    client, smtp_server, contributor, body_of_work
):
    _signup(Client(), email="imposteur@example.org", display_name="Contributeur supprimé")
    impostor = User.objects.get(email="imposteur@example.org")
    client.force_login(contributor)
    _reauthenticate(client)
    _delete(client, "anonymise")
    published = body_of_work.articles["published"]
    published.refresh_from_db()
    assert published.author != impostor
    assert not published.author.is_active
    client.force_login(impostor)
    assert published.title not in client.get(reverse("publishing:dashboard")).content.decode()
    assert (
        client.post(reverse("publishing:article_withdraw", args=[published.pk])).status_code == 404
    )


def test_deletion_withdrawing_published_pieces_removes_everything(
    client, contributor, body_of_work, settings, django_capture_on_commit_callbacks
):
    works = body_of_work
    client.force_login(contributor)
    _reauthenticate(client)
    mine = {
        works.image.file.name,
        *works.image.variants.values(),
        works.live_image.file.name,
        *works.live_image.variants.values(),
    }
    assert mine <= _stored_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        assert _delete(client, "withdraw").status_code == 302
    assert not User.objects.filter(pk=contributor.pk).exists()
    assert not Article.objects.exclude(pk=works.other.pk).exists()
    assert not ArticleImage.objects.exists()
    assert not ArticleRevision.objects.exclude(article=works.other).exists()
    assert not User.objects.filter(username=DELETED_ACCOUNT, articles__isnull=False).exists()
    assert not mine & _stored_files(settings)
    assert Client().get(works.articles["published"].get_absolute_url()).status_code == 404


# --- Profile: avatar uploads and field errors ---------------------------------------------------


def _profile(**overrides) -> dict:
    data = {
        "display_name": "Saule Amanova",
        "kind": "individual",
        "organisation": "",
        "website": "",
        "country": "",
        "bio": "Journaliste à Almaty.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("make", "name"),
    [
        pytest.param(lambda: b"%PDF-1.7\n%%EOF\n", "logo.png", id="pdf-renamed-png"),
        pytest.param(lambda: b"Bonjour\n", "logo.txt", id="text-file"),
        pytest.param(
            lambda: b"<html><script>alert(1)</script></html>", "logo.png", id="html-renamed-png"
        ),
        pytest.param(lambda: _image() + b"\0" * (15 * 1024 * 1024), "logo.png", id="over-15-MB"),
        pytest.param(lambda: _image("PNG", (8000, 6000), mode="1"), "logo.png", id="48-megapixels"),
    ],
)
def test_a_bad_avatar_is_a_field_error_and_the_other_fields_are_kept(
    client, contributor, settings, make, name
):
    client.force_login(contributor)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            **_profile(display_name="Saule A.", bio="Nouvelle bio."),
            "avatar_upload": _upload(make(), name),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "avatar_upload" in response.context["form"].errors
    assert 'id="id_avatar_upload_error"' in html
    assert 'value="Saule A."' in html
    assert "Nouvelle bio." in html
    contributor.refresh_from_db()
    assert contributor.display_name == "Saule Amanova"
    assert not contributor.avatar
    assert not {f for f in _stored_files(settings) if f.startswith("avatars/")}


def test_a_non_image_avatar_error_is_in_french(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("accounts:profile_edit"),
        {**_profile(), "avatar_upload": _upload(b"%PDF-1.7\n", "logo.png")},
    )
    assert "Téléversez une image valide." in response.content.decode()


def test_an_avatar_is_reencoded_without_location_or_payload(client, contributor):
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 15.0, 0.0)
    upload = _image("JPEG", exif=exif) + b"<script>alert('avatar')</script>"
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    client.force_login(contributor)
    response = client.post(
        reverse("accounts:profile_edit"),
        {**_profile(), "avatar_upload": _upload(upload, "moi.jpg", "image/jpeg")},
    )
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert re.fullmatch(r"avatars/[0-9a-f]{32}(-\d+)?\.webp", contributor.avatar.name)
    with contributor.avatar.open("rb") as handle:
        stored = handle.read()
    assert stored[8:12] == b"WEBP"
    assert b"<script" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


@pytest.mark.parametrize(
    "website",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "pas une adresse"],
)
def test_a_bad_website_is_refused_and_the_input_kept(client, contributor, website):
    client.force_login(contributor)
    response = client.post(
        reverse("accounts:profile_edit"), _profile(display_name="Saule A.", website=website)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "website" in response.context["form"].errors
    assert "Saisissez une URL valide." in html
    assert re.search(r'<input[^>]*name="website"[^>]*aria-describedby="id_website_error"', html)
    assert 'value="Saule A."' in html
    assert "<script>alert(1)</script>" not in html
    contributor.refresh_from_db()
    assert contributor.website == ""


def test_an_organisation_account_needs_its_name_and_keeps_the_input(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("accounts:profile_edit"), _profile(kind="ngo", organisation="", bio="Bio gardée.")
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert "Bio gardée." in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.kind == "individual"
