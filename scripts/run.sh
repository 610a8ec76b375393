#!/usr/bin/env bash
# `make run`: provisions everything, then serves the site with gunicorn, a Celery worker and
# Celery beat, in the foreground. Ctrl-C (or SIGTERM) stops those three; PostgreSQL and Redis are
# left running so the next start is quick (`make stop` stops them).
#
# It serves as production does (config.settings.prod: DEBUG off, static files through WhiteNoise,
# security headers, rate limits), except TLS: it is plain http on 127.0.0.1, so the https redirect
# and secure-only cookies are off. `make dev` (RUN_MODE=dev) runs the same with the development
# settings instead: DEBUG on, with Django's error pages.
#
# Environment: RUN_MODE (prod; dev), PORT (8000), CELERY_CONCURRENCY (2), plus those of env.sh;
# gunicorn's sizing (WEB_WORKERS, WEB_THREADS) is in config/gunicorn.py, which `make bench` uses.
# SECRET_KEY, if not set, is made once and kept in .local/secret-key.
# Logs: the three processes write to this terminal; .local/demo-logins.txt keeps seed_demo's output.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

RUN_MODE="${RUN_MODE:-prod}"
case "$RUN_MODE" in
prod)
    export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.prod}"
    export DEBUG=false
    export SECRET_KEY="${SECRET_KEY:-$(local_secret_key)}"
    export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
    export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
    # Plain http on this machine: the only production settings left out are TLS's.
    export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
    export SECURE_COOKIES="${SECURE_COOKIES:-false}"
    ;;
dev) export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}" ;;
*) die "RUN_MODE must be prod or dev, not $RUN_MODE" ;;
esac
CELERY_CONCURRENCY="${CELERY_CONCURRENCY:-2}"

if port_open "$PORT"; then
    die "127.0.0.1:$PORT is already in use (another \`make run\`?); stop it or set PORT=..."
fi

ensure_venv
bash scripts/assets.sh
bash scripts/services.sh start

log "migrate"
python manage.py migrate --noinput
log "load_london"
python manage.py load_london
log "load_hospitals (a local factor of supervision workload)"
python manage.py load_hospitals
log "seed_demo"
python manage.py seed_demo | tee "$LOCAL_DIR/demo-logins.txt"
log "load_demand_reference (LSOA lookups, IMD, ward populations)"
python manage.py load_demand_reference
log "seed_demand_demo (queued: the worker imports a year of crime and CAD calls in the background)"
python manage.py seed_demand_demo --queue
log "load_schools (Safer Schools: the DfE list placed in wards; crime around each is recounted nightly)"
python manage.py load_schools
log "produce_reports (last month's reports for the demo; existing ones are kept)"
python manage.py produce_reports
log "collectstatic"
python manage.py collectstatic --noinput -v 0

pids=()
names=()
stopping=0

# alive PID: the process exists and is not a zombie.
alive() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]
}

# shellcheck disable=SC2329  # called from the traps
stop_all() {
    [ "$stopping" = 1 ] && return 0
    stopping=1
    [ "${#pids[@]}" -eq 0 ] && return 0
    local pid i any
    log "stopping gunicorn and celery (PostgreSQL and Redis keep running: \`make stop\` stops them)"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 1 120); do # up to 30 s: a Celery warm shutdown finishes the running tasks
        any=0
        for pid in "${pids[@]}"; do alive "$pid" && any=1; done
        [ "$any" = 0 ] && break
        [ "$i" = 120 ] && warn "still running after 30 s; killing"
        sleep 0.25
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# start NAME COMMAND...: runs COMMAND in the background and remembers it.
start() {
    local name="$1"
    shift
    "$@" &
    pids+=("$!")
    names+=("$name")
}

start gunicorn gunicorn -c config/gunicorn.py config.wsgi:application
start "celery worker" celery -A config worker --concurrency "$CELERY_CONCURRENCY" --loglevel INFO
start "celery beat" celery -A config beat --loglevel INFO \
    --schedule "$LOCAL_DIR/celerybeat-schedule" --pidfile "$LOCAL_DIR/celerybeat.pid"

for i in $(seq 1 120); do
    port_open "$PORT" && break
    alive "${pids[0]}" || die "gunicorn exited during start-up"
    [ "$i" = 120 ] && die "gunicorn does not answer on 127.0.0.1:$PORT after 60 s"
    sleep 0.5
done

printf '\n  Neighbourhood Ops is running:  http://127.0.0.1:%s/  (%s settings)\n' "$PORT" "$RUN_MODE"
printf '  PostgreSQL 127.0.0.1:%s, Redis 127.0.0.1:%s; gunicorn (config/gunicorn.py), celery worker\n' \
    "$PG_PORT" "$REDIS_PORT"
printf '  (concurrency %s) and celery beat. Ctrl-C stops them.\n\n' "$CELERY_CONCURRENCY"
printf '  Demo logins (seed_demo output, kept in %s):\n' "$LOCAL_DIR/demo-logins.txt"
sed 's/^/    /' "$LOCAL_DIR/demo-logins.txt"
echo

# Wait; if any of the three exits on its own, stop the others (EXIT trap) and fail.
set +e
wait -n -p finished "${pids[@]}"
rc=$?
set -e
for i in "${!pids[@]}"; do
    if [ "${pids[$i]}" = "${finished:-}" ]; then
        warn "${names[$i]} exited (status $rc); stopping the others"
    fi
done
exit 1
