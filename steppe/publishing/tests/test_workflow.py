"""The contributors' workflow: write, submit, publish or refuse, withdraw, propose edits."""

import io
import uuid

from django.urls import reverse

import pytest
from PIL import Image

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.publishing import services
from steppe.publishing.models import Article, ArticleRevision
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "kind": "analysis",
        "title": "Le Syr-Daria en partage",
        "lead": "Un chapeau.",
        "body_source": "Premier paragraphe.\n\n## Ensuite\n\nSecond **paragraphe**.",
        "language": "fr",
        "countries": [Country.objects.get(code="KZ").pk],
        "themes": [Theme.objects.get(slug="eau").pk],
        "tags": "Syr-Daria, irrigation",
        "sources": "https://example.org/rapport",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _png(width=1200, height=800) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 80, 95)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    return buffer


def test_writing_a_draft_creates_the_article_and_a_revision(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("publishing:article_new"), _form())
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == article.get_edit_url()
    assert article.status == PublicationStatus.DRAFT
    assert article.author == contributor
    assert "<strong>paragraphe</strong>" in article.body_html
    assert [t.name for t in article.tags.all()] == ["Syr-Daria", "irrigation"]
    assert article.source_links == ["https://example.org/rapport"]
    assert article.revisions.count() == 1


def test_a_double_submit_creates_one_article(client, contributor):
    client.force_login(contributor)
    data = _form()
    client.post(reverse("publishing:article_new"), data)
    client.post(reverse("publishing:article_new"), data)
    assert Article.objects.count() == 1


def test_errors_keep_the_text_and_speak_french(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("publishing:article_new"), _form(title="", sources="pas un lien")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Article.objects.count() == 0
    assert "Ce champ est obligatoire." in html
    assert "n’est pas une adresse web" in html
    assert "Second **paragraphe**." in html


def test_preview_without_javascript_shows_the_rendered_body(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("publishing:article_new"), {**_form(), "preview": "1"})
    assert "<strong>paragraphe</strong>" in response.content.decode()
    assert Article.objects.count() == 0


def test_htmx_preview_returns_the_fragment_only(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("publishing:article_preview_new"),
        _form(body_source="*texte* <script>x</script>"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.strip().startswith("<p><em>texte</em>")
    assert "<script" not in html
    assert "<html" not in html


def test_autosave_creates_then_updates_one_draft(client, contributor):
    client.force_login(contributor)
    data = _form()
    client.post(reverse("publishing:article_autosave"), data, HTTP_HX_REQUEST="true")
    client.post(
        reverse("publishing:article_autosave"),
        {**data, "body_source": "Texte plus long."},
        HTTP_HX_REQUEST="true",
    )
    article = Article.objects.get()
    assert article.body_source == "Texte plus long."
    assert article.revisions.count() == 0
    client.post(reverse("publishing:article_new"), {**data, "body_source": "Version finale."})
    assert Article.objects.get().body_source == "Version finale."


def test_text_sent_after_the_session_expired_is_restored_after_signing_in(client, contributor):
    data = _form(title="Écrit hors connexion")
    response = client.post(reverse("publishing:article_new"), data)
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    client.force_login(contributor)  # keeps the session's data, as a real sign-in does
    html = client.get(reverse("publishing:article_new")).content.decode()
    assert 'value="Écrit hors connexion"' in html
    assert "Second **paragraphe**." in html


def test_submit_publish_and_emails(
    client, contributor, editor, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(contributor)
    client.post(reverse("publishing:article_new"), _form())
    article = Article.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publishing:article_submit", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED
    assert "Le Syr-Daria en partage" in smtp_server.to(contributor.email)[0]["Subject"]

    client.force_login(editor)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert article.title in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:review_publish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    assert "est publié" in smtp_server.to(contributor.email)[-1]["Subject"]
    assert article.title in client.get(reverse("publishing:home")).content.decode()
    assert article.title in client.get(contributor.get_absolute_url()).content.decode()


def test_refusal_needs_a_reason_that_reaches_the_author(
    client, contributor, editor, smtp_server, django_capture_on_commit_callbacks
):
    article = services.article_draft_save(
        author=contributor, data=services.ArticleData(title="T", body_source="B")
    )
    services.article_submit(article=article, by=contributor)
    client.force_login(editor)
    response = client.post(reverse("moderation:review_refuse", args=[article.pk]), {"text": ""})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("moderation:review_refuse", args=[article.pk]),
            {"text": "Sources manquantes."},
        )
    article.refresh_from_db()
    assert article.status == PublicationStatus.REFUSED
    assert "Sources manquantes." in smtp_server.to(contributor.email)[-1].get_body().get_content()
    client.force_login(contributor)
    assert "Sources manquantes." in client.get(reverse("publishing:dashboard")).content.decode()


def test_trusted_contributor_publishes_directly(contributor):
    contributor.is_trusted = True
    contributor.save()
    article = services.article_draft_save(
        author=contributor, data=services.ArticleData(title="T", body_source="B")
    )
    services.article_submit(article=article, by=contributor)
    assert article.status == PublicationStatus.PUBLISHED


def test_author_withdraws_a_published_article(client, contributor):
    article = services.article_draft_save(
        author=contributor, data=services.ArticleData(title="T", body_source="B")
    )
    services.article_publish(article=article, by=None)
    client.force_login(contributor)
    client.post(reverse("publishing:article_withdraw", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    assert client.get(article.get_absolute_url()).status_code == 404


def test_edit_of_a_published_article_waits_for_review_and_live_version_stays(
    client, contributor, editor, smtp_server
):
    article = services.article_draft_save(
        author=contributor,
        data=services.ArticleData(title="Titre en ligne", body_source="Texte en ligne."),
    )
    services.article_publish(article=article, by=None)
    client.force_login(contributor)
    client.post(article.get_edit_url(), _form(title="Titre corrigé", body_source="Texte corrigé."))
    article.refresh_from_db()
    assert article.title == "Titre en ligne"
    assert "Texte en ligne." in client.get(article.get_absolute_url()).content.decode()
    pending = article.revisions.get(state=ArticleRevision.State.PENDING)

    client.force_login(editor)
    review = client.get(reverse("moderation:review", args=[article.pk])).content.decode()
    assert "Titre corrigé" in review
    assert "diff__add" in review
    client.post(reverse("moderation:edit_apply", args=[pending.pk]))
    article.refresh_from_db()
    assert article.title == "Titre corrigé"
    assert article.status == PublicationStatus.PUBLISHED


def test_revisions_diff_between_any_two_versions(client, contributor):
    client.force_login(contributor)
    data = _form()
    client.post(reverse("publishing:article_new"), data)
    article = Article.objects.get()
    client.post(article.get_edit_url(), {**data, "body_source": "Tout autre texte."})
    client.post(article.get_edit_url(), {**data, "body_source": "Troisième version."})
    response = client.get(reverse("publishing:article_revisions", args=[article.pk]) + "?a=1&b=3")
    html = response.content.decode()
    assert "+Troisième version." in html
    assert "-Premier paragraphe." in html


def test_image_upload_is_reencoded_and_rendered_as_a_responsive_figure(
    client, contributor, settings
):
    client.force_login(contributor)
    client.post(reverse("publishing:article_new"), _form())
    article = Article.objects.get()
    client.post(
        reverse("publishing:article_image_upload", args=[article.pk]),
        {"image": _png(), "caption": "Le fleuve", "credit": "Steppe"},
    )
    image = article.images.get()
    assert image.file.name.endswith(".webp")
    assert image.width == 1200
    assert set(image.variants) == {"480", "960"}
    client.post(
        article.get_edit_url(),
        _form(body_source=f"Avant.\n\n{image.markdown}\n\nAprès.", form_token=""),
    )
    article.refresh_from_db()
    assert "<figure><img" in article.body_html
    assert 'srcset="' in article.body_html
    assert "<figcaption>Le fleuve — Steppe</figcaption>" in article.body_html


def test_an_image_of_another_article_is_not_rendered(contributor):
    other = UserFactory()
    theirs = services.article_draft_save(
        author=other, data=services.ArticleData(title="A", body_source="B")
    )
    image = services.article_image_add(article=theirs, by=other, upload=_png())
    mine = services.article_draft_save(
        author=contributor, data=services.ArticleData(title="M", body_source=image.markdown)
    )
    assert "<img" not in mine.body_html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/redaction/", "/moderation/"),
        ("/redaction/articles/{pk}/", "/moderation/articles/{pk}/"),
        ("/redaction/articles/{pk}/publier/", "/moderation/articles/{pk}/"),
        ("/redaction/articles/{pk}/versions/", "/moderation/articles/{pk}/versions/"),
        ("/redaction/modifications/{rev}/appliquer/", "/moderation/articles/{pk}/"),
    ],
)
def test_the_retired_queue_redirects_to_moderation_and_decides_nothing(
    client, contributor, editor, old, new
):
    article = services.article_draft_save(
        author=contributor, data=services.ArticleData(title="T", body_source="B")
    )
    services.article_submit(article=article, by=contributor)
    revision = article.revisions.first()
    old, new = (u.format(pk=article.pk, rev=revision.pk) for u in (old, new))
    client.force_login(contributor)
    assert client.get(old).status_code == 403
    client.force_login(editor)
    for method in (client.get, client.post):
        response = method(old)
        assert response.status_code == 301
        assert response.url == new
    article.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED
