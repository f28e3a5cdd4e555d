"""Background work of the search index (Django's task API, queue "default")."""

from django_tasks import task


@task()
def related_refresh_task(item_type: str, object_id: int) -> int:
    """Work out the related items of one item and of its neighbours (search/related.py)."""
    from .related import related_refresh

    return related_refresh(identity=(item_type, object_id))
