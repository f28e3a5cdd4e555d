from django.test import Client
from django.urls import path, reverse

import pytest

from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:publishing_article_changelist",
    "admin:publishing_article_add",
    "admin:library_document_changelist",
    "admin:library_document_add",
    "admin:taxonomy_country_changelist",
    "admin:taxonomy_theme_changelist",
    "admin:taxonomy_tag_changelist",
    "admin:taxonomy_region_changelist",
    "admin:accounts_user_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_editor_can_use_the_admin(client, editor, name):
    client.force_login(editor)
    assert client.get(reverse(name)).status_code == 200


def test_editor_edits_an_article_and_the_html_is_sanitised(client, editor):
    article = ArticleFactory(published=True)
    client.force_login(editor)
    url = reverse("admin:publishing_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        kind="news",
        title="Titre revu",
        slug=article.slug,
        lead="Chapeau",
        language="fr",
        author=article.author.pk,
        status="published",
        published_at_0="01/03/2025",
        published_at_1="10:00:00",
        body_source="Texte <script>alert(1)</script> **gras**",
        countries=[],
        themes=[],
        tags=[],
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    article.refresh_from_db()
    assert article.title == "Titre revu"
    assert "<strong>gras</strong>" in article.body_html
    assert "<script" not in article.body_html


def test_editor_edits_document_chapters_inline(client, editor):
    document = DocumentFactory(published=True, chapters=["Un", "Deux"])
    client.force_login(editor)
    response = client.get(reverse("admin:library_document_change", args=[document.pk]))
    assert response.status_code == 200
    assert "Deux" in response.content.decode()


def test_readers_cannot_open_the_admin(client):
    response = client.get(reverse("admin:publishing_article_changelist"))
    assert response.status_code == 302


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_server_error_page_is_french(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html
    assert '<html lang="fr">' in html


def test_admin_edit_keeps_the_article_images(client, editor):
    import io

    from PIL import Image

    from steppe.publishing import services

    article = services.article_draft_save(
        author=editor, data=services.ArticleData(title="Avec image", body_source="Texte.")
    )
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 90, 120)).save(buffer, format="PNG")
    buffer.seek(0)
    image = services.article_image_add(article=article, by=editor, upload=buffer, caption="Le lac")
    client.force_login(editor)
    url = reverse("admin:publishing_article_change", args=[article.pk])
    response = client.post(
        url,
        {
            "kind": "news",
            "title": "Avec image",
            "slug": article.slug,
            "lead": "",
            "language": "fr",
            "author": editor.pk,
            "status": "draft",
            "body_source": f"Texte.\n\n{image.markdown}",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "<figure><img" in article.body_html
    assert "<figcaption>Le lac</figcaption>" in article.body_html


def test_the_admin_cannot_change_trusted_status_bypassing_the_audited_service(
    client, editor, django_user_model
):
    account = django_user_model.objects.create_user(
        username="someone", email="someone@example.org", password="x-Very-long-passw0rd"
    )
    from django.contrib.auth.models import Permission

    # An administrator who may edit accounts (editors only view them).
    editor.user_permissions.add(Permission.objects.get(codename="change_user"))
    client.force_login(editor)
    url = reverse("admin:accounts_user_change", args=[account.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "is_trusted" not in form.fields
    assert "is_trusted" in response.content.decode()  # shown, read-only
    data = {key: value for key, value in form.initial.items() if value is not None}
    for key in ("groups", "user_permissions", "password", "last_login"):
        data.pop(key, None)
    data.update(is_trusted="on", date_joined_0="01/03/2025", date_joined_1="10:00:00")
    response = client.post(url, data)
    assert response.status_code == 302, (response.status_code, response.content[:3000])
    account.refresh_from_db()
    assert account.is_trusted is False
