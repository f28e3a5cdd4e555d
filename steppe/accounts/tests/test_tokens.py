"""Personal API tokens: created after the password again, shown once, stored hashed, revoked."""

import datetime
import hashlib
import io
import json
import re
import zipfile

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.accounts import tokens
from steppe.accounts.models import ApiToken
from steppe.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"
TOKEN = re.compile(r"steppe_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def _reauthenticate(client: Client, url: str = ""):
    return client.post(url or reverse("account_reauthenticate"), {"password": PASSWORD})


# --- Services -----------------------------------------------------------------------------------


def test_a_new_token_is_256_random_bits_stored_as_a_sha256_hash(contributor):
    new = tokens.api_token_create(user=contributor, name="Script")
    assert TOKEN.fullmatch(new.plaintext)
    token = ApiToken.objects.get(pk=new.token.pk)
    assert token.secret_hash == hashlib.sha256(new.plaintext.encode()).hexdigest()
    assert new.plaintext not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == new.plaintext.split("_")[1]
    other = tokens.api_token_create(user=contributor, name="Script")
    assert other.plaintext != new.plaintext


def test_authenticate_accepts_the_token_and_records_its_use(contributor):
    new = tokens.api_token_create(user=contributor, name="Script")
    assert tokens.api_token_authenticate(plaintext=new.plaintext).user == contributor
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at is not None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "expired"),
    ],
)
def test_authenticate_refuses_revoked_and_expired_tokens(contributor, change, reason):
    new = tokens.api_token_create(user=contributor, name="Script")
    ApiToken.objects.filter(pk=new.token.pk).update(**change)
    with pytest.raises(tokens.TokenError) as caught:
        tokens.api_token_authenticate(plaintext=new.plaintext)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "text",
    ["", "steppe", "steppe__x", "steppe_zzzzzzzz_secret", "autre_01234567_secret", "x" * 500],
)
def test_authenticate_refuses_what_is_not_a_token(contributor, text):
    with pytest.raises(tokens.TokenError) as caught:
        tokens.api_token_authenticate(plaintext=text)
    assert caught.value.reason in {"malformed", "unknown"}


def test_the_prefix_alone_is_not_enough(contributor):
    new = tokens.api_token_create(user=contributor, name="Script")
    forged = new.plaintext[:-1] + ("A" if new.plaintext[-1] != "A" else "B")
    with pytest.raises(tokens.TokenError) as caught:
        tokens.api_token_authenticate(plaintext=forged)
    assert caught.value.reason == "unknown"


def test_revoke_is_final_and_idempotent(contributor):
    new = tokens.api_token_create(user=contributor, name="Script")
    first = tokens.api_token_revoke(token=new.token).revoked_at
    token = ApiToken.objects.get(pk=new.token.pk)
    assert tokens.api_token_revoke(token=token).revoked_at == first


def test_active_tokens_are_limited(contributor):
    for number in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.api_token_create(user=contributor, name=f"Jeton {number}")
    with pytest.raises(tokens.TokenError):
        tokens.api_token_create(user=contributor, name="Un de trop")
    tokens.api_token_revoke(token=ApiToken.objects.filter(user=contributor).first())
    tokens.api_token_create(user=contributor, name="À la place")


def test_deleting_the_account_deletes_its_tokens(contributor):
    from steppe.accounts.services import account_delete

    tokens.api_token_create(user=contributor, name="Script")
    account_delete(user=contributor, keep_published=True)
    assert not ApiToken.objects.exists()


# --- Pages --------------------------------------------------------------------------------------


def test_the_profile_links_to_the_tokens(client, contributor):
    client.force_login(contributor)
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert reverse("accounts:api_tokens") in page


def test_the_token_pages_need_a_signed_in_user(client):
    for url in (reverse("accounts:api_tokens"), reverse("accounts:api_token_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response.url


def test_creating_a_token_asks_for_the_password_again_then_shows_it_once(client, contributor):
    client.force_login(contributor)
    asked = client.post(
        reverse("accounts:api_token_create"), {"name": "Mon script", "lifetime": 30}
    )
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("account_reauthenticate"))
    assert not ApiToken.objects.exists()
    # allauth replays the suspended POST once the password is given.
    shown = _reauthenticate(client, asked.url)
    assert shown.status_code == 200
    plaintext = TOKEN.search(shown.content.decode())[0]
    assert "no-store" in shown["Cache-Control"]
    token = ApiToken.objects.get(user=contributor)
    assert token.name == "Mon script"
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    assert tokens.api_token_authenticate(plaintext=plaintext).pk == token.pk
    listing = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "Mon script" in listing
    assert token.prefix in listing
    assert plaintext not in listing  # never shown again


def test_a_token_without_a_name_is_not_created_and_the_form_says_why(client, contributor):
    client.force_login(contributor)
    _reauthenticate(client)
    response = client.post(reverse("accounts:api_token_create"), {"name": "", "lifetime": 90})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_needs_a_csrf_token(contributor):
    token = tokens.api_token_create(user=contributor, name="Script").token
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_revoking_from_the_page(client, contributor):
    new = tokens.api_token_create(user=contributor, name="Script")
    client.force_login(contributor)
    assert client.get(reverse("accounts:api_token_revoke", args=[new.token.pk])).status_code == 405
    response = client.post(reverse("accounts:api_token_revoke", args=[new.token.pk]), follow=True)
    assert response.status_code == 200
    assert "révoqué" in response.content.decode()
    with pytest.raises(tokens.TokenError):
        tokens.api_token_authenticate(plaintext=new.plaintext)


def test_nobody_revokes_another_users_token(client, contributor):
    token = tokens.api_token_create(user=UserFactory(), name="Le sien").token
    client.force_login(contributor)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert "Le sien" not in client.get(reverse("accounts:api_tokens")).content.decode()


def test_the_token_list_query_count_is_fixed(client, contributor, django_assert_max_num_queries):
    client.force_login(contributor)
    for number in range(2):
        tokens.api_token_create(user=contributor, name=f"Jeton {number}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:api_tokens"))
    for number in range(10):
        tokens.api_token_create(user=contributor, name=f"Autre {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("accounts:api_tokens")).status_code == 200


def test_the_data_export_lists_the_tokens_without_their_hash(client, contributor):
    new = tokens.api_token_create(user=contributor, name="Mon script")
    client.force_login(contributor)
    _reauthenticate(client)
    response = client.post(reverse("accounts:data_export"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("data.json").decode()
    exported = json.loads(text)["api_tokens"]
    assert [(t["name"], t["prefix"]) for t in exported] == [("Mon script", new.token.prefix)]
    assert new.token.secret_hash not in text
    assert new.plaintext not in text
