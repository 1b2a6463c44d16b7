#!/usr/bin/env bash
# The Python package's tests, run as a user meets the package: a fresh virtual
# environment, `pip install ./python` (a from-source build through maturin, the build
# backend), then pytest, mypy --strict and stubtest against the installed copy, never
# the source tree. The Rust build shares the workspace's target/ (CARGO_TARGET_DIR).
#
#   scripts/test-python.sh [pytest args...]
#   PYTHON=python3.9 scripts/test-python.sh        # another interpreter
#   KV_PY_PROFILE=dev scripts/test-python.sh       # a debug build, while iterating
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
python=${PYTHON:-python3}
profile=${KV_PY_PROFILE:-release}
venv="$CARGO_TARGET_DIR/python-test-venv"

step() { printf '\n== python: %s\n' "$*"; }

step "fresh virtual environment ($($python --version))"
rm -rf "$venv"
"$python" -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install -q --upgrade pip
"$py" -m pip install -q "pytest>=7" "mypy>=1.10"

step "pip install ./python (maturin, profile $profile)"
# maturin reads extra build arguments from MATURIN_PEP517_ARGS.
MATURIN_PEP517_ARGS="--profile $profile" "$py" -m pip install -q ./python

# Run from outside the source tree so that `import kaleyra_verify` can only find the
# installed package (the tests also assert it).
cd "$venv"

step "generated stubs are fresh"
"$py" "$root/python/tools/gen_stubs.py" --check

step "mypy --strict (package, examples, tests)"
"$py" -m mypy --strict --no-incremental -p kaleyra_verify
"$py" -m mypy --strict --no-incremental "$root/python/examples" "$root/python/tests"

step "stubtest (the .pyi files match the built module)"
"$py" -m mypy.stubtest kaleyra_verify --allowlist "$root/python/stubtest-allowlist.txt"

step "pytest"
"$py" -m pytest -p no:cacheprovider --import-mode=importlib -q "$root/python/tests" "$@"
