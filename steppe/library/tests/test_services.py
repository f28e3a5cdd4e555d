import pytest

from steppe.core.models import PublicationStatus
from steppe.library.services import LibraryError, document_withdraw
from steppe.library.signals import document_unpublished
from steppe.library.tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_document_withdraw_announces_after_commit(django_capture_on_commit_callbacks):
    document = DocumentFactory(published=True)
    received = []

    def receiver(sender, document, **kwargs):
        received.append(document.pk)

    document_unpublished.connect(receiver, dispatch_uid="test.withdraw")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document_withdraw(document=document, by=None)
            assert received == []  # not before the commit
    finally:
        document_unpublished.disconnect(dispatch_uid="test.withdraw")
    document.refresh_from_db()
    assert document.status == PublicationStatus.WITHDRAWN
    assert document.published_at is not None  # kept: the OAI-PMH record becomes a deleted one
    assert received == [document.pk]


def test_document_withdraw_of_a_submitted_document_is_silent(django_capture_on_commit_callbacks):
    document = DocumentFactory(status=PublicationStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_withdraw(document=document, by=None)
    assert callbacks == []
    assert document.status == PublicationStatus.WITHDRAWN


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN])
def test_document_withdraw_refuses_other_states(status):
    document = DocumentFactory(status=status)
    with pytest.raises(LibraryError):
        document_withdraw(document=document, by=None)
