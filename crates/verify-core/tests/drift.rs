//! The repository owns its vectors (`conformance/vectors/`); they started as copies of the
//! contract's `../shared/vectors/`. When that folder is beside the repository (or named by
//! `KALEYRA_SHARED`), any difference fails here, so an update there is never missed. A
//! clone on its own has no such folder: then this says so and passes.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `$KALEYRA_SHARED/vectors`, else `../shared/vectors` beside the repository.
fn shared_vectors() -> PathBuf {
    std::env::var_os("KALEYRA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"))
        .join("vectors")
}

fn json_files(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect()
}

#[test]
fn conformance_vectors_match_the_shared_contract() {
    let ours = repo_root().join("conformance/vectors");
    let theirs = shared_vectors();
    if !theirs.is_dir() {
        eprintln!(
            "drift: {} does not exist; nothing to compare (the repository's copy is the reference)",
            theirs.display()
        );
        return;
    }
    let (a, b) = (json_files(&ours), json_files(&theirs));
    assert_eq!(
        a,
        b,
        "the vector files differ between {} and {}",
        ours.display(),
        theirs.display()
    );
    for name in &a {
        let (x, y) = (fs::read(ours.join(name)), fs::read(theirs.join(name)));
        let (x, y) = (x.expect("ours readable"), y.expect("theirs readable"));
        assert!(
            x == y,
            "conformance/vectors/{name} differs from {}: copy the new version in",
            theirs.join(name).display()
        );
    }
    eprintln!("drift: {} files identical to {}", a.len(), theirs.display());
}
