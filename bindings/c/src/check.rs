//! The login handler's form of validate: whether the code passed, and if not why, as a
//! `kv_check_outcome` value; only failures of the system (transport, authentication,
//! server) remain errors. The sorting is verify-core's (`CheckOutcome`).

use std::ffi::c_char;

use crate::client::kv_client;
use crate::error::{kv_error, KvError};
use crate::ffi::{arg_str, handle, require_out, write_out};
use crate::generated::{kv_check_outcome, kv_status};
use crate::panic::guard;

/// Checks `otp` against `verify_id` and stores the outcome in `*outcome_out`
/// (`KV_CHECK_OUTCOME_VERIFIED`, `..._WRONG_CODE`, `..._EXPIRED`, ...). Returns
/// `KV_STATUS_OK` whenever an outcome was stored, a wrong code included; any other status
/// is a failure of the system, with the error in `*error_out` (when not NULL) and
/// `*outcome_out` untouched. Blocks the calling thread until the answer.
#[no_mangle]
pub extern "C" fn kv_client_check(
    client: *const kv_client,
    verify_id: *const c_char,
    otp: *const c_char,
    outcome_out: *mut kv_check_outcome,
    error_out: *mut *mut kv_error,
) -> kv_status {
    guard(error_out, || {
        require_out(outcome_out, "outcome_out")?;
        let client = handle(client, "client")?;
        let (id, otp) = (arg_str(verify_id, "verify_id")?, arg_str(otp, "otp")?);
        let outcome = client.inner.check(id, otp).map_err(KvError::from)?;
        let outcome = kv_check_outcome::from_number(outcome.number())
            .ok_or_else(|| KvError::internal("an outcome newer than this library's header"))?;
        write_out(outcome_out, "outcome_out", outcome)
    })
}
