//! Properties over arbitrary input: the decoder never panics, and local validation never
//! refuses a well-formed mobile number (it must never be stricter than the service).

use proptest::prelude::*;
use verify_core::{decode_generate, decode_validate, Error, GenerateRequest};

fn number() -> impl Strategy<Value = String> {
    ("[+]?", "[0-9]{3,20}").prop_map(|(plus, digits)| format!("{plus}{digits}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoding_any_bytes_never_panics(status in 0u16..1000, body in proptest::collection::vec(any::<u8>(), 0..512),
                                       retry in proptest::collection::vec(any::<u8>(), 0..12)) {
        let headers = [("Retry-After", retry.as_slice())];
        let g = decode_generate(status, headers, &body);
        let v = decode_validate(status, headers, &body);
        // Outside 2xx nothing is a success, and every error keeps the status.
        if !(200..300).contains(&status) {
            prop_assert!(g.is_err() && v.is_err());
            prop_assert_eq!(g.unwrap_err().status(), Some(status));
        }
    }

    #[test]
    fn decoding_json_like_bodies_never_panics(status in 0u16..1000, body in r#"\{"(data|error)":\{("[a-z_]{1,10}":("[^"]{0,8}"|[0-9]{1,4}|null|\{\}|\[\]),?){0,6}\}?\}?"#) {
        let r = decode_generate(status, [], body.as_bytes());
        if let Err(Error::Api(e)) = r {
            prop_assert_eq!(e.status, Some(status));
        }
    }

    #[test]
    fn every_well_formed_number_is_accepted(n in number()) {
        prop_assert!(GenerateRequest::new(n.clone()).validate().is_ok(), "{}", n);
    }

    #[test]
    fn every_comma_joined_list_is_accepted(list in proptest::collection::vec(number(), 1..6)) {
        let req = GenerateRequest::to_many(&list);
        prop_assert!(req.validate().is_ok(), "{:?}", list);
    }
}
