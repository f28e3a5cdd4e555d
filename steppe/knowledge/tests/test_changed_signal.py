"""`knowledge_changed`: pages and fragments cached by content generation follow the knowledge rows.

Before it, an extraction finishing in the worker or an editor renaming an actor left the article's
panel as it was for up to STEPPE_FRAGMENT_CACHE_SECONDS (300 s in production).
"""

from django.db import transaction

import pytest

from steppe.core.templatetags.steppe import fragment_cache_clear_local
from steppe.knowledge.models import Mention
from steppe.knowledge.services import entity_rename, entity_resolve, item_extract
from steppe.knowledge.signals import knowledge_changed
from steppe.ops.pagecache import content_generation
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(sender)

    knowledge_changed.connect(receiver, dispatch_uid="test-knowledge-changed")
    yield calls
    knowledge_changed.disconnect(dispatch_uid="test-knowledge-changed")


def test_extraction_sends_it_once_after_commit(
    nlp_models, sent, django_capture_on_commit_callbacks
):
    article = ArticleFactory(
        published=True,
        body_html="<p>Kassym-Jomart Tokaïev a reçu la Banque mondiale à Astana en mars 2024.</p>",
    )
    generation = content_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item_extract(item=article)
    assert Mention.objects.filter(article=article).count() >= 2
    assert sent == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(sent) == 1  # many rows, one signal
    assert content_generation() != generation  # every page cached by generation is stale


def test_an_editor_renaming_an_actor_sends_it(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entity = entity_resolve(kind="person", name="K. Tokaïev", key="k tokaiev")
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entity_rename(entity=entity, name="Kassym-Jomart Tokaïev")
    assert len(sent) == 1


def test_a_rolled_back_change_sends_nothing(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                entity_resolve(kind="person", name="Roza Otounbaïeva", key="roza otounbaieva")
                raise RuntimeError("abandon")
        except RuntimeError:
            pass
    assert sent == []


def test_the_article_panel_shows_an_actor_added_after_it_was_cached(
    client, fragments, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, title="Une visite d'État")
    assert "Kassym-Jomart Tokaïev" not in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        # What the admin does: an editor links an actor the extraction missed.
        entity = entity_resolve(
            kind="person", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev"
        )
        Mention.objects.create(
            article=article, entity=entity, start=0, end=7, surface="Tokaïev", origin="editor"
        )
    fragment_cache_clear_local()  # another worker, which never saw the panel
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Kassym-Jomart Tokaïev" in html
