# shellcheck shell=bash
# Shared settings and helpers for the scripts in this folder. Source it; don't run it:
#     . scripts/env.sh
# Every value can be overridden from the environment (e.g. `PG_PORT=5545 make run`).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export ROOT

export PG_PORT="${PG_PORT:-5544}"
export REDIS_PORT="${REDIS_PORT:-6390}"
export PORT="${PORT:-8000}"
export PG_DB="${PG_DB:-neighbourhood_ops}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:${PG_PORT}/${PG_DB}}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}/0}"
export LOCAL_DIR="${LOCAL_DIR:-$ROOT/.local}"
export VENV="${VENV:-$ROOT/.venv}"
export PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export PYTHON="${PYTHON:-python3}"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# apt_install PKG...: installs the Debian packages that are not installed yet. `apt-get update`
# runs at most once per top-level script (APT_UPDATED is exported to child scripts).
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    log "installing Debian packages: ${missing[*]}"
    if [ "${APT_UPDATED:-0}" != 1 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
        export APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
}

# ensure_venv [--force]: creates .venv if missing (or broken) and installs the project with its
# dev extras whenever pyproject.toml or the interpreter differ from the last install (stamp in
# .local/).
venv_fingerprint() {
    cat "$ROOT/pyproject.toml" <("$VENV/bin/python" -c 'import sys; print(sys.version)') |
        sha256sum | cut -d' ' -f1
}

# What WeasyPrint (the PDF downloads: config/pdf.py) loads at run time: pango to lay text out,
# harfbuzz's subsetter for the fonts it embeds, and Liberation Sans (arial's metric twin) for the
# print stylesheet's font stack (static/css/print.css). Same names on Debian 12 and 13; the
# Dockerfile installs the same list.
PDF_LIBRARIES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)

ensure_venv() {
    local stamp="$LOCAL_DIR/venv.stamp"
    apt_install "${PDF_LIBRARIES[@]}"
    mkdir -p "$LOCAL_DIR"
    if [ "${1:-}" != --force ] && [ -x "$VENV/bin/python" ] &&
        [ "$(cat "$stamp" 2>/dev/null)" = "$(venv_fingerprint)" ]; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
            apt_install python3-venv
        fi
        log "creating $VENV"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    log "installing Python packages (pip install -e '.[dev]')"
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e '.[dev]')
    venv_fingerprint >"$stamp"
}

# local_secret_key: this machine's SECRET_KEY for `make run`, made once (random, 64 characters)
# and kept in .local/secret-key, readable by its owner only.
local_secret_key() {
    local file="$LOCAL_DIR/secret-key"
    if [ ! -s "$file" ]; then
        mkdir -p "$LOCAL_DIR"
        (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$file")
    fi
    cat "$file"
}

# django_setting NAME: prints a Django setting (DJANGO_SETTINGS_MODULE, dev by default), so the
# scripts read the one definition the application uses.
django_setting() {
    DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}" python -c '
import sys, django
django.setup()
from django.conf import settings
print(getattr(settings, sys.argv[1]))' "$1" | tail -n 1
}

# database_url_part name | admin | staging NAME: DATABASE_URL's database name, the same server's
# maintenance database (postgres), or the same server with database NAME.
database_url_part() {
    python3 - "$DATABASE_URL" "$@" <<'PY'
import sys
from urllib.parse import urlsplit
url, part = urlsplit(sys.argv[1]), sys.argv[2]
if part == "name":
    print(url.path.lstrip("/"))
else:
    print(url._replace(path="/" + (sys.argv[3] if part == "staging" else "postgres")).geturl())
PY
}

# local_backup_recipient: the public key of this machine's own backup key pair (made once, in
# .local/backup-age-key.txt), for when BACKUP_AGE_RECIPIENT is not set.
local_backup_recipient() {
    local key="$LOCAL_DIR/backup-age-key.txt"
    if [ ! -s "$key" ]; then
        mkdir -p "$LOCAL_DIR"
        (umask 077 && age-keygen -o "$key" 2>/dev/null)
        warn "made a backup key pair in $key: keep a copy elsewhere, or the backups cannot be read"
    fi
    age-keygen -y "$key"
}

# backup_taken_at FILE: when a backup was taken (seconds since 1970), from its name.
backup_taken_at() {
    local stamp
    stamp="$(basename "$1")"
    stamp="${stamp#neighbourhood-ops-}"
    stamp="${stamp%.dump.age}"
    [[ "$stamp" =~ ^([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z$ ]] || return 1
    date -u -d "${BASH_REMATCH[1]}-${BASH_REMATCH[2]}-${BASH_REMATCH[3]} \
${BASH_REMATCH[4]}:${BASH_REMATCH[5]}:${BASH_REMATCH[6]}" +%s
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

export PATH="$VENV/bin:$PATH"
