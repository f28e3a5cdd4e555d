"""The web process never loads a language model: only the worker and the command do."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steppe.settings")
import django
django.setup()
from django.urls import resolve, reverse
import steppe.urls, steppe.knowledge.receivers, steppe.knowledge.tasks, steppe.knowledge.services
import steppe.knowledge.admin, steppe.knowledge.templatetags.knowledge
heavy = [name for name in ("spacy", "natasha", "slovnet", "lingua", "py3langid", "pymorphy2", "thinc")
         if name in sys.modules]
print(",".join(heavy) or "none")
"""


def test_web_process_loads_no_language_model():
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
