"""Near-duplicate submissions: shingles + MinHash, flagged in the review queue."""

from django.urls import reverse

import pytest

from steppe.moderation.duplicates import (
    fingerprint_store,
    near_duplicates_find,
    shingles,
    signature,
    similarity,
)
from steppe.moderation.models import AuditEvent, NearDuplicate
from steppe.publishing import services as publishing

pytestmark = pytest.mark.django_db

ORIGINAL = (
    "Le lac Balkhach est un lac endoréique du Kazakhstan oriental. Sa partie occidentale est "
    "douce tandis que sa partie orientale est salée, un cas presque unique au monde. Le niveau "
    "du lac baisse depuis que les eaux de l'Ili, son principal affluent, sont détournées pour "
    "l'irrigation et pour les besoins de l'industrie dans la région d'Almaty. Les pêcheurs de "
    "la rive nord constatent chaque année un recul du rivage et une eau plus chargée en sel."
)
NEAR = ORIGINAL.replace("chaque année", "d'année en année").replace("presque ", "")
OTHER = (
    "Oulan-Bator accueille chaque été le Naadam, fête nationale de la lutte, du tir à l'arc et "
    "des courses de chevaux. Les cavaliers ont souvent moins de dix ans et parcourent jusqu'à "
    "trente kilomètres dans la steppe sous les encouragements des familles venues camper."
)


def _published(author, title, body, capture):
    with capture(execute=True):
        article = publishing.article_draft_save(
            author=author, data=publishing.ArticleData(title=title, body_source=body)
        )
        publishing.article_publish(article=article, by=None)
    return article


def _submit(author, title, body, capture):
    article = publishing.article_draft_save(
        author=author, data=publishing.ArticleData(title=title, body_source=body)
    )
    with capture(execute=True):
        publishing.article_submit(article=article, by=author)
    return article


def test_signature_similarity_estimates_jaccard():
    a, b = shingles(ORIGINAL), shingles(NEAR)
    exact = len(a & b) / len(a | b)
    estimate = similarity(signature(ORIGINAL).tobytes(), signature(NEAR).tobytes())
    assert abs(estimate - exact) < 0.15
    assert similarity(signature(ORIGINAL).tobytes(), signature(OTHER).tobytes()) < 0.1


def test_a_near_copy_of_a_published_item_is_flagged_in_the_queue(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    from steppe.accounts.tests.factories import UserFactory

    source = _published(UserFactory(), "Le Balkhach", ORIGINAL, django_capture_on_commit_callbacks)
    copy = _submit(contributor, "Le Balkhach", NEAR, django_capture_on_commit_callbacks)
    different = _submit(contributor, "Naadam", OTHER, django_capture_on_commit_callbacks)
    flag = NearDuplicate.objects.get()
    assert flag.fingerprint.object_id == copy.pk
    assert flag.match.object_id == source.pk
    assert 0.6 <= flag.similarity < 1
    assert AuditEvent.objects.for_object(copy).filter(action="near_duplicate").exists()
    client.force_login(editor)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert f'data-near-duplicate="{flag.match_id}"' in html
    assert source.get_absolute_url() in html
    assert f"{flag.percent}\u00a0%" in html or f"{flag.percent} %" in html
    review = client.get(reverse("moderation:review", args=[copy.pk])).content.decode()
    assert source.get_absolute_url() in review
    assert (
        "data-near-duplicate"
        not in client.get(reverse("moderation:review", args=[different.pk])).content.decode()
    )


def test_the_authors_own_submissions_are_compared_but_not_others_drafts(
    contributor, django_capture_on_commit_callbacks, settings
):
    from steppe.accounts.tests.factories import UserFactory

    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 10
    first = _submit(contributor, "Balkhach 1", ORIGINAL, django_capture_on_commit_callbacks)
    second = _submit(contributor, "Balkhach 2", NEAR, django_capture_on_commit_callbacks)
    flag = NearDuplicate.objects.get(fingerprint__object_id=second.pk)
    assert flag.match.object_id == first.pk
    # Another author's pending submission is not public: no flag against it.
    stranger = UserFactory()
    third = _submit(stranger, "Balkhach 3", NEAR, django_capture_on_commit_callbacks)
    assert not NearDuplicate.objects.filter(fingerprint__object_id=third.pk).exists()


def test_candidates_come_from_the_band_index_only(contributor):
    texts = [OTHER + f" Variante numéro {i} sans rapport." for i in range(3)]
    for i, text in enumerate(texts):
        article = publishing.article_draft_save(
            author=contributor, data=publishing.ArticleData(title=f"T{i}", body_source=text)
        )
        fingerprint_store(obj=article, is_published=True)
    article = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="Balkhach", body_source=ORIGINAL)
    )
    fingerprint = fingerprint_store(obj=article, is_published=False)
    assert near_duplicates_find(fingerprint=fingerprint) == []


def test_queue_query_count_does_not_grow_with_flags(
    client, editor, contributor, django_capture_on_commit_callbacks, settings
):
    from steppe.accounts.tests.factories import UserFactory
    from steppe.core.tests.utils import count_queries

    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 100
    _published(UserFactory(), "Le Balkhach", ORIGINAL, django_capture_on_commit_callbacks)
    client.force_login(editor)
    url = reverse("moderation:queue")
    _submit(contributor, "Copie 0", NEAR, django_capture_on_commit_callbacks)
    client.get(url)
    few = count_queries(client, url)
    for i in range(1, 6):
        _submit(contributor, f"Copie {i}", NEAR + f" {i}", django_capture_on_commit_callbacks)
    assert NearDuplicate.objects.count() >= 6
    assert count_queries(client, url) == few


def test_the_queue_can_show_only_possible_duplicates(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    from steppe.accounts.tests.factories import UserFactory

    _published(UserFactory(), "Le Balkhach", ORIGINAL, django_capture_on_commit_callbacks)
    copy = _submit(contributor, "Le Balkhach revu", NEAR, django_capture_on_commit_callbacks)
    different = _submit(contributor, "Naadam", OTHER, django_capture_on_commit_callbacks)
    client.force_login(editor)
    url = reverse("moderation:queue")
    everything = client.get(url).content.decode()
    flagged = client.get(url, {"flagged": "on"}).content.decode()
    for html, expected in ((everything, {copy, different}), (flagged, {copy})):
        for article in (copy, different):
            review = reverse("moderation:review", args=[article.pk])
            assert (review in html) == (article in expected), (article.title, review)


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connections
def test_fingerprints_are_computed_by_the_worker_not_the_web_process(
    settings, contributor, django_capture_on_commit_callbacks
):
    """With the production task backend, publishing and submitting only queue the work."""
    from django_tasks_db.models import DBTaskResult

    from steppe.accounts.tests.factories import UserFactory
    from steppe.moderation.models import Fingerprint
    from steppe.ops.tests.conftest import run_worker

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "intake", "knowledge", "email"],
        }
    }
    source = _published(UserFactory(), "Le Balkhach", ORIGINAL, django_capture_on_commit_callbacks)
    copy = _submit(contributor, "Le Balkhach", NEAR, django_capture_on_commit_callbacks)
    assert not Fingerprint.objects.exists()
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert "steppe.moderation.tasks.fingerprint_task" in queued
    assert "steppe.moderation.tasks.near_duplicates_task" in queued
    run_worker()
    flag = NearDuplicate.objects.get()
    assert (flag.fingerprint.object_id, flag.match.object_id) == (copy.pk, source.pk)
    assert AuditEvent.objects.for_object(copy).filter(action="near_duplicate").exists()


def test_a_fingerprint_task_for_an_item_withdrawn_meanwhile_stores_it_as_unpublished(contributor):
    from steppe.moderation.models import Fingerprint
    from steppe.moderation.tasks import fingerprint_task
    from steppe.publishing.tests.factories import ArticleFactory

    article = ArticleFactory(author=contributor, status="withdrawn", body_source=ORIGINAL)
    assert fingerprint_task.call("article", article.pk) == "stored"
    assert Fingerprint.objects.get(object_id=article.pk).is_published is False
    assert fingerprint_task.call("article", article.pk + 1000) == "gone"


def test_a_proposed_edit_copying_another_piece_is_flagged_on_the_review_page(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    from steppe.accounts.tests.factories import UserFactory

    source = _published(UserFactory(), "Le Balkhach", ORIGINAL, django_capture_on_commit_callbacks)
    own = _published(contributor, "Naadam", OTHER, django_capture_on_commit_callbacks)
    # A light edit of one's own piece flags nothing (it is compared with all but itself).
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_edit_propose(
            article=own,
            by=contributor,
            data=publishing.ArticleData(title="Naadam", body_source=OTHER + " Mise à jour."),
        )
    assert not NearDuplicate.objects.exists()
    # Replacing it with a near copy of someone else's published piece is flagged.
    with django_capture_on_commit_callbacks(execute=True):
        revision = publishing.article_edit_propose(
            article=own,
            by=contributor,
            data=publishing.ArticleData(title="Naadam", body_source=NEAR),
        )
    flag = NearDuplicate.objects.get()
    assert flag.fingerprint.object_id == revision.pk
    assert flag.match.object_id == source.pk
    logged = AuditEvent.objects.for_object(own).get(action="near_duplicate")
    assert logged.details["revision"] == revision.pk
    assert "Modification proposée" in logged.reason
    client.force_login(editor)
    review = client.get(reverse("moderation:review", args=[own.pk])).content.decode()
    assert f'data-edit-near-duplicate="{flag.match_id}"' in review
    assert source.get_absolute_url() in review
    # In the queue too, and kept by "possible duplicates only".
    for params in ({}, {"flagged": "on"}):
        queue = client.get(reverse("moderation:queue"), params).content.decode()
        assert f'data-revision="{revision.pk}"' in queue
        assert f'data-edit-near-duplicate="{flag.match_id}"' in queue
    # The proposal's text is never a match for later pieces (applied, it is its article's text).
    copy = _submit(contributor, "Balkhach", NEAR, django_capture_on_commit_callbacks)
    matches = set(
        NearDuplicate.objects.filter(
            fingerprint__content_type__model="article", fingerprint__object_id=copy.pk
        ).values_list("match__content_type__model", "match__object_id")
    )
    assert ("article", source.pk) in matches
    assert not any(model == "articlerevision" for model, _pk in matches)


def test_a_trusted_authors_edit_is_applied_and_not_checked(
    contributor, django_capture_on_commit_callbacks
):
    from steppe.accounts.tests.factories import UserFactory

    _published(UserFactory(), "Le Balkhach", ORIGINAL, django_capture_on_commit_callbacks)
    own = _published(contributor, "Naadam", OTHER, django_capture_on_commit_callbacks)
    contributor.is_trusted = True
    contributor.save()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_edit_propose(
            article=own,
            by=contributor,
            data=publishing.ArticleData(title="Naadam", body_source=NEAR),
        )
    assert not NearDuplicate.objects.filter(
        fingerprint__content_type__model="articlerevision"
    ).exists()
