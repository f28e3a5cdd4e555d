"""Two first reports at the same moment on PostgreSQL: the second joins the first one's case."""

import threading

from django.db import connection, connections

import pytest

from steppe.moderation import services
from steppe.moderation.models import Report, ReportCase
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers: the race needs PostgreSQL's concurrent transactions",
    ),
]


def test_two_simultaneous_first_reports_share_one_case(monkeypatch):
    article = ArticleFactory(published=True)
    # Both threads must look for a case before either inserts one: hold each at a barrier right
    # after its first (empty) lookup, then let them insert together.
    barrier = threading.Barrier(2, timeout=10)
    lookup = services._pending_case_locked
    seen = threading.local()

    def lookup_then_wait(content_type, object_id):
        case = lookup(content_type, object_id)
        if not getattr(seen, "done", False):
            seen.done = True
            assert case is None
            barrier.wait()
        return case

    monkeypatch.setattr(services, "_pending_case_locked", lookup_then_wait)
    errors: list[BaseException] = []

    def report(n: int) -> None:
        try:
            services.report_submit(obj=article, category="spam", explanation=f"Publicité {n}.")
        except BaseException as error:  # noqa: BLE001 (reported to the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    case = ReportCase.objects.get()
    assert case.report_count == 2
    assert Report.objects.filter(case=case).count() == 2
