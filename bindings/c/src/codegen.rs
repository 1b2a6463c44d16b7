//! Writes `generated.rs` (the status, outcome and code enums) from
//! verify-core's tables, and fails when the committed file differs: the header's lists
//! are derived, never typed by hand. `KV_BLESS=1 cargo test -p kaleyra-verify-c` rewrites it.

use std::fmt::Write;

use verify_core::{CheckOutcome, ErrorKind, CODES};

/// The C-only status, outside the kinds' range so that they keep their numbers.
const INVALID_ARGUMENT: u32 = 100;

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect()
}

fn render() -> String {
    let mut s = String::new();
    let w = &mut s;
    w.push_str(
        "//! GENERATED from verify-core's tables by src/codegen.rs; do not edit.\n\
         //! `KV_BLESS=1 cargo test -p kaleyra-verify-c` rewrites it; the test fails on drift.\n\n",
    );
    w.push_str(
        "/// The result of every fallible call: `KV_STATUS_OK` (0), or the kind of the error,\n\
         /// numbered as verify-core's `ErrorKind` (stable), plus one C-only status.\n\
         /// `kv_status_name()` gives each one's name.\n\
         #[repr(u32)]\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum kv_status {\n    /// Success.\n    Ok = 0,\n",
    );
    let mut arms = vec![(0, "Ok".to_owned())];
    for k in ErrorKind::ALL {
        let name = camel(k.as_str());
        let _ = writeln!(w, "    /// {} (`{}`)", k.description(), k.class_name());
        let _ = writeln!(w, "    {name} = {},", k.number());
        arms.push((k.number(), name));
    }
    let _ = writeln!(
        w,
        "    /// C only: a NULL where a pointer is required, a string that is not UTF-8, or\n    \
         /// longer than `KV_MAX_STRING_LEN`.\n    InvalidArgument = {INVALID_ARGUMENT},\n}}\n"
    );
    arms.push((INVALID_ARGUMENT, "InvalidArgument".to_owned()));
    from_number(w, "kv_status", &arms);

    w.push_str(
        "/// The outcome of `kv_client_check`, numbered as verify-core's `CheckOutcome`.\n\
         #[repr(u32)]\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum kv_check_outcome {\n",
    );
    let mut arms = Vec::new();
    for o in CheckOutcome::ALL {
        let name = camel(o.as_str());
        let _ = writeln!(w, "    /// {}", o.description());
        let _ = writeln!(w, "    {name} = {},", o.number());
        arms.push((o.number(), name));
    }
    w.push_str("}\n\n");
    from_number(w, "kv_check_outcome", &arms);

    w.push_str(
        "/// Every code of verify-core's table, numbered by its digits (E912 = 912), for a\n\
         /// `switch` on `kv_error_code_id()`; `KV_CODE_OTHER` (0) for no code or one this\n\
         /// version does not know (`kv_error_code()` has it as sent).\n\
         #[repr(u32)]\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum kv_code {\n    \
         /// No code, or one this version does not know.\n    Other = 0,\n",
    );
    let mut arms = vec![(0, "Other".to_owned())];
    for c in CODES {
        let kind = ErrorKind::from(c.category);
        let param = match c.parameter {
            "" => String::new(),
            p => format!(", parameter `{p}`"),
        };
        let _ = writeln!(
            w,
            "    /// {} (`{}`{param}, HTTP {})",
            c.meaning,
            kind.as_str(),
            c.http_status
        );
        let _ = writeln!(w, "    {} = {},", c.code, code_number(c.code));
        arms.push((code_number(c.code), c.code.to_owned()));
    }
    w.push_str("}\n\n");
    from_number(w, "kv_code", &arms);
    s
}

/// The digits of a code (E912 becomes 912): a stable number for the C enum.
pub(crate) fn code_number(code: &str) -> u32 {
    code.strip_prefix('E')
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("code {code:?} is not E followed by digits: extend codegen.rs"))
}

fn from_number(w: &mut String, ty: &str, arms: &[(u32, String)]) {
    let _ = writeln!(w, "impl {ty} {{");
    let _ = writeln!(w, "    /// The value with this number, if any.");
    let _ = writeln!(
        w,
        "    pub(crate) fn from_number(n: u32) -> Option<{ty}> {{"
    );
    let _ = writeln!(w, "        match n {{");
    for (n, name) in arms {
        let _ = writeln!(w, "            {n} => Some({ty}::{name}),");
    }
    let _ = writeln!(w, "            _ => None,\n        }}\n    }}\n}}\n");
}

#[test]
fn generated_file_matches_the_core_tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.rs");
    let want = render();
    if std::env::var_os("KV_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "bindings/c/src/generated.rs is out of date with verify-core's tables: \
         run `KV_BLESS=1 cargo test -p kaleyra-verify-c`, then regenerate the header"
    );
}

#[test]
fn every_kind_and_outcome_has_its_number() {
    use crate::generated::{kv_check_outcome, kv_status};
    for k in ErrorKind::ALL {
        assert_eq!(
            kv_status::from_number(k.number()).map(|s| s as u32),
            Some(k.number())
        );
    }
    for o in CheckOutcome::ALL {
        assert_eq!(
            kv_check_outcome::from_number(o.number()).map(|s| s as u32),
            Some(o.number())
        );
    }
    assert!(ErrorKind::ALL
        .iter()
        .all(|k| k.number() != INVALID_ARGUMENT));
}
