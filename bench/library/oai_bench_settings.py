"""Settings of the OAI-PMH benchmark: the project's, with /oai mounted and quiet logs."""

import os

from steppe.settings import *  # noqa: F403
from steppe.settings import LOGGING

ROOT_URLCONF = "oai_bench_urls"
DEBUG = False
LOGGING = {
    **LOGGING,
    "loggers": {**LOGGING["loggers"], "django.server": {"level": "WARNING"}},
}

STEPPE_OAI_PAGE_SIZE = int(os.environ.get("STEPPE_OAI_BENCH_PAGE_SIZE", "100"))
