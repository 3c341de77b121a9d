"""The Celery application (cookiecutter-django's wiring).

Configuration comes from Django settings prefixed ``CELERY_``. With
``REDIS_URL`` unset the broker is in memory and tasks run eagerly in-process,
so a single-machine installation needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("send_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
