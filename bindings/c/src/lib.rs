//! The C ABI of the Kaleyra Verify SDK (`kaleyra_verify.h`): opaque handles, results
//! through out-parameters, a status that is verify-core's error-kind number, and no panic
//! across the boundary. It translates types and errors only; every decision is made by
//! verify-core and verify-http, as for the Python and Node bindings.
//!
//! Conventions, for every function (the header repeats them where they apply):
//! - A fallible function returns a `kv_status` (`KV_STATUS_OK` = 0) and, when
//!   `error_out` is not NULL, stores a new `kv_error` there on failure (NULL on success),
//!   which the caller frees with `kv_error_free`.
//! - Objects returned through an out-parameter are owned by the caller and freed with
//!   their `_free` function; `_free(NULL)` does nothing. Strings returned by an accessor
//!   are borrowed from the object and valid until it is freed.
//! - Strings in are NUL-terminated UTF-8 of at most `KV_MAX_STRING_LEN` bytes. A NULL
//!   where a pointer is required, invalid UTF-8 or a longer string gives
//!   `KV_STATUS_INVALID_ARGUMENT`. In the option and request structs, NULL means "unset".
#![allow(non_camel_case_types)]
// C cannot see Rust's `unsafe`: each function's pointer contract is in its header comment,
// and every pointer is checked for NULL before use (ffi.rs).
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod check;
mod client;
mod codes;
mod config;
mod error;
mod ffi;
mod generate;
// Written by codegen.rs, compared byte for byte: rustfmt must leave it as generated.
#[rustfmt::skip]
mod generated;
mod panic;
mod testing;
mod validate;

#[cfg(test)]
mod codegen;

pub use check::*;
pub use client::*;
pub use codes::*;
pub use config::*;
pub use error::*;
pub use ffi::KV_MAX_STRING_LEN;
pub use generate::*;
pub use generated::*;
pub use testing::*;
pub use validate::*;
