#!/usr/bin/env bash
# The Node package's tests, as a user meets the package: install the dev tools (npm ci),
# check the generated files for drift, install ./node into a scratch project with
# `npm install` (which builds the addon with cargo), type-check the example with
# `tsc --strict`, and run node's test runner there. Called at the end of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
# One target directory for every build: the addon shares the workspace's dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

step() { printf '\n== node: %s\n' "$*"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  step "apt-get install nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "test-node: Node $(node --version) found; the package and its tools need Node >= 20" >&2
  exit 1
fi

step "npm ci (napi CLI, typescript, @types/node)"
# Skipped when node_modules already matches the lock file.
if [ ! -f node/node_modules/.package-lock.json ] ||
   [ node/package-lock.json -nt node/node_modules/.package-lock.json ]; then
  (cd node && npm ci --ignore-scripts --no-audit --no-fund)
fi

step "rustfmt and clippy (kaleyra-verify-node)"
cargo fmt -p kaleyra-verify-node -- --check
cargo clippy -p kaleyra-verify-node --all-targets --locked -- -D warnings

step "generated files (napi loader and .d.ts, tables) up to date"
# The debug profile: its dependencies are the workspace's, already built by the Rust tests.
(cd node && KALEYRA_VERIFY_NODE_PROFILE=debug node scripts/generate.js --check)

step "npm install ./node into a scratch project (builds the addon, release)"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/kaleyra-verify-node.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# No addon left from an earlier build: a skipped install script must fail the tests.
rm -f node/native/*.node
(
  cd "$scratch"
  npm init -y >/dev/null
  # npm 11 asks projects to approve their dependencies' install scripts: approve ours,
  # as a user would (`npm install-scripts approve`), then run it.
  npm install --no-audit --no-fund --ignore-scripts "$repo/node"
  if npm help install-scripts >/dev/null 2>&1; then npm install-scripts approve --all; fi
  npm rebuild --foreground-scripts kaleyra-verify
)
test -f node/native/kaleyra-verify.*.node

step "tsc --strict --noEmit over the example and the type tests"
cp node/examples/*.ts node/test/*.ts "$scratch/" 2>/dev/null || true
cat >"$scratch/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "target": "es2022", "module": "node16",
    "moduleResolution": "node16", "types": ["node"], "typeRoots": ["$repo/node/node_modules/@types"],
    "skipLibCheck": false
  },
  "files": [$(cd "$scratch" && ls *.ts | sed 's/.*/"&"/' | paste -sd,)]
}
JSON
(cd "$scratch" && "$repo/node/node_modules/.bin/tsc" -p tsconfig.json)

step "node --test"
mkdir -p "$scratch/test"
cp node/test/*.js "$scratch/test/"
cp -r node/test/fixtures "$scratch/test/" 2>/dev/null || true
(cd "$scratch" && KALEYRA_REPO="$repo" node --test --test-reporter=spec test/*.test.js)
