"""WSGI entry point (gunicorn steppe.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steppe.settings")
application = get_wsgi_application()
