#!/usr/bin/env bash
# Every client of this SDK and its peers, in one run, against the same servers with the
# same core pinning (clients on core 0, servers on core 1): wrk; bare reqwest; the Rust
# async and blocking clients; Python sync and asyncio, requests, httpx, aiohttp; Node and
# its fetch; C (bench/c/bench.c through the installed library). Concurrency 1 and 64
# against nginx (a static answer of the service's shape) and the emulator; then the
# emulator adding 50 ms to every answer; then cold starts. Writes docs/benchmarks.md and docs/benchmarks.svg (bench/run.py).
#
#   bench/run.sh                       (make bench; env: ROUNDS=3, SECS=4 per measurement)
#   ROUNDS=1 SECS=1 bench/run.sh       a quick try (still writes the docs: do not commit those)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export ROUNDS="${ROUNDS:-3}" SECS="${SECS:-4}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
PATH="$PATH:/usr/sbin"

echo "== building (release): the Rust bench binary, the emulator, the Node addon"
RUST_BIN=$(cargo bench -p verify-http --bench client --no-run --locked --message-format=json 2>/dev/null \
  | python3 -c 'import sys,json
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="client" and m.get("executable"): print(m["executable"])' | tail -1)
[ -x "$RUST_BIN" ] || { echo "run.sh: the Rust bench binary was not built" >&2; exit 1; }
cargo build --release --locked -q -p verify-cli
EMU_BIN="$CARGO_TARGET_DIR/release/kaleyra-verify"
node node/scripts/install.js >/dev/null

echo "== Python: a venv with the package (release), requests, httpx, aiohttp"
venv="$CARGO_TARGET_DIR/python-bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip requests httpx aiohttp
MATURIN_PEP517_ARGS="--profile release" "$venv/bin/python" -m pip install -q --force-reinstall --no-deps ./python

TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

echo "== C: the library installed into a prefix (release), bench/c/bench.c built through pkg-config"
scripts/install-c.sh "$TMP/c-prefix" >/dev/null
C_BENCH="$TMP/c-bench"
# shellcheck disable=SC2046
PKG_CONFIG_PATH="$TMP/c-prefix/lib/pkgconfig" gcc -std=c99 -O2 -Wall -Wextra -Werror -pedantic bench/c/bench.c \
  -o "$C_BENCH" $(PKG_CONFIG_PATH="$TMP/c-prefix/lib/pkgconfig" pkg-config --cflags --libs kaleyra_verify) \
  -Wl,-rpath,"$TMP/c-prefix/lib" -lpthread
# shellcheck source=bench/lib.sh
. bench/lib.sh

# nginx: the static validate answer (bench/client/run.sh's server).
NGINX_PORT=$(free_port)
start_nginx "$NGINX_PORT" "4d3d0959-80aa-43bb-be11-5815ce0795a1"

EMU_PORT=$(free_port)
taskset -c 1 "$EMU_BIN" emulator --port "$EMU_PORT" >"$TMP/emulator.log" 2>&1 &
PIDS+=($!)
wait_port "$EMU_PORT" _emulator/info
read -r EMU_SID EMU_KEY < <(curl -s "http://127.0.0.1:$EMU_PORT/_emulator/info" \
  | python3 -c 'import sys,json; a=json.load(sys.stdin)["accounts"][0]; print(a["sid"], a["api_key"])')

# A project where `kaleyra-verify` resolves as `npm install ./node` makes it (a link).
mkdir -p "$TMP/app/node_modules" && ln -s "$repo/node" "$TMP/app/node_modules/kaleyra-verify"
cp bench/clients/node_client.js "$TMP/app/"

echo "== nginx on :$NGINX_PORT, emulator on :$EMU_PORT; $ROUNDS rounds of ${SECS}s"
export RUST_BIN C_BENCH EMU_SID EMU_KEY PY="$venv/bin/python" NODE_APP="$TMP/app" \
  NGINX_URL="http://127.0.0.1:$NGINX_PORT" EMU_URL="http://127.0.0.1:$EMU_PORT" \
  RESULTS="$CARGO_TARGET_DIR/bench-results.txt"
python3 bench/run.py
