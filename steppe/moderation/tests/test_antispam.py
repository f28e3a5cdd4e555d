"""Robot checks on public forms (one mechanism) and limits for new accounts."""

import time
import uuid
from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.accounts.models import User
from steppe.core.models import PublicationStatus
from steppe.moderation.antispam import FORM_STAMP_SALT, HumanCheckMixin, form_stamp
from steppe.moderation.forms import AppealForm, ReportForm
from steppe.moderation.services import is_new_account, links_count
from steppe.publishing import services as publishing
from steppe.publishing.models import Article

pytestmark = pytest.mark.django_db

PASSWORD = "Steppe-et-caravanes-2026"


def _signup_data(**overrides) -> dict:
    data = {
        "email": "aigul@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Aïgul Nurlanovna",
        "kind": "ngo",
        "organisation": "Eau vive",
        "website": "https://eauvive.example.org",
        "homepage": "",
        "stamp": form_stamp(),
    }
    data.update(overrides)
    return data


def test_every_public_form_uses_the_one_mechanism():
    from steppe.accounts.forms import SignupForm

    for form_class in (SignupForm, ReportForm, AppealForm):
        assert issubclass(form_class, HumanCheckMixin)


def test_signup_with_the_honeypot_filled_is_refused_and_the_input_kept(client):
    response = client.post(reverse("account_signup"), _signup_data(homepage="http://x.example"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "comme le font les robots" in html
    assert "Aïgul Nurlanovna" in html  # nothing typed is lost
    assert "Eau vive" in html
    assert not User.objects.filter(email="aigul@example.org").exists()


def test_signup_sent_too_fast_is_refused_then_accepted_after_the_minimum_time(client, settings):
    settings.STEPPE_FORM_MIN_FILL_SECONDS = 3
    response = client.post(reverse("account_signup"), _signup_data())
    assert response.status_code == 200
    assert not User.objects.filter(email="aigul@example.org").exists()
    for stamp in ("", "forged"):
        client.post(reverse("account_signup"), _signup_data(stamp=stamp))
        assert not User.objects.filter(email="aigul@example.org").exists()
    shown_earlier = signing.dumps(time.time() - 10, salt=FORM_STAMP_SALT)
    response = client.post(reverse("account_signup"), _signup_data(stamp=shown_earlier))
    assert response.status_code == 302
    user = User.objects.get(email="aigul@example.org")
    assert user.website == "https://eauvive.example.org"  # the real field, not the honeypot


def test_signup_page_shows_the_honeypot_and_a_stamp(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="homepage"' in html
    assert 'name="stamp"' in html


# --- Limits for new accounts --------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "kind": "news",
        "title": "Crue printanière sur l'Amou-Daria",
        "lead": "",
        "body_source": "Le fleuve a débordé près de Noukous.",
        "language": "fr",
        "tags": "",
        "sources": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_links_are_counted_once_each():
    text = (
        "Voir [le rapport](https://a.example/r) et https://a.example/r, puis www.b.example. "
        "Source : http://c.example/x?y=1"
    )
    assert links_count(text) == 3


def test_new_account_is_young_or_has_nothing_published(contributor, settings):
    settings.STEPPE_NEW_ACCOUNT_DAYS = 7
    assert is_new_account(contributor)
    User.objects.filter(pk=contributor.pk).update(date_joined=timezone.now() - timedelta(days=30))
    contributor.refresh_from_db()
    assert is_new_account(contributor)  # old but nothing published
    article = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="T", body_source="B")
    )
    publishing.article_publish(article=article, by=None)
    assert not is_new_account(contributor)


def test_too_many_links_from_a_new_account_is_refused_in_french_and_kept(
    client, contributor, settings
):
    settings.STEPPE_NEW_ACCOUNT_MAX_LINKS = 2
    body = "Voir https://a.example/1 et https://a.example/2."
    client.force_login(contributor)
    response = client.post(
        reverse("publishing:article_new"),
        _form(body_source=body, sources="https://a.example/3"),
    )
    article = Article.objects.get()
    data = _form(body_source=body, sources="https://a.example/3", submit="1")
    response = client.post(article.get_edit_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "au plus 2 liens" in html
    assert "https://a.example/3" in html  # nothing lost
    article.refresh_from_db()
    assert article.status == PublicationStatus.DRAFT
    assert article.body_source == body


def test_a_new_account_has_a_daily_limit_of_submissions(contributor, settings):
    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 2
    articles = [
        publishing.article_draft_save(
            author=contributor, data=publishing.ArticleData(title=f"T{i}", body_source=f"B{i}")
        )
        for i in range(3)
    ]
    publishing.article_submit(article=articles[0], by=contributor)
    publishing.article_submit(article=articles[1], by=contributor)
    with pytest.raises(publishing.PublishingError, match="par jour"):
        publishing.article_submit(article=articles[2], by=contributor)
    articles[2].refresh_from_db()
    assert articles[2].status == PublicationStatus.DRAFT
    # Yesterday's submissions do not count any more.
    Article.objects.filter(pk__in=[a.pk for a in articles[:2]]).update(
        submitted_at=timezone.now() - timedelta(days=2)
    )
    publishing.article_submit(article=articles[2], by=contributor)


def test_established_and_trusted_accounts_have_no_such_limits(contributor, settings):
    settings.STEPPE_NEW_ACCOUNT_MAX_LINKS = 0
    contributor.is_trusted = True
    contributor.save()
    article = publishing.article_draft_save(
        author=contributor,
        data=publishing.ArticleData(title="T", body_source="https://a.example https://b.example"),
    )
    publishing.article_submit(article=article, by=contributor)
    assert article.status == PublicationStatus.PUBLISHED
