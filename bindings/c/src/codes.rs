//! The core's tables, readable at run time: the name, description and class name of every
//! status, the name of every check outcome, and every row of the code table. All are
//! derived from verify-core (`ErrorKind::ALL`, `CheckOutcome::ALL`, `CODES`) and returned
//! as static strings that are never freed.

use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

use verify_core::{CheckOutcome, ErrorKind, CODES};

use crate::ffi::c_string;
use crate::generated::{kv_code, kv_status};
use crate::panic::guard_or;

/// One row of verify-core's code table. Every pointer is static: never freed, valid for
/// the life of the process. Safe to read from any thread.
#[repr(C)]
pub struct kv_code_info {
    /// The code as the service sends it, e.g. E912.
    pub code: *const c_char,
    /// The same as a `KV_CODE_*` value (`KV_CODE_E912`).
    pub id: kv_code,
    /// What it means, in the service's words.
    pub meaning: *const c_char,
    /// The kind of error it gives: a `KV_STATUS_*` value.
    pub kind: kv_status,
    /// The request parameter it names ("" when none).
    pub parameter: *const c_char,
    /// The HTTP status the emulator answers it with.
    pub http_status: u16,
}

/// The process-wide copies of the tables as C strings, built once.
struct Tables {
    codes: Vec<kv_code_info>,
    kinds: Vec<(u32, [CString; 3])>,
    outcomes: Vec<(u32, CString)>,
    _strings: Vec<CString>,
}

// SAFETY: the raw pointers point into `_strings`, which is never mutated or dropped.
unsafe impl Sync for Tables {}
unsafe impl Send for Tables {}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut strings = Vec::new();
        let mut keep = |s: &str| {
            let c = c_string(s);
            let p = c.as_ptr();
            strings.push(c); // moving a CString does not move its heap buffer
            p
        };
        let codes = CODES
            .iter()
            .map(|info| kv_code_info {
                code: keep(info.code),
                id: code_id(info.code),
                meaning: keep(info.meaning),
                kind: kv_status::of_kind(ErrorKind::from(info.category).number()),
                parameter: keep(info.parameter),
                http_status: info.http_status,
            })
            .collect();
        let mut kinds = vec![(0, [c_string("ok"), c_string("Success."), c_string("")])];
        kinds.extend(ErrorKind::ALL.iter().map(|k| {
            let names = [k.as_str(), k.description(), k.class_name()].map(c_string);
            (k.number(), names)
        }));
        kinds.push((
            kv_status::InvalidArgument as u32,
            [
                c_string("invalid_argument"),
                c_string("C only: a NULL where a pointer is required, a string that is not UTF-8, or longer than KV_MAX_STRING_LEN."),
                c_string("InvalidArgumentError"),
            ],
        ));
        let outcomes = CheckOutcome::ALL
            .iter()
            .map(|o| (o.number(), c_string(o.as_str())))
            .collect();
        Tables {
            codes,
            kinds,
            outcomes,
            _strings: strings,
        }
    })
}

/// The `kv_code` of a code text: its digits, for a code of the table; else `Other`.
pub(crate) fn code_id(code: &str) -> kv_code {
    if !CODES.iter().any(|c| c.code == code) {
        return kv_code::Other;
    }
    let number = code.strip_prefix('E').and_then(|d| d.parse().ok());
    number
        .and_then(kv_code::from_number)
        .unwrap_or(kv_code::Other)
}

fn kind_field(status: u32, field: usize) -> *const c_char {
    guard_or(std::ptr::null(), || {
        let found = tables().kinds.iter().find(|(n, _)| *n == status);
        found.map_or(std::ptr::null(), |(_, names)| names[field].as_ptr())
    })
}

/// The snake_case name of a status ("ok", "rate_limited", ...), the same in every
/// language; NULL for a number that is no status. Static: never freed.
#[no_mangle]
pub extern "C" fn kv_status_name(status: u32) -> *const c_char {
    kind_field(status, 0)
}

/// One line saying what a status means; NULL for a number that is no status. Static.
#[no_mangle]
pub extern "C" fn kv_status_description(status: u32) -> *const c_char {
    kind_field(status, 1)
}

/// The class name other languages give this kind of error ("RateLimitedError"); "" for
/// `KV_STATUS_OK`, NULL for a number that is no status. Static.
#[no_mangle]
pub extern "C" fn kv_status_class_name(status: u32) -> *const c_char {
    kind_field(status, 2)
}

/// The snake_case name of a check outcome ("verified", "wrong_code", ...), or NULL for a
/// number that is no outcome. Static: never freed.
#[no_mangle]
pub extern "C" fn kv_check_outcome_name(outcome: u32) -> *const c_char {
    guard_or(std::ptr::null(), || {
        let found = tables().outcomes.iter().find(|(n, _)| *n == outcome);
        found.map_or(std::ptr::null(), |(_, name)| name.as_ptr())
    })
}

/// How many rows the code table has.
#[no_mangle]
pub extern "C" fn kv_code_count() -> usize {
    CODES.len()
}

/// Row `index` of the code table (0 <= index < `kv_code_count()`), or NULL past its end.
/// Static: never freed; safe from any thread.
#[no_mangle]
pub extern "C" fn kv_code_at(index: usize) -> *const kv_code_info {
    guard_or(std::ptr::null(), || {
        tables()
            .codes
            .get(index)
            .map_or(std::ptr::null(), |c| c as *const kv_code_info)
    })
}

/// The library's version ("0.1.0"). Static: never freed.
#[no_mangle]
pub extern "C" fn kv_version() -> *const c_char {
    static VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"0",
        };
    VERSION.as_ptr()
}
