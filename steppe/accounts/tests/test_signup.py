"""Sign-up, verification and sign-in through allauth, with e-mail over a real SMTP server."""

import re

from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from steppe.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Steppe-et-caravanes-2026"


def _signup(client, **overrides):
    data = {
        "email": "aigul@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Aïgul Nurlanovna",
        "kind": "individual",
        "organisation": "",
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def _verification_link(smtp_server, address: str) -> str:
    [message] = smtp_server.to(address)
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^\s]+/compte/confirm-email/[^\s]+/", body)[0]


def test_signup_sends_a_verification_email_and_verifying_signs_in(client, smtp_server):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="aigul@example.org")
    assert user.username == "aigul-nurlanovna"
    assert user.kind == User.Kind.INDIVIDUAL
    assert not EmailAddress.objects.get(user=user).verified

    link = _verification_link(smtp_server, "aigul@example.org")
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    response = client.post("/" + path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("publishing:dashboard")).status_code == 200


def test_unverified_account_cannot_sign_in(client, smtp_server):
    _signup(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "aigul@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("publishing:dashboard")).status_code == 302


def test_organisation_accounts_need_their_organisation(client, smtp_server):
    response = _signup(client, kind="ngo", organisation="")
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(email="aigul@example.org").exists()
    response = _signup(client, kind="ngo", organisation="Eau vive", website="eauvive.example.org")
    assert response.status_code == 302
    user = User.objects.get(email="aigul@example.org")
    assert (user.kind, user.organisation, user.website) == (
        "ngo",
        "Eau vive",
        "https://eauvive.example.org",
    )


def test_signup_errors_are_french_and_keep_the_input(client):
    response = _signup(client, email="pas-une-adresse", password2="autre")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in html
    assert 'value="Aïgul Nurlanovna"' in html
    assert 'value="pas-une-adresse"' in html


def test_signup_with_a_taken_address_does_not_reveal_the_account(client, smtp_server, contributor):
    response = _signup(client, email=contributor.email)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=contributor.email).count() == 1
    # The owner of the address is told by e-mail instead.
    assert len(smtp_server.to(contributor.email)) == 1


def test_password_reset_answers_the_same_for_unknown_addresses(client, smtp_server, contributor):
    known = client.post(reverse("account_reset_password"), {"email": contributor.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_failed_logins_are_rate_limited(client, contributor):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": contributor.email, "password": "mauvais"})
    response = client.post(
        reverse("account_login"), {"login": contributor.email, "password": "un-mot-de-passe-solide"}
    )
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert client.get(reverse("publishing:dashboard")).status_code == 302  # still signed out


def test_username_is_unique_and_never_the_email(client, smtp_server):
    _signup(client)
    client.logout()
    _signup(client, email="autre@example.org")
    assert sorted(User.objects.values_list("username", flat=True)) == [
        "aigul-nurlanovna",
        "aigul-nurlanovna-2",
    ]


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    import steppe.settings as project_settings

    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password(PASSWORD).startswith("argon2")
