#!/usr/bin/env bash
# The client benchmark, in one run against the same servers: the SDK's async client,
# a bare reqwest call written by hand (the floor of any reqwest-based client), hyper's
# own pooled client (the floor beneath reqwest), and wrk,
# at concurrency 1 and 64. The client is pinned to core 0, the server to core 1.
# Servers: the emulator (release build, its own process) and nginx serving a static
# validate answer. Figures: requests/s, the client's CPU time per request (getrusage
# user+sys for our binary, /usr/bin/time for wrk), connections the server accepted.
#
# Usage: bench/client/run.sh   (env: SECS=5 per measurement, ROUNDS=3, SERVERS="nginx emulator")
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${SECS:-5}"
ROUNDS="${ROUNDS:-3}"
SERVERS="${SERVERS:-nginx emulator}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
PATH="$PATH:/usr/sbin"

echo "== building (release)"
BENCH_BIN=$(cargo bench -p verify-http --bench client --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import sys,json
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="client" and m.get("executable"): print(m["executable"])' | tail -1)
[ -x "$BENCH_BIN" ] || { echo "run.sh: bench binary not built" >&2; exit 1; }
cargo build --release -p verify-cli --quiet
EMU_BIN="$CARGO_TARGET_DIR/release/kaleyra-verify"

TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=bench/lib.sh
. bench/lib.sh

# accepted: the server's count of accepted connections (the count query itself is one).
accepted_nginx() { curl -s "http://127.0.0.1:$PORT/nginx_status" | awk 'NR==3{print $1}'; }
accepted_emulator() { curl -s "http://127.0.0.1:$PORT/_emulator/stats" | python3 -c 'import sys,json; print(json.load(sys.stdin)["connections_accepted"])'; }

measure() { # server mode concurrency
  local server=$1 mode=$2 c=$3 before after line
  before=$("accepted_$server")
  if [ "$mode" = wrk ]; then
    local out cpu n
    out=$(BENCH_KEY=$KEY BENCH_SID=$SID BENCH_VERIFY_ID=$VID BENCH_OTP=$OTP \
      taskset -c 0 /usr/bin/time -f 'cpu %U %S' wrk -t1 -c"$c" -d"${SECS}s" -s bench/client/post.lua "http://127.0.0.1:$PORT" 2>&1)
    n=$(echo "$out" | awk '/requests in/{print $1}')
    cpu=$(echo "$out" | awk '/^cpu /{print $2+$3}')
    line=$(echo "$out" | awk -v n="$n" -v cpu="$cpu" -v c="$c" '/Requests\/sec/{printf "mode=wrk concurrency=%s requests=%s rps=%.0f cpu_us_per_req=%.1f", c, n, $2, cpu*1e6/n}')
    [ -n "$line" ] || { echo "$out" >&2; exit 1; }
  else
    line=$(taskset -c 0 "$BENCH_BIN" --mode "$mode" --url "http://127.0.0.1:$PORT" --sid "$SID" --key "$KEY" \
      --verify-id "$VID" --otp "$OTP" --concurrency "$c" --seconds "$SECS")
  fi
  after=$("accepted_$server")
  echo "server=$server $line connections_accepted=$((after - before - 1))"
}

# The SDK and bare reqwest alternate ROUNDS times (noise from other processes hits both
# alike); the summary gives medians and the ratios the targets are stated in.
run_server() {
  local server=$1 c r
  for c in 1 64; do
    for r in $(seq "$ROUNDS"); do
      measure "$server" sdk "$c" | tee -a "$TMP/results"
      measure "$server" blocking "$c" | tee -a "$TMP/results"
      measure "$server" reqwest "$c" | tee -a "$TMP/results"
      measure "$server" hyper "$c" | tee -a "$TMP/results"
    done
    measure "$server" wrk "$c" | tee -a "$TMP/results"
    summary "$server" "$c"
  done
}

summary() { # server concurrency
  python3 - "$1" "$2" "$TMP/results" <<'PY'
import sys, statistics
server, c, path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [dict(kv.split("=", 1) for kv in l.split()) for l in open(path) if l.strip()]
rows = [r for r in rows if r["server"] == server and r["concurrency"] == c]
med = lambda mode, k: statistics.median(float(r[k]) for r in rows if r["mode"] == mode)
sdk_cpu, raw_cpu = med("sdk", "cpu_us_per_req"), med("reqwest", "cpu_us_per_req")
sdk_rps, raw_rps, wrk_rps = med("sdk", "rps"), med("reqwest", "rps"), med("wrk", "rps")
hyp_cpu, hyp_rps = med("hyper", "cpu_us_per_req"), med("hyper", "rps")
blk_cpu, blk_rps = med("blocking", "cpu_us_per_req"), med("blocking", "rps")
spread = lambda mode: "/".join(f"{float(r['cpu_us_per_req']):.1f}" for r in rows if r["mode"] == mode)
conns = max(int(r["connections_accepted"]) for r in rows if r["mode"] in ("sdk", "reqwest", "hyper"))
print(f"summary server={server} concurrency={c} median_rps sdk={sdk_rps:.0f} reqwest={raw_rps:.0f} hyper={hyp_rps:.0f} wrk={wrk_rps:.0f}"
      f" blocking={blk_rps:.0f}"
      f" | median_cpu_us_per_req sdk={sdk_cpu:.1f} blocking={blk_cpu:.1f} reqwest={raw_cpu:.1f} hyper={hyp_cpu:.1f}"
      f" | rounds sdk={spread('sdk')} blocking={spread('blocking')} reqwest={spread('reqwest')}"
      f" | sdk/reqwest_cpu={sdk_cpu/raw_cpu:.2f} (target <= 0.90)"
      f" | blocking/sdk_cpu={blk_cpu/sdk_cpu:.2f} (target <= 1.15)"
      f" | sdk/wrk_rps={sdk_rps/wrk_rps:.2f}{' (target >= 0.90)' if server == 'emulator' and c == '64' else ''}"
      f" hyper/wrk_rps={hyp_rps/wrk_rps:.2f}"
      f" | max_connections_accepted sdk/reqwest/hyper={conns} (target <= {c})")
PY
}

for server in $SERVERS; do
  PORT=$(free_port)
  OTP=123456
  if [ "$server" = nginx ]; then
    SID=HXBENCH01; KEY=bench-api-key; VID=4d3d0959-80aa-43bb-be11-5815ce0795a1
    start_nginx "$PORT" "$VID"
    echo "== nginx (static 200 validate answer) on 127.0.0.1:$PORT"
  else
    taskset -c 1 "$EMU_BIN" emulator --port "$PORT" >"$TMP/emulator.log" 2>&1 &
    PIDS+=($!)
    wait_port "$PORT" _emulator/info
    read -r SID KEY < <(curl -s "http://127.0.0.1:$PORT/_emulator/info" | python3 -c 'import sys,json; i=json.load(sys.stdin); a=i.get("accounts",[{}])[0] if "accounts" in i else i; print(a.get("sid","HXEMULATOR01"), a.get("api_key","emulator-api-key"))')
    # A verification that does not exist: E909 (404) every time, no state grows.
    VID=00000000-0000-4000-8000-000000000000
    echo "== emulator (validate of an unknown verify_id: 404 E909) on 127.0.0.1:$PORT"
  fi
  run_server "$server"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
done
