//! libFuzzer target: any caller input through local validation and the wire encoding.
//! The input format and the invariants are in `verify_fuzz::request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| verify_fuzz::request(data));
