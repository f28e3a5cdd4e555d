"""Helpers for page tests."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def assert_queries_do_not_grow(client, url: str, add_items: Callable[[int], None]) -> None:
    """Load `url` with a few items and with many more: the number of queries must stay the same."""
    add_items(3)
    client.get(url)  # warm the caches (navigation menus) so that both counts are comparable
    few = count_queries(client, url)
    add_items(12)
    many = count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few items, {many} with more"
