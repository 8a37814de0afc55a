#!/usr/bin/env bash
# The README's test command (`npm test`). On a fresh Debian machine with Node 20 it:
#   1. installs npm dependencies if node_modules is missing,
#   2. installs influxdb, mosquitto, postgresql, chromium and CJK fonts from Debian if missing
#      (as root), or stops with a one-line message saying how,
#   3. starts InfluxDB, Mosquitto and PostgreSQL on free loopback ports in a temp folder,
#   4. builds the client, runs vitest, and stops the servers whatever happens.
# Extra arguments go to vitest (e.g. `npm test -- tests/standards`); AIRDESK_SKIP_BUILD=1 skips
# the client build (for running a subset while the client is not involved).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

[ -d node_modules ] || npm ci --no-audit --no-fund

need=()
command -v influxd >/dev/null || need+=(influxdb)
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || need+=(mosquitto)
command -v chromium >/dev/null || need+=(chromium)
# Debian's PostgreSQL keeps its binaries off PATH, under /usr/lib/postgresql/<major>/bin.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || need+=(postgresql)
[ -d /usr/share/fonts/opentype/noto ] || dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# The report tests read the printed PDFs back with poppler (pdfinfo, pdftotext, pdftoppm).
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "tests/run.sh: installing ${need[*]} from Debian"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "tests/run.sh: missing ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
fi

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

WORK=$(mktemp -d /tmp/airdesk-test.XXXXXX)
pids=()
PG_UP=
# initdb and pg_ctl refuse to run as root: as root they run as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -z "$PG_UP" ] || as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# InfluxDB 1.x on loopback, all state in the temp folder.
INFLUX_PORT=$(free_port)
INFLUX_RPC=$(free_port)
mkdir -p "$WORK/influx"
sed -e "s|@HTTP_PORT@|$INFLUX_PORT|" -e "s|@RPC_PORT@|$INFLUX_RPC|" -e "s|@DIR@|$WORK/influx|g" deploy/influxdb.conf.tmpl > "$WORK/influx/influxdb.conf"
influxd -config "$WORK/influx/influxdb.conf" >"$WORK/influx.log" 2>&1 &
pids+=($!)

# Mosquitto with the shipped no-loss settings, on a free loopback port.
MQTT_PORT=$(free_port)
mkdir -p "$WORK/mosquitto"
# Mosquitto started as root drops to the mosquitto user, which must be able to write its persistence file.
chmod 777 "$WORK/mosquitto"
sed -e "s|@PORT@|$MQTT_PORT|" -e "s|@DIR@|$WORK/mosquitto/|" deploy/mosquitto.conf.tmpl > "$WORK/mosquitto/mosquitto.conf"
$(command -v mosquitto || echo /usr/sbin/mosquitto) -c "$WORK/mosquitto/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
pids+=($!)

# PostgreSQL: a throwaway cluster in the temp folder (trust auth, loopback only, socket in the folder).
PG_PORT=$(free_port)
mkdir -p "$WORK/pg/data"
[ "$(id -u)" != 0 ] || chown -R postgres:postgres "$WORK/pg"
chmod 755 "$WORK"
as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -A trust -U airdesk --no-sync >"$WORK/pg.log" 2>&1 \
  || { echo "tests/run.sh: PostgreSQL initdb failed:"; tail -5 "$WORK/pg.log"; exit 1; }
PG_UP=1
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" -w start >>"$WORK/pg.log" 2>&1 \
  || { echo "tests/run.sh: PostgreSQL did not start:"; tail -5 "$WORK/pg/server.log" "$WORK/pg.log"; exit 1; }
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U airdesk airdesk_test >>"$WORK/pg.log" 2>&1 \
  || { echo "tests/run.sh: createdb failed:"; tail -5 "$WORK/pg.log"; exit 1; }

for i in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$INFLUX_PORT/ping" && break
  sleep 0.2
  [ "$i" = 100 ] && { echo "tests/run.sh: InfluxDB did not start:"; tail -5 "$WORK/influx.log"; exit 1; }
done

export AIRDESK_TEST_INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
export AIRDESK_TEST_MQTT_URL="mqtt://127.0.0.1:$MQTT_PORT"
export AIRDESK_TEST_MOSQUITTO_CONF="$WORK/mosquitto/mosquitto.conf"
export AIRDESK_TEST_CHROMIUM="$(command -v chromium)"
export AIRDESK_TEST_INFLUXD="$(command -v influxd)"
export AIRDESK_TEST_DATABASE_URL="postgres://airdesk@127.0.0.1:$PG_PORT/airdesk_test"
echo "tests/run.sh: InfluxDB $AIRDESK_TEST_INFLUX_URL, Mosquitto $AIRDESK_TEST_MQTT_URL, PostgreSQL $AIRDESK_TEST_DATABASE_URL"

# The browser tests drive the built client.
[ "${AIRDESK_SKIP_BUILD:-}" = 1 ] || npx vite build --logLevel warn

npx vitest run "$@"
