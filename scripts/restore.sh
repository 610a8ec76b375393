#!/usr/bin/env bash
# `make restore FILE=…`: replaces the database with the contents of a `make backup` file.
#
# Stop the web server, the worker and beat first (Ctrl-C on `make run`); PostgreSQL and Redis
# stay up. Then:
#   1. the file is decrypted (age, with BACKUP_AGE_IDENTITY) straight into pg_restore, which loads
#      it into a new database, <name>_restoring, in one transaction: the live database is not
#      touched until the whole backup has loaded;
#   2. the live database (if any) is renamed <name>_before_restore_<UTC time> and kept, in case
#      the wrong file was restored (drop it when satisfied: the command is printed), and the new
#      one takes its name;
#   3. migrations newer than the backup are applied, and victims' personal data whose retention
#      has passed since the backup was taken is removed again at once;
#   4. Redis (REDIS_URL's database) is emptied: it holds only a cache, rate-limit counters and
#      queued tasks, all derived from the database, and none of it may refer to rows that the
#      restore took away. Work that was queued is queued again from the database by beat's
#      resume job (README, "Backups").
#
# Environment: DATABASE_URL, REDIS_URL, BACKUP_AGE_IDENTITY (the private key, AGE-SECRET-KEY-1…)
# or BACKUP_AGE_IDENTITY_FILE; without either, .local/backup-age-key.txt.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

file="${1:-}"
[ -n "$file" ] && [ -f "$file" ] || die "usage: scripts/restore.sh BACKUP_FILE (no such file: '$file')"
apt_install age
ensure_venv

identity_file="${BACKUP_AGE_IDENTITY_FILE:-$LOCAL_DIR/backup-age-key.txt}"
if [ -n "${BACKUP_AGE_IDENTITY:-}" ]; then
    # age reads keys from files only: a private one, removed when the script ends.
    identity_file="$(mktemp)"
    trap 'rm -f "$identity_file"' EXIT
    printf '%s\n' "$BACKUP_AGE_IDENTITY" >"$identity_file"
elif [ ! -f "$identity_file" ]; then
    die "set BACKUP_AGE_IDENTITY (or BACKUP_AGE_IDENTITY_FILE) to the backup's private key"
fi

target="$(database_url_part name)"
staging="${target}_restoring"
admin_psql() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 --dbname="$(database_url_part admin)" "$@"
}
exists() {
    [ "$(admin_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

log "loading $file into a new database, $staging"
admin_psql -c "DROP DATABASE IF EXISTS \"$staging\""
admin_psql -c "CREATE DATABASE \"$staging\""
age --decrypt --identity "$identity_file" "$file" |
    "$PG_BIN/pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
        --dbname="$(database_url_part staging "$staging")" ||
    {
        admin_psql -c "DROP DATABASE IF EXISTS \"$staging\""
        die "the restore failed; $target is unchanged"
    }

if exists "$target"; then
    kept="${target}_before_restore_$(date -u +%Y%m%dT%H%M%SZ)"
    log "keeping the database it replaces as $kept"
    admin_psql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                   WHERE datname = '$target' AND pid <> pg_backend_pid()" >/dev/null
    admin_psql -c "ALTER DATABASE \"$target\" RENAME TO \"$kept\""
fi
admin_psql -c "ALTER DATABASE \"$staging\" RENAME TO \"$target\""

log "migrate, then remove personal data whose retention has passed"
python manage.py migrate --noinput
python manage.py anonymise_victims

log "emptying Redis ($REDIS_URL): nothing in it outlives a restore"
redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null

log "restored $file into $target"
if [ -n "${kept:-}" ]; then
    log "the database it replaced is kept as $kept; drop it when satisfied:"
    log "  psql \"$(database_url_part admin)\" -c 'DROP DATABASE \"$kept\"'"
fi
