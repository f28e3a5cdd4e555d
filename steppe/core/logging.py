"""Request ids for logs: a context variable set by `RequestIdMiddleware`, read by `RequestIdFilter`.

A context variable (not a thread-local) so that the id follows the request in threads and in async
code alike; outside a request (worker, commands) the id is "-".
"""

from __future__ import annotations

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return request_id_var.get()


def request_id_reset(**kwargs) -> None:
    """`request_finished` receiver: what is logged between requests has no request id."""
    request_id_var.set("-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (attach it to handlers, so all loggers get it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True
