#!/usr/bin/env bash
# The C ABI benchmark (issue 11): calls per second and CPU per call of kv_client_check
# through the C ABI (bench.c, linked to the installed release libkaleyra_verify.so), beside
# verify-http's BlockingClient::check (blocking.rs), at 1 and 8 threads, against the same
# server in the same run; then the shared library's size. The client is pinned to core 0,
# the server to core 1. C and Rust alternate ROUNDS times; the summary gives medians and
# the ratios (target: the C ABI within 10% of Rust).
#
# Usage: bench/c/run.sh   (env: SECS=5 per measurement, ROUNDS=3, SERVERS="emulator nginx")
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${SECS:-5}"
ROUNDS="${ROUNDS:-3}"
SERVERS="${SERVERS:-emulator nginx}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
need=()
if [[ " $SERVERS " == *" nginx "* ]] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  need+=(nginx-light)
fi
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
PATH="$PATH:/usr/sbin"

TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

echo "== building (release)"
scripts/install-c.sh "$TMP/prefix" >/dev/null
cargo build --release --locked -p bench-c -p verify-cli --quiet
RUST_BIN="$CARGO_TARGET_DIR/release/blocking-bench"
EMU_BIN="$CARGO_TARGET_DIR/release/kaleyra-verify"
C_BIN="$TMP/bench"
export PKG_CONFIG_PATH="$TMP/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
gcc -std=c99 -O2 -Wall -Wextra -Werror -pedantic bench/c/bench.c -o "$C_BIN" \
  $(pkg-config --cflags --libs kaleyra_verify) -Wl,-rpath,"$TMP/prefix/lib" -lpthread

# shellcheck source=bench/lib.sh
. bench/lib.sh

measure() { # server mode threads
  local line
  if [ "$2" = c ]; then
    line=$(taskset -c 0 "$C_BIN" "http://127.0.0.1:$PORT" "$SID" "$KEY" "$VID" 123456 "$3" "$SECS")
  else
    line=$(taskset -c 0 "$RUST_BIN" --url "http://127.0.0.1:$PORT" --sid "$SID" --key "$KEY" \
      --verify-id "$VID" --otp 123456 --threads "$3" --seconds "$SECS")
  fi
  echo "server=$1 $line"
}

summary() { # server threads
  python3 - "$1" "$2" "$TMP/results" <<'PY'
import sys, statistics
server, t, path = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [dict(kv.split("=", 1) for kv in l.split()) for l in open(path) if l.strip()]
rows = [r for r in rows if r["server"] == server and r["threads"] == t]
med = lambda mode, k: statistics.median(float(r[k]) for r in rows if r["mode"] == mode)
c_rps, r_rps = med("c", "rps"), med("rust", "rps")
c_cpu, r_cpu = med("c", "cpu_us_per_call"), med("rust", "cpu_us_per_call")
print(f"summary server={server} threads={t} median_rps c={c_rps:.0f} rust={r_rps:.0f}"
      f" | median_cpu_us_per_call c={c_cpu:.1f} rust={r_cpu:.1f}"
      f" | c/rust_rps={c_rps/r_rps:.3f} c/rust_cpu={c_cpu/r_cpu:.3f} (target: within 10%)")
PY
}

for server in $SERVERS; do
  PORT=$(free_port)
  if [ "$server" = nginx ]; then
    # A static validate success: check answers "verified" every time.
    SID=HXBENCH01; KEY=bench-api-key; VID=4d3d0959-80aa-43bb-be11-5815ce0795a1
    start_nginx "$PORT" "$VID"
  else
    taskset -c 1 "$EMU_BIN" emulator --port "$PORT" >"$TMP/emulator.log" 2>&1 &
    PIDS+=($!)
    wait_port "$PORT" _emulator/info
    read -r SID KEY < <(curl -s "http://127.0.0.1:$PORT/_emulator/info" | python3 -c 'import sys,json; a=json.load(sys.stdin)["accounts"][0]; print(a["sid"], a["api_key"])')
    # A verification that does not exist: check answers not_found (E909), no state grows.
    VID=00000000-0000-4000-8000-000000000000
  fi
  echo "== $server on 127.0.0.1:$PORT"
  for threads in 1 8; do
    for _ in $(seq "$ROUNDS"); do
      measure "$server" c "$threads" | tee -a "$TMP/results"
      measure "$server" rust "$threads" | tee -a "$TMP/results"
    done
    summary "$server" "$threads"
  done
done

so="$(readlink -f "$TMP/prefix/lib/libkaleyra_verify.so")"
cp "$so" "$TMP/stripped.so" && strip "$TMP/stripped.so"
echo "size libkaleyra_verify.so (release, as built: line-tables debug info) bytes=$(stat -c %s "$so")"
echo "size libkaleyra_verify.so (stripped) bytes=$(stat -c %s "$TMP/stripped.so")"
echo "size libkaleyra_verify.a bytes=$(stat -c %s "$TMP/prefix/lib/libkaleyra_verify.a")"
