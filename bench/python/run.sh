#!/usr/bin/env bash
# The Python benchmark (bench/python/bench.py): a venv under target/ with the package
# installed from ./python (release), requests and aiohttp; then one run.
#   bench/python/run.sh [--rounds R] [--requests N] [--async-requests N]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$CARGO_TARGET_DIR/python-bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip requests aiohttp
MATURIN_PEP517_ARGS="--profile release" "$venv/bin/python" -m pip install -q --force-reinstall --no-deps ./python
"$venv/bin/python" bench/python/bench.py "$@"
