#!/usr/bin/env bash
# The project's own PostgreSQL 15 and Redis, bound to 127.0.0.1 only.
#
#   scripts/services.sh start    install what is missing, start both (reusing running ones)
#   scripts/services.sh stop     stop both (only the instances this checkout started)
#   scripts/services.sh status   report; exit 0 only when both answer
#   scripts/services.sh purge    stop, then delete the PostgreSQL cluster and Redis files
#
# Environment: PG_PORT (5544), REDIS_PORT (6390), PG_DB (neighbourhood_ops), LOCAL_DIR (.local),
# PG_FAST=1 (start PostgreSQL with fsync/synchronous_commit/full_page_writes off; only applies
# when this call starts it), WITH_CHROMIUM=1 (also install the chromium package for browser tests).
#
# PostgreSQL's files live in .local/pg/ ({data,run,postgres.log}). When running as root, the
# server runs as the `postgres` user, which must be able to reach that folder; when it cannot
# (e.g. a checkout under /root with mode 700), the files go to /var/tmp/neighbourhood-ops-<hash>/
# and .local/pg is a symlink to it.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

REDIS_PIDFILE="$LOCAL_DIR/redis.pid"
REDIS_LOG="$LOCAL_DIR/redis.log"
PG_LINK="$LOCAL_DIR/pg"

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the user that owns the cluster, from / (the caller's folder may be unreadable).
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

psql_pg() {
    PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }
redis_ping() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

# Prints the existing PostgreSQL home for this checkout, or nothing.
existing_pg_home() {
    if [ -L "$PG_LINK" ] || [ -d "$PG_LINK" ]; then
        readlink -f "$PG_LINK"
    fi
}

# Chooses (and creates) the PostgreSQL home; prints it.
make_pg_home() {
    local home hash
    home="$(existing_pg_home)"
    if [ -n "$home" ] && [ -d "$home" ]; then
        printf '%s\n' "$home"
        return
    fi
    rm -f "$PG_LINK"  # a dangling symlink (its /var/tmp target was cleaned away)
    if ! is_root || runuser -u postgres -- test -x "$LOCAL_DIR" 2>/dev/null; then
        home="$PG_LINK"
        mkdir -p "$home"
    else
        hash="$(printf '%s' "$ROOT" | sha256sum | cut -c1-10)"
        home="/var/tmp/neighbourhood-ops-$hash"
        log "the postgres user cannot reach $LOCAL_DIR; keeping PostgreSQL files in $home"
        if [ -e "$home" ] && [ "$(stat -c %U "$home")" != postgres ]; then
            die "$home exists and is not owned by postgres; remove it"
        fi
        mkdir -m 700 "$home" 2>/dev/null || true
        ln -sfn "$home" "$PG_LINK"
    fi
    if is_root; then
        chown postgres:postgres "$home"
        chmod 700 "$home"
    fi
    printf '%s\n' "$home"
}

install_missing() {
    local pkgs=()
    [ -x "$PG_BIN/postgres" ] || pkgs+=(postgresql-15)
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        pkgs+=(redis-server redis-tools)
    fi
    if [ "${WITH_CHROMIUM:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
        pkgs+=(chromium)
    fi
    if [ "${#pkgs[@]}" -gt 0 ]; then
        apt_install "${pkgs[@]}"
    fi
    [ -x "$PG_BIN/postgres" ] || die "no PostgreSQL 15 at $PG_BIN (set PG_BIN)"
    if is_root && ! id postgres >/dev/null 2>&1; then
        die "running as root but there is no 'postgres' user to run PostgreSQL as"
    fi
}

start_pg() {
    local home data sockdir locale opts running_port
    home="$(make_pg_home)"
    data="$home/data"

    if as_pg "$PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        running_port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)"
        if [ "$running_port" = "$PG_PORT" ]; then
            log "PostgreSQL already running on 127.0.0.1:$PG_PORT ($data)"
        else
            log "PostgreSQL is running on port $running_port; restarting it on $PG_PORT"
            as_pg "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w >/dev/null
        fi
    elif pg_ready; then
        local other
        other="$(psql_pg -d postgres -Atc 'SHOW data_directory' 2>/dev/null)" ||
            die "127.0.0.1:$PG_PORT is taken by a server we cannot use; choose another PG_PORT"
        warn "reusing the PostgreSQL already on 127.0.0.1:$PG_PORT (data in $other, not this checkout's)"
    elif port_open "$PG_PORT"; then
        die "127.0.0.1:$PG_PORT is taken by something that is not PostgreSQL; choose another PG_PORT"
    fi

    if ! pg_ready; then
        if [ ! -s "$data/PG_VERSION" ]; then
            log "creating PostgreSQL cluster in $data"
            as_pg rm -rf "$data"
            if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then locale=C.UTF-8; else locale=C; fi
            as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale="$locale" \
                --no-instructions >"$home/initdb.log" 2>&1 ||
                { cat "$home/initdb.log" >&2; die "initdb failed"; }
        fi

        # pg_ctl hands -o to /bin/sh, hence the inner quotes. The socket path must stay short
        # (< 108 bytes); with a long checkout path, listen on TCP only.
        sockdir="$home/run"
        if [ "$((${#sockdir} + 16))" -lt 100 ]; then
            as_pg mkdir -p "$sockdir"
        else
            sockdir=""
        fi
        opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$sockdir'"
        if [ "${PG_FAST:-0}" = 1 ]; then
            opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        fi
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT$([ "${PG_FAST:-0}" = 1 ] && echo ' (fast, no fsync)')"
        if ! as_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$home/postgres.log" -w -t 60 \
            -o "$opts" >/dev/null 9>&-; then
            tail -n 30 "$home/postgres.log" >&2 || true
            die "PostgreSQL did not start (log: $home/postgres.log)"
        fi
    fi

    local i
    for i in $(seq 1 60); do
        pg_ready && break
        [ "$i" = 60 ] && die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
        sleep 0.5
    done

    # btree_gist in template1 too, so pytest-django's test database (a copy of it) has it.
    psql_pg -d template1 -c 'CREATE EXTENSION IF NOT EXISTS btree_gist'
    if [ "$(psql_pg -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]
    then
        log "creating database $PG_DB"
        psql_pg -d postgres -c "CREATE DATABASE \"$PG_DB\""
    fi
    psql_pg -d "$PG_DB" -c 'CREATE EXTENSION IF NOT EXISTS btree_gist'
}

start_redis() {
    if redis_ping; then
        if [ -s "$REDIS_PIDFILE" ] && kill -0 "$(cat "$REDIS_PIDFILE")" 2>/dev/null; then
            log "Redis already running on 127.0.0.1:$REDIS_PORT"
        else
            warn "reusing the Redis already on 127.0.0.1:$REDIS_PORT (not started by this checkout)"
        fi
        return
    fi
    port_open "$REDIS_PORT" &&
        die "127.0.0.1:$REDIS_PORT is taken by something that is not Redis; choose another REDIS_PORT"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    rm -f "$REDIS_PIDFILE"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
        --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" --dir "$LOCAL_DIR" 9>&-
    local i
    for i in $(seq 1 40); do
        redis_ping && return
        sleep 0.25
    done
    tail -n 20 "$REDIS_LOG" >&2 || true
    die "Redis does not answer on 127.0.0.1:$REDIS_PORT (log: $REDIS_LOG)"
}

stop_pg() {
    local home
    home="$(existing_pg_home)"
    if [ -n "$home" ] && [ -s "$home/data/PG_VERSION" ] &&
        as_pg "$PG_BIN/pg_ctl" status -D "$home/data" >/dev/null 2>&1; then
        log "stopping PostgreSQL ($home/data)"
        as_pg "$PG_BIN/pg_ctl" stop -D "$home/data" -m fast -w >/dev/null
    else
        log "PostgreSQL (this checkout's) is not running"
    fi
}

stop_redis() {
    local pid i
    pid="$(cat "$REDIS_PIDFILE" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        grep -q '^redis' "/proc/$pid/comm" 2>/dev/null; then
        log "stopping Redis (pid $pid)"
        kill -TERM "$pid"
        for i in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    else
        log "Redis (this checkout's) is not running"
    fi
    rm -f "$REDIS_PIDFILE"
}

status() {
    local rc=0 home
    home="$(existing_pg_home)"
    if pg_ready; then
        echo "postgres: up on 127.0.0.1:$PG_PORT (cluster: ${home:-none}/data)"
    else
        echo "postgres: down (port $PG_PORT; cluster: ${home:-not created})"
        rc=3
    fi
    if redis_ping; then
        echo "redis:    up on 127.0.0.1:$REDIS_PORT"
    else
        echo "redis:    down (port $REDIS_PORT)"
        rc=3
    fi
    return "$rc"
}

# Serialises concurrent start/stop calls. The servers are started with fd 9 closed so that they
# do not keep holding the lock.
lock() {
    mkdir -p "$LOCAL_DIR"
    exec 9>"$LOCAL_DIR/services.lock"
    flock -w 600 9 || die "another services.sh holds $LOCAL_DIR/services.lock"
}

case "${1:-start}" in
start)
    lock
    install_missing
    start_pg
    start_redis
    log "services up: $DATABASE_URL  $REDIS_URL"
    ;;
stop)
    lock
    stop_pg
    stop_redis
    ;;
status)
    status
    ;;
purge)
    lock
    stop_pg
    stop_redis
    home="$(existing_pg_home)"
    if [ -n "$home" ]; then
        log "deleting $home"
        rm -rf "$home"
    fi
    rm -rf "$PG_LINK" "$REDIS_LOG"
    ;;
*)
    echo "usage: $0 [start|stop|status|purge]" >&2
    exit 2
    ;;
esac
