//! `validate` (a result or an error) and `check` (an outcome string for the code-level
//! answers, an error for failures of the system).

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::{AbortToken, NativeClient};

/// A code that was accepted.
#[napi(object)]
pub struct Validated {
    /// The verification.
    pub verify_id: String,
    /// The service's message.
    pub message: String,
    /// True when a lost attempt had already used the code ("already verified" after a retry).
    pub after_lost_attempt: bool,
}

#[napi]
impl NativeClient {
    /// Checks a code; a wrong, expired or used code is an `otp_rejected` error.
    #[napi(ts_return_type = "Promise<Validated>")]
    pub fn validate<'env>(
        &self,
        env: &'env Env,
        verify_id: String,
        otp: String,
        abort: Option<&AbortToken>,
    ) -> Result<Object<'env>> {
        let client = self.client()?;
        self.spawn(env, abort, async move {
            let v = client.validate(verify_id, otp).await?;
            Ok(Validated {
                verify_id: v.verify_id,
                message: v.message,
                after_lost_attempt: v.after_lost_attempt,
            })
        })
    }

    /// Checks a code; answers one of `checkOutcomes()` by name.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn check<'env>(
        &self,
        env: &'env Env,
        verify_id: String,
        otp: String,
        abort: Option<&AbortToken>,
    ) -> Result<Object<'env>> {
        let client = self.client()?;
        self.spawn(env, abort, async move {
            Ok(client.check(verify_id, otp).await?.as_str())
        })
    }
}
