"""Background extraction (queue "knowledge"): the models load in the worker, never in the web process."""

from django_tasks import task


@task(queue_name="knowledge")
def item_extract_task(item_type: str, item_id: int, force: bool = False) -> str:
    """Extract one article or document (`item_type` "article" or "document")."""
    from .selectors import item_get
    from .services import item_extract

    item = item_get(item_type=item_type, item_id=item_id)
    if item is None:
        return "gone"
    analysis = item_extract(item=item, force=force)
    return analysis.language or "unknown"
