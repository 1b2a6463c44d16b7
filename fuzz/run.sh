#!/usr/bin/env bash
# Coverage-guided fuzzing of verify-core on the STABLE compiler (issue 12, part 2).
#
#   fuzz/run.sh [SECONDS] [TARGET...]     default: 600 s each, both targets, one after another
#
# cargo-fuzz needs nightly for -Zsanitizer; this builds the same thing by hand: libFuzzer
# from the libfuzzer-sys crate, and the sanitizer-coverage instrumentation cargo-fuzz
# asks LLVM for, through stable -C flags (no -Z, no AddressSanitizer: verify-core has no
# unsafe code, and Rust's own bounds checks, debug assertions and overflow checks are on).
# --target keeps the flags off build scripts and proc macros, as cargo-fuzz does.
# New inputs go to fuzz/corpus/<target>/ (set-cover minimised), crashes to
# target/fuzz/artifacts/<target>/. Runs under nice: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_response request)
triple=$(rustc -vV | sed -n 's/^host: //p')

export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
nice -n 19 cargo build --release --features libfuzzer --target "$triple" --bins

bin=../target/fuzz/$triple/release
for t in "${targets[@]}"; do
  art=../target/fuzz/artifacts/$t
  new=../target/fuzz/new-corpus/$t
  mkdir -p "$art" "$new" "corpus/$t"
  echo "== $t: $seconds s"
  # New inputs land in a scratch directory; the repository keeps a merged, minimal set.
  nice -n 19 "$bin/$t" "$new" "corpus/$t" -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix="$art/" -print_final_stats=1 2>&1 | tee "../target/fuzz/$t.log" | grep -E \
    '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|==[0-9]+== ERROR|SUMMARY|Done )' || true
  # The repository keeps the seeds (seed-*, hand-*) and the smallest set of inputs that
  # covers every feature reached (set-cover merge), named by their SHA-1.
  min=../target/fuzz/min-corpus/$t
  rm -rf "$min" && mkdir -p "$min"
  nice -n 19 "$bin/$t" -set_cover_merge=1 "$min" "corpus/$t" "$new" 2>&1 |
    grep -E 'MERGE-OUTER: [0-9]+ new files' || true
  find "corpus/$t" -type f ! -name 'seed-*' ! -name 'hand-*' -delete
  cp "$min"/* "corpus/$t/"
  echo "$t: corpus now $(ls "corpus/$t" | wc -l) files, $(cat "corpus/$t"/* | wc -c) bytes"
  crashes=$(find "$art" -type f | wc -l)
  echo "$t: crash/leak/timeout artifacts: $crashes (in $art)"
done
