//! `generate`: a JS request object in, a `Generated` plain object out.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use verify_http::GenerateRequest;

use crate::{AbortToken, NativeClient};

/// Who to send a code to. The service requires `mobile`.
#[napi(object)]
pub struct GenerateInput {
    /// E.164, with or without `+`.
    pub mobile: Option<String>,
    /// An email address, for flows with an email channel.
    pub email: Option<String>,
    /// The flow to use (the account's default when unset).
    pub flow_id: Option<String>,
    /// Your own code instead of a generated one, when the flow allows it.
    pub otp: Option<String>,
}

/// A verification that was started.
#[napi(object)]
pub struct Generated {
    /// Pass it to `validate` or `check` with the code the user typed.
    pub verify_id: String,
    /// The mobile number as the service echoed it.
    pub mobile: Option<String>,
    /// The email as the service echoed it.
    pub email: Option<String>,
    /// The flow used.
    pub flow_id: Option<String>,
}

#[napi]
impl NativeClient {
    /// Sends a code.
    #[napi(ts_return_type = "Promise<Generated>")]
    pub fn generate<'env>(
        &self,
        env: &'env Env,
        request: GenerateInput,
        abort: Option<&AbortToken>,
    ) -> Result<Object<'env>> {
        let client = self.client()?;
        let request = GenerateRequest::from_parts(
            request.flow_id,
            request.mobile,
            request.email,
            request.otp,
        );
        self.spawn(env, abort, async move {
            let g = client.generate(request).await?;
            Ok(Generated {
                verify_id: g.verify_id,
                mobile: g.mobile,
                email: g.email,
                flow_id: g.flow_id,
            })
        })
    }
}
