#!/usr/bin/env bash
# Installs the Debian packages that `make test` needs and this machine lacks:
# Chromium (browser tests), PostgreSQL (the second test run and pg_dump),
# the venv module and npm. Does nothing when all are there; only root installs.
set -euo pipefail

missing=()
command -v chromium >/dev/null || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Paket Debian yang belum terpasang: ${missing[*]}." >&2
  echo "Pasang sebagai root: apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 0  # the steps that need them fail later with their own message
fi
echo "Memasang paket Debian: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
