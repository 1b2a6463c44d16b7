//! libFuzzer target: any HTTP answer (status, headers, body) through verify-core's
//! decoders. The input format and the invariants are in `verify_fuzz::decode_response`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| verify_fuzz::decode_response(data));
