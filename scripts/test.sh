#!/usr/bin/env bash
# The one command that passes every test of every language (README: `make test`).
# CI runs exactly this on a fresh clone; it installs and starts all it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

# The shared vectors live beside the repository; tests read them from there.
export KALEYRA_SHARED="${KALEYRA_SHARED:-$(cd .. && pwd)/shared}"
if [ ! -f "$KALEYRA_SHARED/vectors/requests.json" ]; then
  echo "test: shared vectors not found at $KALEYRA_SHARED (set KALEYRA_SHARED)" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }

step "install dependencies"
scripts/install-deps.sh

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust tests"
cargo test --workspace --locked

step "rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "python package"
scripts/test-python.sh
