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


def trusted_after() -> int:
    """Accepted pieces after which a contributor with no upheld report becomes trusted (0: never)."""
    return int(getattr(settings, "STEPPE_TRUSTED_AFTER", 5))


def new_account_days() -> int:
    """An account younger than this many days (or with nothing published) is a new account."""
    return int(getattr(settings, "STEPPE_NEW_ACCOUNT_DAYS", 7))


def new_account_max_links() -> int:
    """Links a new account may put in one submission (body and sources together)."""
    return int(getattr(settings, "STEPPE_NEW_ACCOUNT_MAX_LINKS", 5))


def new_account_max_submissions_per_day() -> int:
    """Submissions (and proposed edits) a new account may send in 24 hours."""
    return int(getattr(settings, "STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY", 3))


def near_duplicate_threshold() -> float:
    """Estimated Jaccard similarity of word shingles from which a submission is flagged."""
    return float(getattr(settings, "STEPPE_NEAR_DUPLICATE_THRESHOLD", 0.6))
