from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from steppe.knowledge.models import ItemAnalysis
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_extract_all_reads_published_items_only(nlp_models):
    published = ArticleFactory(
        published=True, body_html="<p>Le Kazakhstan signe un accord avec la Chine.</p>"
    )
    ArticleFactory(body_html="<p>Un brouillon sur la Mongolie.</p>")
    document = DocumentFactory(published=True, title="La Mongolie et le charbon")
    out = StringIO()
    call_command("extract", "--all", "--no-progress", stdout=out, stderr=StringIO())
    assert "2 items extracted, 0 failed" in out.getvalue()
    assert set(ItemAnalysis.objects.values_list("article", "document")) == {
        (published.pk, None),
        (None, document.pk),
    }


def test_extract_needs_a_selection():
    with pytest.raises(CommandError):
        call_command("extract")
