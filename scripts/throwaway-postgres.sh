#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks: a temporary directory, initdb and
# pg_ctl as an unprivileged user, a free loopback port, a random password. Everything is stopped
# and removed when the script ends.
#
#   scripts/throwaway-postgres.sh -- npm test     runs the command with SPORTELLO_TEST_DATABASE_URL set
#   scripts/throwaway-postgres.sh --serve         prints the URL on one line, then keeps the cluster
#                                                 until stdin closes or the script is signalled
set -euo pipefail

mode="${1:-}"
case "$mode" in
  --) shift ;;
  --serve) ;;
  *)
    echo "usage: $0 -- <command...> | --serve" >&2
    exit 64
    ;;
esac

bin_dir=""
if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
  bin_dir="$(dirname "$(command -v pg_ctl)")"
else
  # Debian installs the binaries per major version, off PATH.
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$candidate/pg_ctl" ]; then
      bin_dir="$candidate"
      break
    fi
  done
fi
if [ -z "$bin_dir" ]; then
  echo "throwaway-postgres: no PostgreSQL binaries (initdb, pg_ctl); install Debian's postgresql (apt-get install postgresql)" >&2
  exit 69
fi

# PostgreSQL refuses to run as root: the cluster belongs to an unprivileged user.
run_as=()
if [ "$(id -u)" = "0" ]; then
  run_as=(runuser -u nobody --)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sportello-pg.XXXXXX")"
chmod 755 "$work"
data="$work/data"
started=0
cleanup() {
  if [ "$started" = "1" ]; then
    "${run_as[@]}" "$bin_dir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

password="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
printf '%s\n' "$password" >"$work/pwfile"
mkdir -m 700 "$data"
if [ "${#run_as[@]}" -gt 0 ]; then
  chown nobody "$data" "$work/pwfile" "$work"
fi
"${run_as[@]}" "$bin_dir/initdb" -D "$data" -U sportello --pwfile="$work/pwfile" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || {
  cat "$work/initdb.log" >&2
  exit 1
}
rm -f "$work/pwfile"

for attempt in 1 2 3 4 5; do
  port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  if "${run_as[@]}" "$bin_dir/pg_ctl" -D "$data" -l "$work/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$work -c max_connections=300 -c shared_buffers=64MB" start >/dev/null; then
    started=1
    break
  fi
  tail -n 5 "$work/server.log" >&2 || true
done
if [ "$started" != "1" ]; then
  echo "throwaway-postgres: the cluster did not start" >&2
  exit 1
fi

export SPORTELLO_TEST_DATABASE_URL="postgres://sportello:${password}@127.0.0.1:${port}/postgres"
if [ "$mode" = "--serve" ]; then
  printf '%s\n' "$SPORTELLO_TEST_DATABASE_URL"
  # Until whoever started us closes our stdin (or signals us).
  cat >/dev/null || true
  exit 0
fi
"$@"
