#!/usr/bin/env bash
# Throughput of the emulator against nginx serving a static JSON answer of the same size,
# on the same machine, with the same wrk script (generate then validate). Servers run on
# one core, wrk on another. Target: the emulator sustains at least 50% of nginx's rate.
set -euo pipefail

cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
EMU_PORT=${EMU_PORT:-18181}
NGINX_PORT=${NGINX_PORT:-18182}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
HERE=bench/emulator

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked -q -p verify-cli
TARGET=${CARGO_TARGET_DIR:-target}
EMU_BIN=$TARGET/release/kaleyra-verify

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

wait_port() {
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# The emulator, one worker thread on the server core.
taskset -c "$SERVER_CPU" "$EMU_BIN" emulator --port "$EMU_PORT" --workers 1 >"$tmp/emu.log" 2>&1 &
pids+=($!)
wait_port "$EMU_PORT"

# nginx with its own configuration: one worker on the server core, a static answer the
# size of the emulator's generate answer.
answer='{"data":{"verify_id":"4d3d0959-80aa-43bb-be11-5815ce0795a1","to":{"mobile":"12025550123"},"flow_id":"d9900000-6946-4b00-ac18-51c000002344"}}'
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
worker_cpu_affinity $(printf '%0*d' $((SERVER_CPU + 1)) 1);
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/body;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      default_type application/json;
      return 200 '$answer';
    }
  }
}
CONF
taskset -c "$SERVER_CPU" "$NGINX" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" &
pids+=($!)
wait_port "$NGINX_PORT"

run_wrk() {
  taskset -c "$CLIENT_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -s "$HERE/mix.lua" "http://127.0.0.1:$1" | tee "$tmp/$2.txt"
}

echo "== emulator (generate then validate) =="
run_wrk "$EMU_PORT" emulator
echo "== nginx (static answer, same script) =="
run_wrk "$NGINX_PORT" nginx

rate() { awk '/^Requests\/sec:/ {print $2}' "$tmp/$1.txt"; }
emu=$(rate emulator)
ngx=$(rate nginx)
if grep -q "Non-2xx" "$tmp/emulator.txt"; then
  echo "FAIL: the emulator answered errors" >&2
  exit 1
fi
stats=$(curl -s "http://127.0.0.1:$EMU_PORT/_emulator/stats")
echo "emulator stats: $stats"
ratio=$(awk -v e="$emu" -v n="$ngx" 'BEGIN { printf "%.1f", 100 * e / n }')
echo "emulator: $emu requests/s"
echo "nginx:    $ngx requests/s"
echo "ratio:    $ratio% of nginx (target >= 50%)"
awk -v r="$ratio" 'BEGIN { exit !(r >= 50) }' || { echo "FAIL: below target" >&2; exit 1; }
