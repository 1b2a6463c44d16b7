//! Replays every input of `fuzz/corpus/` (the conformance seeds, and whatever the fuzzer
//! kept) through the fuzz targets' invariants, without libFuzzer or its flags: an input
//! that once broke an invariant stays in the corpus and in the test command.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

#[path = "../../../fuzz/src/lib.rs"]
mod verify_fuzz;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "{}: only {} inputs",
        dir.display(),
        files.len()
    );
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = fs::read(path).expect("a readable corpus file");
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "invariants broken by: {failed:#?}");
    eprintln!("{target}: {} inputs replayed", files.len());
}

#[test]
fn the_decoder_corpus_keeps_its_invariants() {
    replay("decode_response", verify_fuzz::decode_response);
}

#[test]
fn the_request_corpus_keeps_its_invariants() {
    replay("request", verify_fuzz::request);
}
