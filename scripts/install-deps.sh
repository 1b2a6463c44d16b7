#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine, and nothing when it is already
# there: a green run on a developer's machine must not hide a missing install step.
set -euo pipefail

need_apt=()
# chromium: the emulator's dashboard test; curl: the seed's curl command, run verbatim.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if ((${#need_apt[@]})); then
  echo "install-deps: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
