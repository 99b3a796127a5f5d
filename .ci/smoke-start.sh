#!/usr/bin/env bash
# `npm start` on a fresh data directory must be ready within 30 s, and a second start must find
# the data of the first. Runs the service exactly as a newcomer does, on the embedded PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() { node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})"; }
export DATA_DIR PORT EMBEDDED_POSTGRES_PORT
DATA_DIR=$(mktemp -d)/data
chmod 755 "$(dirname "$DATA_DIR")"
PORT=$(free_port)
EMBEDDED_POSTGRES_PORT=$(free_port)
export LOG_LEVEL=warn
base="http://127.0.0.1:$PORT"
log=$(mktemp)

start() {
  # Its own process group, as in a terminal: the signal reaches npm and the service alike.
  setsid npm start >"$log" 2>&1 &
  pid=$!
  local started=$(date +%s%N)
  for _ in $(seq 1 300); do
    if curl -fs "$base/health/ready" >/dev/null 2>&1; then
      echo "ready after $(( ($(date +%s%N) - started) / 1000000 )) ms (npm start, including the build)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "not ready within 30 s:"; cat "$log"; return 1
}

stop() {
  kill -TERM -- "-$pid"
  wait "$pid" || true
  for _ in $(seq 1 100); do
    pgrep -g "$pid" >/dev/null || return 0
    sleep 0.1
  done
  echo "the service did not stop within 10 s"; return 1
}

start
token=$(cat "$DATA_DIR/admin-token")
slug="smoke-$RANDOM"
curl -fs -X POST "$base/api/v1/events" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"slug\":\"$slug\",\"title\":\"Smoke\",\"timezone\":\"Asia/Almaty\",\"startsAt\":\"2030-06-07T09:00:00+05:00\",\"endsAt\":\"2030-06-07T17:00:00+05:00\",\"format\":\"in_person\",\"venue\":{\"name\":\"Hall\"},\"capacity\":{\"inPerson\":10}}" >/dev/null
stop

start
curl -fs "$base/api/v1/events/$slug" -H "authorization: Bearer $token" >/dev/null || { echo "the second start lost the data"; cat "$log"; exit 1; }
echo "second start found the event created by the first"
stop
# The embedded cluster must have shut down cleanly with the service.
if [ -f "$DATA_DIR/postgres/postmaster.pid" ]; then echo "PostgreSQL was left running"; exit 1; fi
rm -rf "$(dirname "$DATA_DIR")"
echo "smoke: ok"
