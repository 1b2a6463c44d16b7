//! The answer to a generate, as an immutable Python object with a readable repr.

use pyo3::prelude::*;

use crate::surface;
use crate::validate::repr_opt;

/// An OTP was sent: the verification's id and where it went.
#[pyclass(module = "kaleyra_verify", frozen, get_all, eq, hash, str)]
#[derive(PartialEq, Eq, Hash)]
pub struct Generated {
    verify_id: String,
    mobile: Option<String>,
    email: Option<String>,
    flow_id: Option<String>,
}

impl From<surface::Generated> for Generated {
    fn from(g: surface::Generated) -> Generated {
        Generated {
            verify_id: g.verify_id,
            mobile: g.mobile,
            email: g.email,
            flow_id: g.flow_id,
        }
    }
}

impl std::fmt::Display for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Generated(verify_id={}, mobile={}, email={}, flow_id={})",
            repr_opt(Some(&self.verify_id)),
            repr_opt(self.mobile.as_deref()),
            repr_opt(self.email.as_deref()),
            repr_opt(self.flow_id.as_deref()),
        )
    }
}

#[pymethods]
impl Generated {
    #[new]
    #[pyo3(signature = (verify_id, mobile=None, email=None, flow_id=None))]
    fn new(
        verify_id: String,
        mobile: Option<String>,
        email: Option<String>,
        flow_id: Option<String>,
    ) -> Generated {
        Generated {
            verify_id,
            mobile,
            email,
            flow_id,
        }
    }

    #[classattr]
    fn __match_args__() -> (&'static str, &'static str, &'static str, &'static str) {
        ("verify_id", "mobile", "email", "flow_id")
    }

    fn __repr__(&self) -> String {
        self.to_string()
    }
}

/// The core's request from Python's arguments; validated by the core at call time.
pub fn request(
    mobile: Option<String>,
    email: Option<String>,
    flow_id: Option<String>,
    otp: Option<String>,
) -> surface::GenerateRequest {
    surface::GenerateRequest::from_parts(flow_id, mobile, email, otp)
}
