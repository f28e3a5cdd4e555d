"""Settings of the API benchmark's server: the project's, without rate limits or request logs."""

from steppe.settings import *  # noqa: F403
from steppe.settings import LOGGING

STEPPE_API_RATE_LIMIT = None  # the benchmark is one client sending thousands of requests
LOGGING = {
    **LOGGING,
    "loggers": {**LOGGING["loggers"], "django.server": {"level": "WARNING"}},
}
