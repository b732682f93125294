#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
#
# Runs COMMAND against a throwaway PostgreSQL server: a new cluster in a temp
# folder, listening on 127.0.0.1:${PHPNET_PG_PORT:-54329} with fsync off, and
# PHPNET_TEST_DATABASE_URL pointing at it. The server is stopped and its
# folder removed when the command ends, whether it passed, failed or was
# interrupted. Exits with the command's status.
set -euo pipefail

port=${PHPNET_PG_PORT:-54329}
pgbin=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL tidak terpasang (apt-get install postgresql)." >&2
  exit 1
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "Port $port sudah dipakai (tes lain sedang berjalan?); pilih port lain: PHPNET_PG_PORT=54339" >&2
  exit 1
fi

# initdb refuses to run as root: the cluster belongs to the postgres user then.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi

pgdata=$(mktemp -d /tmp/phpnet-pg.XXXXXX)
stop_server() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdata"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$pgdata"
fi

"${as_owner[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >/dev/null
if ! "${as_owner[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdata -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null; then
  echo "PostgreSQL tidak dapat dijalankan di port $port:" >&2
  cat "$pgdata/server.log" >&2
  exit 1
fi

export PHPNET_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL sementara di 127.0.0.1:$port"
"$@"
