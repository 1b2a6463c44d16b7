//! Linker flags of the shared library that cargo cannot express in Cargo.toml: a SONAME
//! (a Rust cdylib has none, so programs would record the build path instead), and
//! `-z nodelete`, since a Rust library unloaded by `dlclose` while its runtime's threads
//! or thread-local destructors are alive crashes (rust-lang/rust#134820; napi-build does
//! the same for Node addons).

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!(
            "cargo:rustc-cdylib-link-arg=-Wl,-soname,libkaleyra_verify.so.{}",
            soversion()
        );
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// The ABI version: the major version, or `0.MINOR` before 1.0 (where a minor breaks).
fn soversion() -> String {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_else(|_| "0".into());
    if major == "0" {
        format!("0.{minor}")
    } else {
        major
    }
}
