#!/usr/bin/env bash
# `make test`: provisions what is missing (venv, Debian packages incl. chromium, PostgreSQL, Redis,
# front-end assets), then runs, in order:
#   1. ruff check .
#   2. python manage.py makemigrations --check --dry-run
#   3. python -m pytest -n <cores> --dist loadgroup "$@"   (settings: config.settings.test)
# All three always run; the script exits non-zero if any failed (pytest's "no tests collected",
# status 5, counts as a failure).
#
# Tests use Redis database 1 (TEST_REDIS_URL overrides), so their cache.clear() (FLUSHDB) and their
# Celery broker never touch database 0, which `make run` uses. PostgreSQL, when this script starts
# it, runs with fsync off (PG_FAST=1); a cluster that is already running is reused as it is.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

ensure_venv
# age: the backup tests make their key pairs with age-keygen (tests/config/test_backup.py), as
# `make backup` does (scripts/backup.sh installs it too).
apt_install age
WITH_CHROMIUM=1 PG_FAST="${PG_FAST:-1}" bash scripts/services.sh start
bash scripts/assets.sh

failed=()

log "ruff check ."
ruff check . || failed+=("ruff")

log "makemigrations --check --dry-run"
DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py makemigrations --check --dry-run ||
    failed+=("makemigrations --check (a model change has no migration)")

log "pytest $*"
pytest_status=0
(
    # pytest-django prefers DJANGO_SETTINGS_MODULE over pyproject's setting: drop it.
    unset DJANGO_SETTINGS_MODULE
    export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/1}"
    export DJANGO_ALLOW_ASYNC_UNSAFE=true
    # On every core (TEST_WORKERS=1: in one process): each worker has its own test database
    # and Redis database (config/settings/test.py); a file's tests stay on one worker and the
    # browser tests run last (tests/conftest.py).
    workers="${TEST_WORKERS:-$(nproc)}"
    [ "$workers" -le 6 ] || workers=6
    exec python -m pytest -n "$workers" --dist loadgroup "$@"
) || pytest_status=$?
if [ "$pytest_status" -ne 0 ]; then
    failed+=("pytest (status $pytest_status)")
fi

if [ "${#failed[@]}" -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
log "all checks passed"
