#!/usr/bin/env bash
# Vendors the front-end packages from npm into static/vendor/ (git-ignored):
#
#   static/vendor/govuk/govuk-frontend.min.css   GOV.UK Frontend CSS; url(/assets/..) made relative
#   static/vendor/govuk/govuk-frontend.min.js    ES module: <script type="module">, import {initAll}
#   static/vendor/govuk/all.bundle.js            the same as a classic script (window.GOVUKFrontend)
#   static/vendor/govuk/assets/                  images, manifest.json (not the fonts: see below)
#   static/vendor/moj/moj-frontend.min.css       MoJ Frontend CSS; url(/assets/..) made relative
#   static/vendor/moj/moj-frontend.min.js        ES module (initAll, SortableTable, ...)
#   static/vendor/moj/assets/                    MoJ images
#   static/vendor/chart.umd.js                   Chart.js 4 UMD build (window.Chart)
#   static/vendor/leaflet/leaflet.js, .css       Leaflet 1.9 (window.L) and its images
#   static/vendor/axe.min.js                     axe-core, for the browser tests' accessibility checks
#   static/vendor/VERSIONS.txt                   installed versions
#
# sourceMappingURL comments are removed (the .map files are not copied), so that collectstatic's
# manifest storage does not look for them. Does nothing when package.json, package-lock.json and
# this script are unchanged since the last run and the files are there.
set -euo pipefail
# shellcheck source=scripts/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

VENDOR=static/vendor
STAMP="$VENDOR/.stamp"
NM_STAMP=node_modules/.neighbourhood-ops.stamp
OUTPUTS=(
    govuk/govuk-frontend.min.css govuk/govuk-frontend.min.js govuk/all.bundle.js
    govuk/assets/images moj/moj-frontend.min.css moj/moj-frontend.min.js
    moj/assets/images chart.umd.js leaflet/leaflet.js leaflet/leaflet.css leaflet/images
    axe.min.js
)

fingerprint() {
    cat package.json package-lock.json "${BASH_SOURCE[0]}" 2>/dev/null | sha256sum | cut -d' ' -f1
}

up_to_date() {
    local f
    [ "$(cat "$STAMP" 2>/dev/null)" = "$(fingerprint)" ] || return 1
    for f in "${OUTPUTS[@]}"; do
        [ -e "$VENDOR/$f" ] || return 1
    done
}

if up_to_date; then
    log "front-end assets up to date ($VENDOR)"
    exit 0
fi

mkdir -p "$LOCAL_DIR"
exec 9>"$LOCAL_DIR/assets.lock"
flock -w 600 9 || die "another assets.sh holds $LOCAL_DIR/assets.lock"
if up_to_date; then  # built by whoever held the lock
    log "front-end assets up to date ($VENDOR)"
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi

nm_want="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$NM_STAMP" 2>/dev/null)" != "$nm_want" ]; then
    if [ -f package-lock.json ]; then
        log "npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    else
        log "npm install (no package-lock.json yet)"
        npm install --no-audit --no-fund --loglevel=error
        nm_want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
    fi
    printf '%s\n' "$nm_want" >"$NM_STAMP"
fi

GOVUK=node_modules/govuk-frontend/dist/govuk
MOJ=node_modules/@ministryofjustice/frontend/moj
CHART=node_modules/chart.js/dist
LEAFLET=node_modules/leaflet/dist

tmp="static/.vendor.tmp.$$"
trap 'rm -rf "$tmp" "static/.vendor.old.$$"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp/govuk" "$tmp/moj" "$tmp/leaflet"

# copy SRC DEST: copies a CSS or JS file, making url(/assets/...) relative and dropping the
# trailing sourceMappingURL comment.
copy() {
    [ -f "$1" ] || die "$1 not found: has the package's layout changed?"
    sed -e "s|url(\\([\"']\\{0,1\\}\\)/assets/|url(\\1assets/|g" \
        -e '$s|/\*# sourceMappingURL=[^*]*\*/||' \
        -e '$s|//# sourceMappingURL=.*$||' \
        "$1" >"$2"
}

# The GDS Transport typeface is GOV.UK's own: the service sets its text in the device's system
# font. The prebuilt CSS names the typeface in one font stack (58 times) and has no variable for
# it, so we swap that stack and drop its @font-face rules here: the same CSS compiling the Sass
# with $govuk-font-family and $govuk-include-default-font-face: false would give, without a Sass
# toolchain. MoJ Frontend's CSS uses the same stack.
SYSTEM_FONTS='system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",arial,sans-serif'
system_fonts() {
    sed -i -e 's|@font-face{font-family:GDS Transport;[^}]*}||g' \
        -e "s|\"\{0,1\}GDS Transport\"\{0,1\},arial,sans-serif|$SYSTEM_FONTS|g" "$1"
    if grep -q 'GDS Transport' "$1"; then
        die "$1 still names GDS Transport: has GOV.UK Frontend's font stack changed?"
    fi
}

copy "$GOVUK/govuk-frontend.min.css" "$tmp/govuk/govuk-frontend.min.css"
system_fonts "$tmp/govuk/govuk-frontend.min.css"
copy "$GOVUK/govuk-frontend.min.js" "$tmp/govuk/govuk-frontend.min.js"
copy "$GOVUK/all.bundle.js" "$tmp/govuk/all.bundle.js"
cp -R "$GOVUK/assets" "$tmp/govuk/assets"
rm -rf "$tmp/govuk/assets/fonts"

copy "$MOJ/moj-frontend.min.css" "$tmp/moj/moj-frontend.min.css"
system_fonts "$tmp/moj/moj-frontend.min.css"
copy "$MOJ/moj-frontend.min.js" "$tmp/moj/moj-frontend.min.js"
cp -R "$MOJ/assets" "$tmp/moj/assets"

copy "$CHART/chart.umd.js" "$tmp/chart.umd.js"

copy "$LEAFLET/leaflet.js" "$tmp/leaflet/leaflet.js"
copy "$LEAFLET/leaflet.css" "$tmp/leaflet/leaflet.css"
cp -R "$LEAFLET/images" "$tmp/leaflet/images"
copy node_modules/axe-core/axe.min.js "$tmp/axe.min.js"

if grep -l 'url(["'\'']\{0,1\}/assets/' "$tmp"/govuk/*.css "$tmp"/moj/*.css >&2; then
    die "absolute /assets/ URLs left in the CSS above"
fi

for pkg in govuk-frontend @ministryofjustice/frontend chart.js leaflet axe-core; do
    printf '%s %s\n' "$pkg" "$(node -p "require('./node_modules/$pkg/package.json').version")"
done >"$tmp/VERSIONS.txt"
fingerprint >"$tmp/.stamp"

# Swap the new folder in whole, so a reader never sees half a vendor folder.
if [ -e "$VENDOR" ]; then
    mv "$VENDOR" "static/.vendor.old.$$"
fi
mv "$tmp" "$VENDOR"
log "front-end assets written to $VENDOR: $(tr '\n' ' ' <"$VENDOR/VERSIONS.txt")"
