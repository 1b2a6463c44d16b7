//! The one place the binding names the Rust surface it wraps (CONTRACT.md): verify-http's
//! client, options and runtime, and verify-core's tables and error view.
pub use verify_http::{
    runtime, CheckOutcome, Client, ClientOptions, Error, ErrorKind, GenerateRequest, Generated,
    Validated, CODES,
};
