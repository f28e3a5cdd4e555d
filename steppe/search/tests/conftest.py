"""Fixtures of the search tests: items built with the factories and indexed as on publication."""

import datetime

from django.utils import timezone

import pytest

from steppe.core.text import render_markdown
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.tests.factories import ArticleFactory


@pytest.fixture
def make_article(db, django_capture_on_commit_callbacks):
    """A published article, indexed as after a real commit (the receivers run)."""

    def make(*, days_ago: float = 1, **fields):
        fields.setdefault("body_source", "Un texte sans rapport.")
        fields.setdefault("lead", "")
        fields.setdefault("body_html", render_markdown(fields["body_source"]))
        with django_capture_on_commit_callbacks(execute=True):
            return ArticleFactory(
                published=True,
                published_at=timezone.now() - datetime.timedelta(days=days_ago),
                **fields,
            )

    return make


@pytest.fixture
def make_document(db, django_capture_on_commit_callbacks):
    def make(*, days_ago: float = 1, **fields):
        if "presentation_source" in fields:
            fields.setdefault("presentation_html", render_markdown(fields["presentation_source"]))
        with django_capture_on_commit_callbacks(execute=True):
            return DocumentFactory(
                published=True,
                published_at=timezone.now() - datetime.timedelta(days=days_ago),
                **fields,
            )

    return make
