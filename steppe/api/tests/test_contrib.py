"""/api/v1/me: contributors' own articles with personal API tokens.

The write endpoints accept bearer tokens only (a session cookie does not authenticate them, so no
CSRF token is needed nor possible), look articles up among the token owner's own (another's is a
404), and go through the publishing services like the web editor.
"""

import datetime
import uuid

from django.test import Client
from django.utils import timezone

import pytest

from steppe.accounts.models import ApiToken
from steppe.accounts.tests.factories import UserFactory
from steppe.accounts.tokens import api_token_revoke
from steppe.core.models import PublicationStatus
from steppe.publishing.models import Article, ArticleRevision
from steppe.publishing.tests.factories import ArticleFactory

from .test_http import assert_error_shape

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
ARTICLES = "/api/v1/me/articles"
DRAFT = {
    "title": "Le prix du charbon à Karaganda",
    "kind": "analysis",
    "lead": "Un chapeau.",
    "body_source": "Premier paragraphe.\n\n## Un intertitre\n\nSecond paragraphe.",
    "countries": ["kz"],
    "themes": ["energie"],
    "tags": ["charbon", "prix"],
    "sources": ["https://example.org/rapport"],
}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post(client, url, data=None, token=None, **headers):
    if token:
        headers.update(bearer(token))
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def patch(client, url, data, token, **headers):
    return client.patch(url, data, content_type="application/json", headers=bearer(token) | headers)


@pytest.fixture
def author(db):
    return UserFactory(username="baurzhan", display_name="Baurzhan Ospanov")


@pytest.fixture
def token(author, make_token):
    return make_token(author)


@pytest.fixture
def other_draft(db):
    return ArticleFactory(title="Le brouillon d’un autre", body_source="Secret.", slug="autre")


# --- Authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", ME), ("get", ARTICLES), ("post", ARTICLES), ("get", f"{ARTICLES}/1")],
)
def test_without_a_token_every_endpoint_is_a_401(client, method, url):
    response = getattr(client, method)(url)
    assert_error_shape(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "value",
    [
        "Bearer ",
        "Bearer pas-un-jeton",
        "Bearer steppe_00000000_" + "a" * 43,
        "Token steppe_00000000_abc",
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    ],
)
def test_a_wrong_token_is_refused(client, token, value):
    response = client.get(ARTICLES, headers={"Authorization": value})
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"unauthorized", "invalid_token"}


def test_a_right_prefix_with_a_wrong_secret_is_refused(client, token):
    forged = token[: len("steppe_") + 8] + "_" + "x" * 43
    error = assert_error_shape(client.get(ARTICLES, headers=bearer(forged)), 401, "invalid_token")
    assert error["details"] == {"reason": "unknown"}


def test_a_revoked_token_is_refused(client, author, token):
    assert client.get(ARTICLES, headers=bearer(token)).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=author))
    response = post(client, ARTICLES, DRAFT, token)
    error = assert_error_shape(response, 401, "invalid_token")
    assert error["details"] == {"reason": "revoked"}
    assert error["message"] == "Ce jeton a été révoqué."
    assert not Article.objects.filter(author=author).exists()


def test_an_expired_token_is_refused(client, author, make_token):
    token = make_token(author, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    error = assert_error_shape(client.get(ME, headers=bearer(token)), 401, "invalid_token")
    assert error["details"] == {"reason": "expired"}


def test_a_token_not_yet_expired_works(client, author, make_token):
    token = make_token(author, expires_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(ME, headers=bearer(token)).status_code == 200


def test_the_token_of_a_disabled_account_is_refused(client, author, token):
    author.is_active = False
    author.save()
    error = assert_error_shape(client.get(ME, headers=bearer(token)), 401, "invalid_token")
    assert error["details"] == {"reason": "inactive"}


def test_a_session_cookie_does_not_authenticate_the_write_endpoints(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert_error_shape(post(client, ARTICLES, DRAFT), 401, "unauthorized")
    assert client.get(ARTICLES).status_code == 401
    assert not Article.objects.filter(author=author).exists()


def test_a_bearer_token_needs_no_csrf_token(author, token):
    client = Client(enforce_csrf_checks=True)
    assert post(client, ARTICLES, DRAFT, token).status_code == 201


def test_me_names_the_account_and_the_token(client, author, token):
    body = client.get(ME, headers=bearer(token)).json()
    assert body["username"] == "baurzhan"
    assert body["token"]["prefix"] == token.split("_")[1]
    assert body["articles"].endswith(ARTICLES)
    assert ApiToken.objects.get(user=author).last_used_at is not None


def test_authenticated_answers_are_private_and_not_shared_across_origins(client, token):
    response = client.get(ARTICLES, headers=bearer(token) | {"Origin": "https://example.org"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


# --- Another contributor's articles: 404, never 403 ----------------------------------------------


@pytest.mark.parametrize("status", PublicationStatus.values)
def test_a_token_never_reads_another_contributors_article(client, token, status):
    article = ArticleFactory(status=status, published_at=timezone.now())
    error = assert_error_shape(
        client.get(f"{ARTICLES}/{article.pk}", headers=bearer(token)), 404, "not_found"
    )
    assert error["message"] == "Aucun article trouvé."
    listed = client.get(ARTICLES, headers=bearer(token)).json()["items"]
    assert article.pk not in {item["id"] for item in listed}


def test_a_token_never_changes_nor_submits_another_contributors_draft(client, token, other_draft):
    url = f"{ARTICLES}/{other_draft.pk}"
    assert patch(client, url, {"title": "Volé"}, token).status_code == 404
    assert post(client, f"{url}/submit", token=token).status_code == 404
    other_draft.refresh_from_db()
    assert other_draft.title == "Le brouillon d’un autre"
    assert other_draft.status == PublicationStatus.DRAFT
    assert not other_draft.revisions.exists()


def test_an_idempotency_key_of_another_contributor_creates_a_new_draft(client, token, other_draft):
    key = uuid.uuid4()
    Article.objects.filter(pk=other_draft.pk).update(form_token=key)
    response = post(client, ARTICLES, DRAFT, token, **{"Idempotency-Key": str(key)})
    assert response.status_code == 201
    assert response.json()["id"] != other_draft.pk
    other_draft.refresh_from_db()
    assert other_draft.title == "Le brouillon d’un autre"


# --- The workflow ------------------------------------------------------------------------------


def test_draft_update_submit(client, author, token, kazakhstan, energy):
    created = post(client, ARTICLES, DRAFT, token)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft"
    assert body["countries"] == ["KZ"]
    assert body["themes"] == ["energie"]
    assert body["tags"] == ["charbon", "prix"]
    assert body["sources"] == ["https://example.org/rapport"]
    assert "<h2>Un intertitre</h2>" in body["body_html"]
    assert body["url"] is None
    article = Article.objects.get(pk=body["id"], author=author)
    assert article.revisions.count() == 1

    url = body["api_url"]
    updated = patch(client, url, {"lead": "Un autre chapeau.", "countries": []}, token)
    assert updated.status_code == 200
    assert updated.json()["lead"] == "Un autre chapeau."
    assert updated.json()["countries"] == []
    assert updated.json()["title"] == DRAFT["title"]  # unsent fields keep their value
    assert article.revisions.count() == 2

    submitted = post(client, f"{url}/submit", token=token)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"]
    again = post(client, f"{url}/submit", token=token)
    error = assert_error_shape(again, 409, "conflict")
    assert error["message"] == "Cet article n’est pas un brouillon."


def test_a_trusted_contributors_submission_is_published(client, author, token):
    author.is_trusted = True
    author.save()
    article_id = post(client, ARTICLES, DRAFT, token).json()["id"]
    body = post(client, f"{ARTICLES}/{article_id}/submit", token=token).json()
    assert body["status"] == "published"
    assert body["url"].endswith(f"/articles/{body['slug']}/")


def test_editing_a_published_article_proposes_an_edit(client, author, token):
    article = ArticleFactory(author=author, published=True, title="En ligne")
    response = patch(client, f"{ARTICLES}/{article.pk}", {"title": "Corrigé"}, token)
    assert response.status_code == 202
    body = response.json()
    assert body["title"] == "En ligne"  # the live version stays until an editor applies it
    assert body["has_pending_edit"] is True
    revision = ArticleRevision.objects.get(article=article, state="pending")
    assert body["pending_edit"]["number"] == revision.number
    assert revision.data["title"] == "Corrigé"


def test_a_trusted_contributors_edit_is_applied_at_once(client, author, token):
    author.is_trusted = True
    author.save()
    article = ArticleFactory(author=author, published=True, title="En ligne")
    response = patch(client, f"{ARTICLES}/{article.pk}", {"title": "Corrigé"}, token)
    assert response.status_code == 200
    assert response.json()["title"] == "Corrigé"


def test_a_refused_article_becomes_a_draft_again_when_edited(client, author, token):
    article = ArticleFactory(author=author, status="refused", decision_reason="Hors sujet.")
    body = patch(client, f"{ARTICLES}/{article.pk}", {"title": "Repris"}, token).json()
    assert body["status"] == "draft"


def test_the_same_idempotency_key_updates_the_first_draft(client, author, token):
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first = post(client, ARTICLES, DRAFT, token, **headers)
    second = post(client, ARTICLES, {**DRAFT, "title": "Titre corrigé"}, token, **headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Article.objects.filter(author=author).count() == 1
    assert Article.objects.get(author=author).title == "Titre corrigé"


def test_list_shows_own_articles_in_every_status_with_a_filter(client, author, token, other_draft):
    mine = {status: ArticleFactory(author=author, status=status) for status in ("draft", "refused")}
    body = client.get(ARTICLES, headers=bearer(token)).json()
    assert {item["id"] for item in body["items"]} == {a.pk for a in mine.values()}
    only = client.get(f"{ARTICLES}?status=refused", headers=bearer(token)).json()["items"]
    assert [item["id"] for item in only] == [mine["refused"].pk]


def test_list_pages_with_cursors(client, author, token):
    ids = [ArticleFactory(author=author).pk for _ in range(5)]
    seen, url = [], f"{ARTICLES}?limit=2"
    while url:
        body = client.get(url, headers=bearer(token)).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
    assert seen == sorted(ids, reverse=True)


def test_list_query_count_does_not_grow_with_the_page(
    client, author, token, django_assert_max_num_queries, kazakhstan
):
    for _ in range(3):
        ArticleFactory(author=author, countries=[kazakhstan])
    with django_assert_max_num_queries(8) as small:
        client.get(ARTICLES, headers=bearer(token))
    for _ in range(20):
        ArticleFactory(author=author, countries=[kazakhstan])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(ARTICLES, headers=bearer(token)).json()["items"]) == 20


# --- Validation ------------------------------------------------------------------------------------


def test_validation_errors_are_in_french_by_default(client, token):
    response = post(
        client,
        ARTICLES,
        {**DRAFT, "countries": ["kz", "xx"], "sources": ["https://nulle"]},
        token,
    )
    error = assert_error_shape(response, 422, "validation_error")
    assert error["message"] == "Certains paramètres ne sont pas valides."
    by_field = {tuple(detail["loc"]): detail["message"] for detail in error["details"]}
    assert "XX" in by_field[("body", "countries")]
    assert "choix valide" in by_field[("body", "countries")]
    assert "adresse web" in by_field[("body", "sources")]


def test_validation_errors_follow_accept_language(client, token):
    response = post(client, ARTICLES, {"kind": "poem"}, token, **{"Accept-Language": "en"})
    error = assert_error_shape(response, 422, "validation_error")
    assert error["message"] == "Some parameters are invalid."
    locations = {tuple(detail["loc"]) for detail in error["details"]}
    assert {("body", "title"), ("body", "body_source"), ("body", "kind")} <= locations


def test_schema_errors_are_translated_too(client, token):
    error = post(client, ARTICLES, {"body_source": 3}, token).json()["error"]
    messages = {tuple(detail["loc"]): detail["message"] for detail in error["details"]}
    assert messages[("body", "title")] == "Ce champ est obligatoire."
    assert messages[("body", "body_source")] == "Saisissez un texte."


def test_a_whitespace_title_is_refused_and_nothing_is_saved(client, author, token):
    response = post(client, ARTICLES, {**DRAFT, "title": "   "}, token)
    assert response.status_code == 422
    assert not Article.objects.filter(author=author).exists()


def test_unknown_fields_are_refused(client, token):
    response = post(client, ARTICLES, {**DRAFT, "status": "published"}, token)
    error = assert_error_shape(response, 422, "validation_error")
    assert error["details"][0]["loc"] == ["body", "status"]


def test_a_body_that_is_not_json_is_refused(client, token):
    response = client.post(
        ARTICLES, "{pas du json", content_type="application/json", headers=bearer(token)
    )
    assert response.status_code in {400, 422}
    assert set(response.json()["error"]) == {"code", "message", "details"}


# --- Rate limit on writes ----------------------------------------------------------------------


def test_writes_are_rate_limited_per_account(client, settings, author, token, make_token):
    # A day-long window: a minute-long one could end between two slow uploads (flaky under load).
    settings.STEPPE_API_WRITE_RATE_LIMIT = "2/day"
    assert post(client, ARTICLES, DRAFT, token).status_code == 201
    assert post(client, ARTICLES, DRAFT, token).status_code == 201
    limited = post(client, ARTICLES, DRAFT, token)
    error = assert_error_shape(limited, 429, "rate_limited")
    assert int(limited["Retry-After"]) >= 1
    assert error["details"]["retry_after"] == int(limited["Retry-After"])
    # A second token of the same account shares the account's budget; reads are not counted.
    assert post(client, ARTICLES, DRAFT, make_token(author)).status_code == 429
    assert client.get(ARTICLES, headers=bearer(token)).status_code == 200
    assert Article.objects.filter(author=author).count() == 2
    # Another account has its own.
    assert post(client, ARTICLES, DRAFT, make_token(UserFactory())).status_code == 201
