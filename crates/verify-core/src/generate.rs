//! Generate an OTP: `POST /v1/{SID}/verify`. The request, its local validation, and the
//! success value.

use serde::{Deserialize, Serialize};

use crate::codes::ErrorCode;
use crate::error::{ApiError, Error};
use crate::rules;

/// Who receives the code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// One or several E.164 numbers separated by commas; mandatory (E804).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// An address for the flow's email channel; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The body of a generate request. Absent fields are omitted on the wire, never `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenerateRequest {
    /// The flow (verification configuration); optional when the account has a default flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_id: Option<String>,
    /// The recipient; mandatory (E600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Recipient>,
    /// A caller-supplied code instead of a generated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp: Option<String>,
}

impl GenerateRequest {
    /// A request to `mobile`: one number, or several separated by commas.
    pub fn new(mobile: impl Into<String>) -> GenerateRequest {
        GenerateRequest {
            to: Some(Recipient {
                mobile: Some(mobile.into()),
                email: None,
            }),
            ..GenerateRequest::default()
        }
    }

    /// A request to several numbers, joined with commas as the service expects.
    pub fn to_many<I, S>(mobiles: I) -> GenerateRequest
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined: Vec<String> = mobiles.into_iter().map(|m| m.as_ref().to_owned()).collect();
        GenerateRequest::new(joined.join(","))
    }

    /// The request from optional parts, as the bindings receive them: `to` is left out
    /// when neither mobile nor email is given.
    pub fn from_parts(
        flow_id: Option<String>,
        mobile: Option<String>,
        email: Option<String>,
        otp: Option<String>,
    ) -> GenerateRequest {
        let to = (mobile.is_some() || email.is_some()).then_some(Recipient { mobile, email });
        GenerateRequest { flow_id, to, otp }
    }

    /// Sets the email address.
    pub fn email(mut self, email: impl Into<String>) -> GenerateRequest {
        self.to.get_or_insert_with(Recipient::default).email = Some(email.into());
        self
    }

    /// Sets the flow.
    pub fn flow_id(mut self, flow_id: impl Into<String>) -> GenerateRequest {
        self.flow_id = Some(flow_id.into());
        self
    }

    /// Supplies the code instead of letting the service generate one.
    pub fn otp(mut self, otp: impl Into<String>) -> GenerateRequest {
        self.otp = Some(otp.into());
        self
    }

    /// Local validation: the first rule broken, with the code the service would answer.
    /// It never refuses what the service accepts. Flow rules (E903, E905, E914) need the
    /// account's flows and are left to the service.
    pub fn validate(&self) -> Result<(), Error> {
        let fail = |code| Err(Error::from(ApiError::local(code)));
        let Some(to) = &self.to else {
            return fail(ErrorCode::E600);
        };
        match to.mobile.as_deref() {
            None | Some("") => return fail(ErrorCode::E804),
            Some(m) if !rules::is_valid_mobile_list(m) => return fail(ErrorCode::E805),
            Some(_) => {}
        }
        if let Some(email) = &to.email {
            if !rules::is_valid_email(email) {
                return fail(ErrorCode::E802);
            }
        }
        if let Some(otp) = &self.otp {
            if !rules::is_alphanumeric_otp(otp) {
                return fail(ErrorCode::E803);
            }
        }
        Ok(())
    }

    /// The exact JSON body sent on the wire.
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain strings and options cannot fail.
        serde_json::to_vec(self).expect("GenerateRequest serialises")
    }
}

/// A generated OTP: the handle to validate it with, and where it went. It serialises
/// flat (`verify_id`, `mobile`, `email`, `flow_id`): the plain data every language shows.
/// The wire's nested shape is read by [`crate::decode_generate`] alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "GeneratedWire")]
#[non_exhaustive]
pub struct Generated {
    /// The handle for [`crate::ValidateRequest`].
    pub verify_id: String,
    /// The numbers, as the service echoes them (without `+`).
    pub mobile: Option<String>,
    /// The address, when one was given.
    pub email: Option<String>,
    /// The flow that was used.
    pub flow_id: Option<String>,
}

/// The nested shape of the wire (`data.to.mobile`), kept private so users see one flat value.
#[derive(Deserialize)]
struct GeneratedWire {
    verify_id: String,
    #[serde(default)]
    to: Option<Recipient>,
    #[serde(default)]
    flow_id: Option<String>,
}

impl From<GeneratedWire> for Generated {
    fn from(w: GeneratedWire) -> Generated {
        let to = w.to.unwrap_or_default();
        Generated {
            verify_id: w.verify_id,
            mobile: to.mobile,
            email: to.email,
            flow_id: w.flow_id,
        }
    }
}
