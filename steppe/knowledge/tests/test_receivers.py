import pytest

from steppe.knowledge.models import ItemAnalysis
from steppe.library.signals import document_published
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.services import article_publish
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_publishing_an_article_extracts_it(
    settings, nlp_models, django_capture_on_commit_callbacks
):
    settings.STEPPE_KNOWLEDGE_AUTO_EXTRACT = True
    article = ArticleFactory(body_html="<p>Le Kazakhstan et la Mongolie ont signé un accord.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=article, by=None)
    analysis = ItemAnalysis.objects.get(article=article)
    assert analysis.language == "fr"
    assert set(article.knowledge_itemcountrys.values_list("country__code", flat=True)) == {
        "KZ",
        "MN",
    }


def test_document_signal_extracts_it(settings, django_capture_on_commit_callbacks):
    settings.STEPPE_KNOWLEDGE_AUTO_EXTRACT = True
    document = DocumentFactory(published=True, title="Le Tadjikistan et l’eau", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        document_published.send(sender=type(document), document=document)
    assert ItemAnalysis.objects.filter(document=document).exists()


def test_nothing_happens_when_auto_extraction_is_off(django_capture_on_commit_callbacks):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=article, by=None)
    assert not ItemAnalysis.objects.exists()
    assert Article.objects.get(pk=article.pk).status == "published"
