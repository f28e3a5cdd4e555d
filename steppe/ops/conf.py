"""Settings of the ops app, read when used (never at import time)."""

from django.conf import settings


def page_cache_seconds() -> int:
    """How long an anonymous page stays in the cache when nothing is published (0: no page cache).

    On by default in production only: in development and in other apps' tests a page must show a
    row written without a signal (factories) at once.

    Bounds what no signal announces: a scheduled item coming online, a profile renamed.
    """
    default = 300 if getattr(settings, "PRODUCTION", False) else 0
    return int(getattr(settings, "STEPPE_PAGE_CACHE_SECONDS", default))


def page_cache_alias() -> str:
    return getattr(settings, "STEPPE_PAGE_CACHE_ALIAS", "default")


def page_cache_shared_seconds() -> int:
    """`s-maxage` sent with cacheable pages: how long a cache in front (nginx) may keep them."""
    return int(getattr(settings, "STEPPE_PAGE_CACHE_SHARED_SECONDS", 5))


def email_delivery_backend() -> str:
    """The backend that really sends the mail the task queue carries (SMTP in production)."""
    backend = getattr(
        settings, "STEPPE_EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
    )
    if backend == "steppe.ops.mail.TaskEmailBackend":
        from django.core.exceptions import ImproperlyConfigured

        # It would queue the message again instead of sending it, for ever.
        raise ImproperlyConfigured("STEPPE_EMAIL_DELIVERY_BACKEND must be a backend that sends.")
    return backend


def email_max_attempts() -> int:
    return int(getattr(settings, "STEPPE_EMAIL_MAX_ATTEMPTS", 8))


def email_retry_delays() -> list[int]:
    """Seconds to wait before attempt 2, 3, …; the last value repeats."""
    return list(getattr(settings, "STEPPE_EMAIL_RETRY_DELAYS", [60, 300, 900, 3600]))


def task_stale_seconds() -> int:
    """A task RUNNING for longer than this is taken for one whose worker died, and queued again."""
    return int(getattr(settings, "STEPPE_TASK_STALE_SECONDS", 1800))
