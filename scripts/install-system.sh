#!/usr/bin/env bash
# Install the Debian/Ubuntu packages kcmap needs, only those missing.
#   scripts/install-system.sh            PostgreSQL + PostGIS (+ python3-venv if needed), and
#                                        DejaVu fonts (Vietnamese glyphs) for PDF/PNG maps
#   scripts/install-system.sh --browser  also Chromium and poppler-utils (pdftotext) for tests
set -euo pipefail

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

missing=()
# With DATABASE_URL set, kcmap uses that PostGIS and needs no local server.
if [ -z "${DATABASE_URL:-}" ]; then
  pg_initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$pg_initdb" ]; then
    missing+=(postgresql postgresql-contrib)
  fi
  if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    missing+=(postgresql-postgis)
  fi
fi
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
# The briefing PDF and PNG maps are rendered on the server in DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "$want_browser" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "kcmap: installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "kcmap: need root to install ${missing[*]} (or set DATABASE_URL to an existing PostGIS)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian's 'postgresql-postgis' pulls the PostGIS build matching the default PostgreSQL.
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "kcmap: system packages installed"
