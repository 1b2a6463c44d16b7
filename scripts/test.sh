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

step "rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
