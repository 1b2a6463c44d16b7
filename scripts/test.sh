#!/usr/bin/env bash
# The one command that passes every test of every language (README: `make test`).
# CI runs exactly this on a fresh clone; it installs and starts all it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every case the tests run is in conformance/. When ../shared (or $KALEYRA_SHARED) exists,
# verify-core's drift test checks that conformance/vectors still equals its vectors.

step() { printf '\n== %s\n' "$*"; }

step "install dependencies"
scripts/install-deps.sh

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust tests"
cargo test --workspace --locked

step "rustdoc, and the public API listing (api/*.txt) checked for drift"
# Stale pages of a module made private would list items that are gone: start clean.
rm -rf target/doc/verify_core target/doc/verify_http target/doc/verify_emulator
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
python3 scripts/public-api.py target/doc api
if ! git diff --quiet -- api/; then
  git --no-pager diff --stat -- api/
  echo "test: the public API changed; review it and commit api/ (scripts/public-api.py)" >&2
  exit 1
fi

step "network faults below HTTP, short (tests/faults/run.sh rust short; the long run: tests/faults/run.sh rust long)"
tests/faults/run.sh rust short

step "node package"
scripts/test-node.sh

step "python package"
scripts/test-python.sh

step "C ABI (bindings/c)"
scripts/test-c.sh

step "documentation: every code block of README.md and docs/*.md, against the emulator"
# After the packages' own scripts, whose installs it reuses (the Python venv, the Node addon, the C prefix).
python3 scripts/test-docs.py
