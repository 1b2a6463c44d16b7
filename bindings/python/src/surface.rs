//! The one place the binding names the Rust surface it wraps (CONTRACT.md), so that the
//! rest of the binding reads `crate::surface::X`.
pub use crate::shim::*;
