#!/usr/bin/env bash
# The Python benchmark (bench/python/bench.py): a venv under target/ with the package
# installed from ./python (release), requests and aiohttp; then one run. With RUST=1, also
# the binding's own cost beside verify-http's bench binary (BlockingClient, Client).
#   [RUST=1] bench/python/run.sh [--rounds R] [--requests N] [--async-requests N]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$CARGO_TARGET_DIR/python-bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip requests aiohttp
MATURIN_PEP517_ARGS="--profile release" "$venv/bin/python" -m pip install -q --force-reinstall --no-deps ./python
extra=()
if [ "${RUST:-0}" = 1 ]; then
  bin=$(cargo bench -p verify-http --bench client --no-run --message-format=json 2>/dev/null \
    | "$venv/bin/python" -c 'import sys,json
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="client" and m.get("executable"): print(m["executable"])' | tail -1)
  extra=(--rust-bench "$bin")
fi
"$venv/bin/python" bench/python/bench.py "${extra[@]}" "$@"
