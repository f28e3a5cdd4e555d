import csv
import io

from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.moderation.models import RefusalReason, ReportCase
from steppe.moderation.services import (
    appeal_decide,
    appeal_submit,
    case_decide,
    report_submit,
    submission_publish,
    submission_refuse,
)
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _submitted(hours_ago: float):
    return ArticleFactory(
        status=PublicationStatus.SUBMITTED,
        submitted_at=timezone.now() - timezone.timedelta(hours=hours_ago),
    )


def _activity(editor, second_editor):
    sources = RefusalReason.objects.create(title="Sources", text="Les sources manquent.")
    submission_publish(article=_submitted(2), by=editor)
    submission_refuse(article=_submitted(4), by=editor, reasons=[sources])
    submission_refuse(article=_submitted(6), by=editor, text="Hors sujet.")
    _submitted(1)
    article = ArticleFactory(published=True)
    report_submit(obj=article, category="spam", explanation="Pub.")
    report_submit(obj=article, category="spam", explanation="Pub encore.")
    report_submit(obj=article, category="privacy", explanation="Adresse.")
    case = ReportCase.objects.get()
    case_decide(case=case, by=editor, decision="hide", ground="spam", statement="Vérification.")
    appeal = appeal_submit(case=case, role="author", email="a@example.org", explanation="Non.")
    appeal_decide(appeal=appeal, by=second_editor, outcome="upheld", statement="Maintenu.")


def test_transparency_csv_counts_the_month(client, editor, second_editor):
    _activity(editor, second_editor)
    response = client.get(reverse("moderation:transparency_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["month"] == timezone.now().strftime("%Y-%m")
    assert row["submissions_received"] == "4"
    assert row["published_after_review"] == "1"
    assert row["refused"] == "2"
    assert row["refused_reason:Sources"] == "1"
    assert row["refused_reason:free_text"] == "1"
    assert row["reports"] == "3"
    assert row["reports_spam"] == "2"
    assert row["reports_privacy"] == "1"
    assert row["reports_illegal"] == "0"
    assert row["median_hours_to_decision"] == "3.0"  # 2 h, 4 h, 6 h and ~0 h for the report
    assert (row["appeals"], row["appeals_upheld"], row["appeals_granted"]) == ("1", "1", "0")


def test_transparency_page_is_public(client, editor, second_editor):
    _activity(editor, second_editor)
    response = client.get(reverse("moderation:transparency"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-month="{timezone.now():%Y-%m}"' in html
    assert reverse("moderation:transparency_csv") in html


def test_transparency_page_query_count(client, editor, monkeypatch):
    from steppe.moderation import transparency

    # Count the queries that build the figures, not the cached copy.
    monkeypatch.setattr(
        transparency, "transparency_report_get", transparency.transparency_report_build
    )

    def add(n):
        for i in range(n):
            submission_refuse(article=_submitted(i), by=editor, text="Non.")
            report_submit(obj=ArticleFactory(published=True), category="spam", explanation="x")

    assert_queries_do_not_grow(client, reverse("moderation:transparency"), add)


def test_transparency_figures_are_cached(client, editor):
    client.get(reverse("moderation:transparency"))
    submission_refuse(article=_submitted(1), by=editor, text="Non.")
    html = client.get(reverse("moderation:transparency")).content.decode()
    assert "data-month" not in html


def test_account_sanctions_are_counted_per_month(client, editor):
    from steppe.accounts.tests.factories import UserFactory
    from steppe.moderation.services import account_sanction, sanction_lift

    statement = "Messages publicitaires répétés."
    account_sanction(
        account=UserFactory(), by=editor, kind="warning", ground="spam", statement=statement
    )
    account_sanction(
        account=UserFactory(), by=editor, kind="warning", ground="spam", statement=statement
    )
    suspension = account_sanction(
        account=UserFactory(), by=editor, kind="suspension", ground="spam",
        statement=statement, days=7,
    )  # fmt: skip
    sanction_lift(sanction=suspension, by=editor, reason="Erreur de compte.")
    account_sanction(
        account=UserFactory(), by=editor, kind="ban", ground="illegal", statement=statement
    )
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("moderation:transparency_csv")).content.decode())
        )
    )
    assert [(r["account_warnings"], r["account_suspensions"], r["account_bans"]) for r in rows] == [
        ("2", "1", "1")  # a lifted suspension was still decided that month
    ]
    html = client.get(reverse("moderation:transparency")).content.decode()
    assert "<td>2</td><td>1</td><td>1</td>" in html
