# One image for the web, worker and beat processes (docker-compose.yml).
FROM python:3.11-slim-bookworm

# DEBUG=0 for every process in the image, manage.py included (manage.py
# otherwise defaults to development mode).
ENV DEBUG=0 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; Liberation fonts stand in for Arial in PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input

RUN useradd --create-home --uid 10001 portal && mkdir -p /app/var/uploads && chown -R portal /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn_conf.py", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
