#!/usr/bin/env bash
# The C ABI's tests (issue 11): the header regenerated and compared, the library installed
# into a prefix as a user installs it, then C99 and C++17 programs built from that prefix
# through pkg-config and through CMake, linked dynamically and statically, and run against
# the emulator, then again under valgrind and AddressSanitizer.
# The library is built once, in the dev profile: `cargo test --workspace` has already
# compiled every dependency there, so this costs one link, not a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/c-tests"
prefix="$work/prefix"

export RUST_BACKTRACE=0 # kv_testing_panic panics on purpose: its message is enough
step() { printf '\n== c: %s\n' "$*"; }

step "tools"
need_apt=()
for tool in valgrind pkg-config cmake g++ gcc; do
  command -v "$tool" >/dev/null 2>&1 || need_apt+=("${tool/g++/g++}")
done
# cJSON: the conformance runner reads the suite's JSON in C.
[ -f /usr/include/cjson/cJSON.h ] || need_apt+=(libcjson-dev)
if ((${#need_apt[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen 0.29.4" ]; then
  cargo install cbindgen --version 0.29.4 --locked
fi

step "generated tables and header are current"
cargo test -p kaleyra-verify-c --locked -q
rm -rf "$work" && mkdir -p "$work/bin"
(cd bindings/c && cbindgen --quiet --config cbindgen.toml --crate kaleyra-verify-c \
  --output "$work/kaleyra_verify.h")
if ! diff -u include/kaleyra_verify.h "$work/kaleyra_verify.h"; then
  echo "include/kaleyra_verify.h is stale: regenerate it with" >&2
  echo "  cbindgen --config bindings/c/cbindgen.toml --crate kaleyra-verify-c --output include/kaleyra_verify.h" >&2
  exit 1
fi

step "install into $prefix"
KV_PROFILE=dev scripts/install-c.sh "$prefix"
readelf -d "$prefix/lib/libkaleyra_verify.so" | grep -q 'SONAME.*libkaleyra_verify.so.0' \
  || { echo "no SONAME on the shared library" >&2; exit 1; }
readelf -d "$prefix/lib/libkaleyra_verify.so" | grep -q 'NODELETE' \
  || { echo "the shared library lacks -z nodelete" >&2; exit 1; }

# The library exports exactly the header's functions: nothing undeclared, nothing missing.
diff <(nm -D --defined-only "$prefix/lib/libkaleyra_verify.so" | awk '$2 == "T" {print $3}' | sort) \
  <(grep -E '^[a-z0-9_ ]+[*]?kv_[a-z_]+[(]' include/kaleyra_verify.h \
    | sed 's/(.*//' | awk '{print $NF}' | tr -d '*' | sort) \
  || { echo "the exported symbols differ from the header's functions" >&2; exit 1; }

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -I bindings/c/tests/c)
cxxflags=(-std=c++17 -Wall -Wextra -Werror -pedantic)
read -r -a pc_cflags <<<"$(pkg-config --cflags kaleyra_verify)"
read -r -a pc_shared <<<"$(pkg-config --libs kaleyra_verify)"
# A static link: the archive by name, then what it needs (Libs.private).
read -r -a pc_static <<<"$(pkg-config --static --libs kaleyra_verify | sed 's/-lkaleyra_verify/-l:libkaleyra_verify.a/')"
rpath=(-Wl,-rpath,"$prefix/lib")

programs=()
build_c() { # name source linkage
  local libs=("${pc_shared[@]}" "${rpath[@]}")
  [ "$3" = static ] && libs=("${pc_static[@]}")
  gcc "${cflags[@]}" "${pc_cflags[@]}" "$2" -o "$work/bin/$1-pc-$3" "${libs[@]}" -lpthread -lm
  programs+=("$work/bin/$1-pc-$3")
}
build_cxx() {
  local libs=("${pc_shared[@]}" "${rpath[@]}")
  [ "$3" = static ] && libs=("${pc_static[@]}")
  g++ "${cxxflags[@]}" "${pc_cflags[@]}" "$2" -o "$work/bin/$1-pc-$3" "${libs[@]}" -lpthread
  programs+=("$work/bin/$1-pc-$3")
}

step "build through pkg-config"
for linkage in shared static; do
  build_c test_api bindings/c/tests/c/test_api.c "$linkage"
  build_c test_threads bindings/c/tests/c/test_threads.c "$linkage"
  build_c example bindings/c/examples/example.c "$linkage"
  build_cxx example_cpp bindings/c/examples/example.cpp "$linkage"
done
if ldd "$work/bin/test_api-pc-static" | grep -q kaleyra_verify; then
  echo "the static build still needs the shared library" >&2; exit 1
fi

# The conformance suite's vectors (a byte-identical copy of the contract's).
vectors=conformance/vectors
[ -f "$vectors/requests.json" ] || vectors="${KALEYRA_SHARED:-$root/../shared}/vectors"
read -r -a cjson <<<"$(pkg-config --cflags --libs libcjson)"
for linkage in shared static; do
  libs=("${pc_shared[@]}" "${rpath[@]}")
  [ "$linkage" = static ] && libs=("${pc_static[@]}")
  gcc "${cflags[@]}" "${pc_cflags[@]}" bindings/c/tests/c/conformance.c \
    -o "$work/bin/conformance-pc-$linkage" "${cjson[@]}" "${libs[@]}" -lpthread
done

gcc "${cflags[@]}" "${pc_cflags[@]}" bindings/c/tests/c/conformance_emulator.c \
  -o "$work/bin/conformance_emulator" "${cjson[@]}" "${pc_shared[@]}" "${rpath[@]}" -lpthread

step "build through CMake (find_package(KaleyraVerify))"
cmake -S bindings/c/tests/cmake -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Debug >"$work/cmake.log" || { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/cmake" -j 2 >>"$work/cmake.log" || { cat "$work/cmake.log"; exit 1; }
for linkage in shared static; do
  for prog in test_api test_threads example example_cpp; do
    programs+=("$work/cmake/${prog}_${linkage}")
  done
done

step "run ${#programs[@]} programs, and the conformance vectors twice"
passed=0
for p in "${programs[@]}"; do
  echo "-- $(basename "$p")"
  "$p"
  passed=$((passed + 1))
done
for linkage in shared static; do
  echo "-- conformance-pc-$linkage"
  "$work/bin/conformance-pc-$linkage" "$vectors/requests.json" "$vectors/responses.json" \
    bindings/c/tests/conformance-known-gaps.txt | grep -v '^ok '
done
# The scenarios and flows, once conformance/ is in the checkout (it lands on main beside
# this binding); until then they are reported as not run, never as passed.
if [ -f conformance/scenarios.json ] && [ -f conformance/flows.json ]; then
  echo "-- conformance_emulator"
  "$work/bin/conformance_emulator" conformance/scenarios.json conformance/flows.json | grep -v '^ok '
else
  echo "-- conformance_emulator: NOT RUN (no conformance/scenarios.json in this checkout)"
fi
echo "c: ${passed}/${#programs[@]} programs passed; conformance vectors passed (shared and static)"

step "valgrind"
# Not the fork test: valgrind checks the child's leaks at its exit, and what the parent's
# threads held (their stacks are gone in the child: the emulator's tasks, the runtime's
# workers) is unreachable there by nature (tried: keeping verify-http's abandoned runtimes
# reachable is not enough). It runs everywhere else.
export KV_TEST_SKIP_FORK=1
vg=(valgrind -q --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite,indirect
  --num-callers=40 --suppressions=bindings/c/tests/valgrind.supp
  --show-leak-kinds=definite,indirect)
vg_passed=0
vg_programs=()
for p in "${programs[@]}"; do [[ "$p" == *-pc-* ]] && vg_programs+=("$p"); done
for p in "${vg_programs[@]}"; do
  echo "-- valgrind $(basename "$p")"
  "${vg[@]}" "$p" >"$work/valgrind.out" || { cat "$work/valgrind.out"; exit 1; }
  grep -h "NOT RUN" "$work/valgrind.out" || true
  tail -1 "$work/valgrind.out"
  vg_passed=$((vg_passed + 1))
done
"${vg[@]}" "$work/bin/conformance-pc-shared" "$vectors/requests.json" "$vectors/responses.json" \
  bindings/c/tests/conformance-known-gaps.txt \
  | tail -1
vg_passed=$((vg_passed + 1))
vg_programs+=(conformance)
echo "c: ${vg_passed}/${#vg_programs[@]} programs clean under valgrind"

step "AddressSanitizer and UBSan (the C side)"
unset KV_TEST_SKIP_FORK
asan=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
gcc "${cflags[@]}" "${asan[@]}" "${pc_cflags[@]}" bindings/c/tests/c/test_api.c \
  -o "$work/bin/test_api-asan" "${pc_shared[@]}" "${rpath[@]}" -lpthread -lm
gcc "${cflags[@]}" "${asan[@]}" "${pc_cflags[@]}" bindings/c/tests/c/test_threads.c \
  -o "$work/bin/test_threads-asan" "${pc_shared[@]}" "${rpath[@]}" -lpthread -lm
for p in "$work/bin/test_api-asan" "$work/bin/test_threads-asan"; do
  echo "-- $(basename "$p")"
  ASAN_OPTIONS=detect_leaks=1 "$p"
done
echo "c: 2/2 programs clean under ASan+UBSan"
