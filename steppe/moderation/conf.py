"""Settings of the moderation app, read lazily so that tests can override them."""

from django.conf import settings


def report_rate_limit() -> tuple[int, int]:
    """How many reports one IP address may send, per how many seconds."""
    return getattr(settings, "STEPPE_REPORT_RATE_LIMIT", (5, 3600))


def form_min_fill_seconds() -> float:
    """A public form sent faster than this after it was shown is treated as a robot's."""
    return getattr(settings, "STEPPE_FORM_MIN_FILL_SECONDS", 3.0)


def contact_email() -> str:
    """Where authors and reporters write to contest a decision (the Reply-To of statements)."""
    return getattr(settings, "STEPPE_MODERATION_CONTACT_EMAIL", settings.DEFAULT_FROM_EMAIL)


def site_url() -> str:
    return getattr(settings, "STEPPE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
