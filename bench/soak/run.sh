#!/usr/bin/env bash
# Soak (issue 12, part 3): REQUESTS (default 1,000,000) requests from one language's
# client at CONCURRENCY (default 256) against the emulator, each in its own process
# (release builds); the resident memory of both (VmRSS from /proc/PID/status) sampled every
# INTERVAL seconds through the run. Prints start, peak and end memory of each and the
# error count; the samples go to target/soak/LANGUAGE/rss.csv, the summary to
# target/soak/LANGUAGE/summary.json. Not part of `make test`; runs under nice (shared machine).
#
#   bench/soak/run.sh [REQUESTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/../.."
LANGUAGE=${1:-rust}
REQUESTS=${2:-1000000}
CONCURRENCY=${3:-256}
INTERVAL=${INTERVAL:-1}
PORT=${PORT:-18383}
out=target/soak/$LANGUAGE
mkdir -p "$out"

nice -n 19 cargo build --release --locked -q -p verify-cli -p verify-http --example soak
bin=target/release
case "$LANGUAGE" in
  rust) client_cmd=("$bin/examples/soak") ;;
  # The other languages join here (100,000 requests each in the issue).
  python) client_cmd=(python3 bench/soak/soak.py) ;;
  node) client_cmd=(node bench/soak/soak.js) ;;
  *) echo "soak: unknown language $LANGUAGE" >&2; exit 2 ;;
esac
if [ ! -e "${client_cmd[-1]}" ]; then
  echo "soak: no $LANGUAGE soak client yet (${client_cmd[-1]}); see the contract above" >&2
  exit 2
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

nice -n 19 "$bin/kaleyra-verify" emulator --port "$PORT" >"$out/emulator.log" 2>&1 &
emu=$!
pids+=("$emu")
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
emu_start=$(rss "$emu")

KALEYRA_SID=HXEMULATOR01 KALEYRA_API_KEY=emulator-api-key \
  KALEYRA_BASE_URL="http://127.0.0.1:$PORT" \
  nice -n 19 "${client_cmd[@]}" "$REQUESTS" "$CONCURRENCY" >"$out/client.json" &
client=$!
pids+=("$client")

echo "seconds,client_rss_kb,emulator_rss_kb" >"$out/rss.csv"
t=0
while kill -0 "$client" 2>/dev/null; do
  c=$(rss "$client")
  [ "$c" != 0 ] && echo "$t,$c,$(rss "$emu")" >>"$out/rss.csv"
  sleep "$INTERVAL"
  t=$((t + INTERVAL))
done
wait "$client"
emu_end=$(rss "$emu")
emu_hwm=$(hwm "$emu")

python3 - "$out" "$emu_start" "$emu_end" "$emu_hwm" "$LANGUAGE" <<'PY'
import csv, json, sys
out = sys.argv[1]
emu_start, emu_end, emu_hwm = map(int, sys.argv[2:5])
client = json.load(open(f"{out}/client.json"))
rows = list(csv.DictReader(open(f"{out}/rss.csv")))
c = [int(r["client_rss_kb"]) for r in rows]
e = [int(r["emulator_rss_kb"]) for r in rows]
summary = {
    "language": sys.argv[5], "requests": client["requests"], "concurrency": client["concurrency"],
    "seconds": round(client["seconds"], 1), "requests_per_sec": round(client["requests_per_sec"]),
    "errors": client["errors"], "errors_by_kind": client["errors_by_kind"],
    "samples": len(rows),
    # peak: the larger of the sampled VmRSS and the process's own VmHWM (the kernel
    # updates either lazily, so each can trail the other by a little).
    "client_rss_kb": {"start": client["client_rss_kb"]["start"],
                      "peak": max(c + [client["client_rss_kb"]["peak"]]),
                      "peak_sampled": max(c, default=0), "peak_vmhwm": client["client_rss_kb"]["peak"],
                      "end": client["client_rss_kb"]["end"]},
    "emulator_rss_kb": {"start": emu_start, "peak": max(e + [emu_end, emu_hwm]),
                        "peak_sampled": max(e + [emu_end], default=0), "peak_vmhwm": emu_hwm,
                        "end": emu_end},
}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
print(json.dumps(summary, indent=2))
PY
