#!/usr/bin/env bash
# `make backup`: the system's state of record, its PostgreSQL database, as one encrypted file.
#
# - pg_dump in custom format (compressed; pg_restore reads it whole or table by table), piped
#   straight into age: the dump never touches the disk unencrypted.
# - Encrypted to an age public key, BACKUP_AGE_RECIPIENT (age1…): the machine that takes the
#   backups cannot read them; restoring needs the private key (BACKUP_AGE_IDENTITY).
# - Written to BACKUP_DIR as neighbourhood-ops-<UTC time>.dump.age. Then every backup there older
#   than VICTIM_DATA_RETENTION_DAYS is deleted: a backup holds victims' personal data, so none is
#   kept longer than that data itself may be.
# - Redis is not backed up: it holds no state of record (README, "Backups").
#
# Environment: DATABASE_URL, BACKUP_DIR (.local/backups), BACKUP_AGE_RECIPIENT. Without a
# recipient, a key pair made once for this machine is used: .local/backup-age-key.txt (keep a
# copy of it somewhere safe, or the backups cannot be restored).
# Prints the new file's path on standard output.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

apt_install age
ensure_venv

BACKUP_DIR="${BACKUP_DIR:-$LOCAL_DIR/backups}"
recipient="${BACKUP_AGE_RECIPIENT:-}"
if [ -z "$recipient" ]; then
    recipient="$(local_backup_recipient)"
fi
case "$recipient" in
age1*) ;;
*) die "BACKUP_AGE_RECIPIENT must be an age public key (age1…), made with age-keygen" ;;
esac

retention_days="$(django_setting VICTIM_DATA_RETENTION_DAYS)"
[[ "$retention_days" =~ ^[0-9]+$ ]] || die "could not read VICTIM_DATA_RETENTION_DAYS"

(umask 077 && mkdir -p "$BACKUP_DIR")
name="neighbourhood-ops-$(date -u +%Y%m%dT%H%M%SZ).dump.age"
partial="$BACKUP_DIR/.$name.partial"
trap 'rm -f "$partial"' EXIT

log "pg_dump (custom format) | age → $BACKUP_DIR/$name"
(umask 077 && "$PG_BIN/pg_dump" --format=custom --no-owner --no-privileges \
    --dbname="$DATABASE_URL" | age --encrypt --recipient "$recipient" --output "$partial")
mv "$partial" "$BACKUP_DIR/$name"
trap - EXIT

# Retention: the time in each name is when it was taken (a copy's mtime could say otherwise).
now="$(date -u +%s)"
for file in "$BACKUP_DIR"/neighbourhood-ops-*.dump.age; do
    taken="$(backup_taken_at "$file")" || { warn "not a backup name: $file"; continue; }
    if [ $((now - taken)) -gt $((retention_days * 86400)) ]; then
        log "deleting $file: older than $retention_days days (VICTIM_DATA_RETENTION_DAYS)"
        rm -f "$file"
    fi
done

printf '%s\n' "$BACKUP_DIR/$name"
