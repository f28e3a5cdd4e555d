"""Settings of the moderation benchmark: the project's, with the editors' TOTP check off.

The benchmark signs an editor in with the test client; it measures the pages, not the second factor.
"""

from steppe.settings import *  # noqa: F403

STEPPE_EDITOR_MFA_REQUIRED = False
DEBUG = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
