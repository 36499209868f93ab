"""WSGI entry point for the production server (gunicorn, started by ``compacts up``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compacts.config.settings.local")
application = get_wsgi_application()
