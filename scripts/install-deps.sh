#!/bin/sh
# install-deps.sh - installs the Debian 12 packages jiebang needs to build,
# run, test and package (make deb: dpkg-dev, lintian; man-db and systemd-analyze
# check the man pages and units), and the npm packages of the browser tests (package.json,
# pinned by package-lock.json; playwright-core drives Debian's chromium, so
# no browser is downloaded). Idempotent; prints nothing when everything is
# present.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libsodium-dev
libjansson-dev libpq-dev libmagic-dev libunistring-dev libcmocka-dev libxlsxwriter-dev libzip-dev
libexpat1-dev libcsv-dev libsystemd-dev libcurl4-openssl-dev liboath-dev libqrencode-dev postgresql-15 nginx-light nodejs tidy sqlite3 iproute2 clang libclang-rt-14-dev
wrk chromium fonts-noto-cjk npm python3-openpyxl python3-docx
dpkg-dev lintian man-db groff-base systemd openssl"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
# A node that did not come from Debian's package (e.g. a newer one on PATH)
# serves the tests just as well.
case "$missing" in *nodejs*) command -v node >/dev/null 2>&1 &&
	missing=$(echo "$missing" | sed 's/ nodejs//') ;; esac
case "$missing" in *npm*) command -v npm >/dev/null 2>&1 &&
	missing=$(echo "$missing" | sed 's/ npm//') ;; esac

# The npm packages, as the user who runs this (not root through sudo).
npm_deps() {
	[ -f node_modules/playwright-core/package.json ] && [ -f node_modules/axe-core/package.json ] &&
		[ node_modules/.package-lock.json -nt package-lock.json ] && return 0
	echo "install-deps: npm ci (playwright-core, axe-core)"
	npm ci --no-audit --no-fund --loglevel=error >/dev/null
}

if [ -z "$missing" ]; then
	npm_deps
	exit 0
fi

echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Keep the package's own nginx and postgresql services from starting: tests
# start private instances on free loopback ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
npm_deps
