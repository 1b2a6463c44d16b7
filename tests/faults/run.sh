#!/usr/bin/env bash
# Network faults below HTTP against one language's client (issue 12, part 1).
#
#   tests/faults/run.sh [LANGUAGE] [short|long] [--kernel-loss PERCENT]
#   LANGUAGE: rust (default), python, node, c
#
# short (the test command's step, under a minute): 3 generate+check+check rounds per fault,
# 1.5 s total timeout. long (one documented command, a few minutes): 40 rounds per fault
# (10 against the blackhole), harsher faults, 3 s timeout, release build.
# Faults: none (baseline), delay+jitter, loss, bandwidth cap, blackhole (accepts, never
# answers), reset midway. A JSON summary goes to target/faults/<language>-<mode>.json.
# The driver contract a new language implements is in tests/faults/README.md.
# --kernel-loss PERCENT (root, ip and nft): the whole run inside a network namespace made
# for it, where nftables drops PERCENT% of TCP packets at random (real loss; the kernel
# retransmits), beneath every proxy fault.
set -euo pipefail
cd "$(dirname "$0")/../.."
language=${1:-rust}
mode=${2:-short}
loss=
if [ "${3:-}" = --kernel-loss ]; then loss=${4:?--kernel-loss needs a percentage}; fi
case "$mode" in
  short) profile=debug; build=(); flags=() ;;
  long) profile=release; build=(--release); flags=(--long) ;;
  *) echo "run.sh: mode is short or long, not $mode" >&2; exit 2 ;;
esac
cargo build --locked -q -p verify-faults "${build[@]}"
bin=target/$profile
case "$language" in
  rust) driver=("$bin/fault-driver-rust") ;;
  # The other languages join here, each with a driver that follows the contract.
  python) driver=(python3 tests/faults/drivers/python_driver.py) ;;
  node) driver=(node tests/faults/drivers/node_driver.js) ;;
  c) driver=("$bin/fault-driver-c") ;;
  *) echo "run.sh: unknown language $language" >&2; exit 2 ;;
esac
if [ ! -e "${driver[-1]}" ]; then
  echo "run.sh: no $language driver yet (${driver[-1]}); see tests/faults/README.md" >&2
  exit 2
fi
mkdir -p target/faults
if [ -z "$loss" ]; then
  exec "$bin/faults" "${flags[@]}" --report "target/faults/$language-$mode.json" -- "${driver[@]}"
fi
command -v nft >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables >/dev/null
}
ns=kvfaults$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" nft -f - <<NFT
table inet kvfaults {
  chain out {
    type filter hook output priority 0; policy accept;
    meta l4proto tcp numgen random mod 100 < $loss drop
  }
}
NFT
ip netns exec "$ns" "$bin/faults" "${flags[@]}" --underlay "kernel: $loss% TCP packet loss (nftables, netns)" \
  --report "target/faults/$language-$mode-loss$loss.json" -- "${driver[@]}"
