"""What a web worker loads at start: not the heavy scientific stack (memory target of issue 9)."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steppe.settings")
from steppe.wsgi import application  # what gunicorn loads
from django.urls import get_resolver
get_resolver().url_patterns  # every app's URLconf and views, as the first request does
import steppe.moderation.receivers, steppe.moderation.duplicates
heavy = [name for name in ("scipy", "datasketch", "numpy", "spacy", "natasha") if name in sys.modules]
print(",".join(heavy) or "none")
"""


def test_a_web_worker_starts_without_numpy_scipy_or_language_models():
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "none"
