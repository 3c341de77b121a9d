#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py in a checkout is a developer's tool: with DEBUG unset it runs
    # in development mode. Production entry points (gunicorn via
    # config/wsgi.py, Celery) default to DEBUG off, and the Docker image sets
    # DEBUG=0 for every process in it, manage.py included.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
