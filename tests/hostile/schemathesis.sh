#!/usr/bin/env bash
# Hostile input to the emulator (issue 12, part 4): schemathesis generates requests from
# the emulator's own OpenAPI document and checks that no answer is a server error and that
# every answer (status, content type, body, headers) is one the document describes.
#
# `positive_data_acceptance` is left out on purpose: the service's rules that a schema
# cannot say (an unknown or unapproved flow, an OTP of the wrong length for its flow) make
# schema-valid requests fail with the service's own codes, as the real service does.
#
# Usage: tests/hostile/schemathesis.sh [MAX_EXAMPLES]   (default 500; not in `make test`)
set -euo pipefail
cd "$(dirname "$0")/../.."
MAX="${1:-500}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
VENV="$CARGO_TARGET_DIR/schemathesis-venv"
[ -x "$VENV/bin/schemathesis" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q schemathesis; }
cargo build -q -p verify-cli
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$CARGO_TARGET_DIR/debug/kaleyra-verify" emulator --port "$PORT" >/dev/null 2>&1 &
EMU=$!
trap 'kill $EMU 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/_emulator/info" >/dev/null && break; sleep 0.1; done
CONF=$(mktemp -d)
printf '[parameters]\n"path.SID" = "HXEMULATOR01"\n' >"$CONF/schemathesis.toml"
"$VENV/bin/schemathesis" --config-file "$CONF/schemathesis.toml" run \
  "http://127.0.0.1:$PORT/_emulator/openapi.json" --url "http://127.0.0.1:$PORT" \
  -H "api-key: emulator-api-key" --max-examples "$MAX" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
