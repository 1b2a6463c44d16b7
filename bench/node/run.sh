#!/usr/bin/env bash
# The Node benchmark, in one run against the same server (the emulator, release build, its
# own process on core 1; validate of an unknown verify_id, answered 404 E909, so no state
# grows): kaleyra-verify's check() against a hand-written fetch() of the same request, and
# the Rust async client (bench/client's binary) for the binding's own cost, at concurrency
# 1 and 64, alternating ROUNDS times, medians; then the cold start. Clients on core 0.
#
# Usage: bench/node/run.sh   (env: SECS=5 per measurement, ROUNDS=3)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
SECS="${SECS:-5}"
ROUNDS="${ROUNDS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

echo "== building (release): the addon, the emulator (kaleyra-verify emulator), the Rust client benchmark"
node node/scripts/install.js
cargo build --release -p verify-cli --quiet
EMU_BIN="$CARGO_TARGET_DIR/release/kaleyra-verify"
RUST_BIN=$(cargo bench -p verify-http --bench client --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import sys,json
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="client" and m.get("executable"): print(m["executable"])' | tail -1)

TMP=$(mktemp -d)
EMU_PID=
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
# A project where the package resolves as a user installs it (a link, like npm install ./node).
mkdir -p "$TMP/app/node_modules" && ln -s "$repo/node" "$TMP/app/node_modules/kaleyra-verify"
cp bench/node/*.js "$TMP/app/"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c 1 "$EMU_BIN" emulator --port "$PORT" >"$TMP/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/_emulator/info" && break; sleep 0.1; done
read -r SID KEY < <(curl -s "http://127.0.0.1:$PORT/_emulator/info" | python3 -c 'import sys,json; i=json.load(sys.stdin); a=i.get("accounts",[{}])[0] if "accounts" in i else i; print(a.get("sid","HXEMULATOR01"), a.get("api_key","emulator-api-key"))')
export URL="http://127.0.0.1:$PORT" SID KEY VID=00000000-0000-4000-8000-000000000000 OTP=123456
echo "== emulator on $URL (validate of an unknown verify_id: 404 E909)"

for c in 1 64; do
  for r in $(seq "$ROUNDS"); do
    (cd "$TMP/app" && taskset -c 0 node bench.js sdk "$c" "$SECS") | tee -a "$TMP/results"
    (cd "$TMP/app" && taskset -c 0 node bench.js fetch "$c" "$SECS") | tee -a "$TMP/results"
    if [ -x "$RUST_BIN" ]; then
      line=$(taskset -c 0 "$RUST_BIN" --mode sdk --url "$URL" --sid "$SID" --key "$KEY" \
        --verify-id "$VID" --otp "$OTP" --concurrency "$c" --seconds "$SECS" | sed 's/^mode=sdk/mode=rust/')
      echo "$line" | tee -a "$TMP/results"
    fi
  done
done

python3 - "$TMP/results" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r'(\w+)=([\w.]+)', l)) for l in open(sys.argv[1])]
def med(mode, c, key):
    xs = [float(r[key]) for r in rows if r.get('mode') == mode and r.get('concurrency') == c and key in r]
    return statistics.median(xs) if xs else float('nan')
for c in ('1', '64'):
    s_rps, f_rps = med('sdk', c, 'rps'), med('fetch', c, 'rps')
    s_cpu, f_cpu = med('sdk', c, 'cpu_us_per_req'), med('fetch', c, 'cpu_us_per_req')
    r_cpu = med('rust', c, 'cpu_us_per_req')
    print(f"summary concurrency={c} medians: sdk rps={s_rps:.0f} cpu_us/req={s_cpu:.1f} "
          f"peak_rss_mb={med('sdk', c, 'peak_rss_mb'):.1f} | fetch rps={f_rps:.0f} "
          f"cpu_us/req={f_cpu:.1f} peak_rss_mb={med('fetch', c, 'peak_rss_mb'):.1f} | "
          f"rust cpu_us/req={r_cpu:.1f} | sdk/fetch_rps={s_rps/f_rps:.2f} (target >= 4 at 64) "
          f"sdk/fetch_cpu={s_cpu/f_cpu:.2f} (target <= 0.25) "
          f"binding_cost_us/req={s_cpu - r_cpu:.1f} (target <= 10-14)")
PY

echo "== cold start"
(cd "$TMP/app" && node coldstart.js)
