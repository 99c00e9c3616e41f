#!/usr/bin/env bash
# Installs what a purpose needs, only when it is missing, so `make run` and
# `make check` work on a fresh Debian 12 machine and cost nothing afterwards.
#   scripts/deps.sh build   compilers and libraries, node modules of the UI
#   scripts/deps.sh test    + cmocka, libcurl, chromium, PostgreSQL, PDF/QR tools
#   scripts/deps.sh bench   + wrk, nginx
#   scripts/deps.sh lint    + clang-format, cppcheck
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsodium-dev
            libsqlite3-dev libpq-dev libssl-dev libcmocka-dev libcurl4-openssl-dev sqlite3 ca-certificates
            libcairo2-dev libpango1.0-dev libqrencode-dev libzbar-dev libpoppler-glib-dev fonts-noto-cjk
            fonts-dejavu-core libxlsxwriter-dev)
test_pkgs=(chromium postgresql poppler-utils zbar-tools curl procps clang libclang-rt-14-dev
           python3-openpyxl)
bench_pkgs=(wrk nginx-light python3 curl)
lint_pkgs=(clang-format cppcheck)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${bench_pkgs[@]}") ;;
  lint) want+=("${lint_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|bench|lint" >&2; exit 2 ;;
esac
command -v node >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node modules of the UI (and of the browser tests): reinstall when the lock
# file changed since the last install.
if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.yiye-lock
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    echo "deps: npm ci (web)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
fi
