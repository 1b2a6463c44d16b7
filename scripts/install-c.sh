#!/usr/bin/env bash
# Installs the C library into a prefix: headers, libkaleyra_verify.so (with its SONAME
# links) and .a, a pkg-config file and a CMake package. The one documented command:
#   scripts/install-c.sh PREFIX            (release build)
#   KV_PROFILE=dev scripts/install-c.sh PREFIX   (the tests: reuses the debug build)
# Not cargo-c: it compiles for many minutes here; these few files are tested instead
# (scripts/test-c.sh builds C and C++ programs through both pkg-config and CMake).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:?usage: scripts/install-c.sh PREFIX}"
profile="${KV_PROFILE:-release}"
case "$profile" in
  release) cargo build -p kaleyra-verify-c --locked --release; out=release ;;
  dev) cargo build -p kaleyra-verify-c --locked; out=debug ;;
  *) echo "install-c: KV_PROFILE is release or dev" >&2; exit 2 ;;
esac
target_dir="${CARGO_TARGET_DIR:-target}/$out"

version="$(cargo pkgid -p kaleyra-verify-c | sed 's/.*[#@]//')"
major="${version%%.*}"
minor="${version#*.}"; minor="${minor%%.*}"
if [ "$major" = 0 ]; then soversion="0.$minor"; else soversion="$major"; fi

# What Rust's standard library needs from the system when linked statically.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
native="$(echo '' | rustc --crate-type staticlib --crate-name kvnative --print native-static-libs \
  -o "$tmp/libkvnative.a" - 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -1)"
cmake_libs="$(echo "$native" | sed 's/-l//g; s/  */;/g; s/;$//')"

mkdir -p "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/KaleyraVerify"
prefix="$(cd "$prefix" && pwd)"
install -m 644 include/kaleyra_verify.h include/kaleyra_verify.hpp "$prefix/include/"
install -m 755 "$target_dir/libkaleyra_verify.so" "$prefix/lib/libkaleyra_verify.so.$version"
ln -sf "libkaleyra_verify.so.$version" "$prefix/lib/libkaleyra_verify.so.$soversion"
ln -sf "libkaleyra_verify.so.$soversion" "$prefix/lib/libkaleyra_verify.so"
install -m 644 "$target_dir/libkaleyra_verify.a" "$prefix/lib/libkaleyra_verify.a"

subst() {
  sed -e "s|@VERSION@|$version|g" -e "s|@SOVERSION@|$soversion|g" \
    -e "s|@LIBS_PRIVATE@|$native|g" -e "s|@CMAKE_LIBS@|$cmake_libs|g" "$1" >"$2"
}
subst bindings/c/pkgconfig/kaleyra_verify.pc.in "$prefix/lib/pkgconfig/kaleyra_verify.pc"
subst bindings/c/cmake/KaleyraVerifyConfig.cmake.in "$prefix/lib/cmake/KaleyraVerify/KaleyraVerifyConfig.cmake"
subst bindings/c/cmake/KaleyraVerifyConfigVersion.cmake.in \
  "$prefix/lib/cmake/KaleyraVerify/KaleyraVerifyConfigVersion.cmake"
echo "install-c: kaleyra_verify $version ($profile) installed in $prefix"
