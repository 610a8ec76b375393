# syntax=docker/dockerfile:1
# Image for web, worker and beat (see docker-compose.yml). Build: docker build -t neighbourhood-ops .

# 1. Front-end assets: npm ci, then copy GOV.UK Frontend, MoJ Frontend and Chart.js into
#    static/vendor/ exactly as `make assets` does locally.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/env.sh scripts/assets.sh scripts/
RUN bash scripts/assets.sh

# 2. The application.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.prod
WORKDIR /app

# The libraries WeasyPrint loads for the PDF downloads (scripts/env.sh: PDF_LIBRARIES).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only, read from pyproject.toml (this layer is rebuilt only when it changes).
# The code runs from /app (PYTHONPATH), so the project itself is not pip-installed.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" >/tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /src/static/vendor static/vendor

# collectstatic needs settings but no database: the dev settings supply placeholder values. The
# manifest it writes (STATIC_ROOT=/app/staticfiles) is the same one production settings use.
RUN DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 10001 --no-create-home --home-dir /app app \
    && mkdir -p /app/.local \
    && chown app:app /app/.local
USER app

EXPOSE 8000
# gunicorn listens on every interface inside the container (config/gunicorn.py).
ENV WEB_BIND=0.0.0.0:8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
