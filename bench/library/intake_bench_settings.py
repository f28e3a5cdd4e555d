"""Settings of the intake benchmark: the project's, with the database task backend (as in
production) and the benchmark's own media and temporary folders."""

import os
from pathlib import Path

from steppe.settings import *  # noqa: F403
from steppe.settings import TASKS, VAR_DIR

BENCH_DIR = Path(
    os.environ.get("STEPPE_INTAKE_BENCH_DIR", str(VAR_DIR / "bench" / "library-intake"))
)
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
MEDIA_ROOT = BENCH_DIR / "media"
STEPPE_LIBRARY_TEMP_DIR = str(BENCH_DIR / "tmp")
TASKS = {"default": {**TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}}
STEPPE_EDITOR_MFA_REQUIRED = False
