//! GENERATED from verify-core's tables by src/codegen.rs; do not edit.
//! `KV_BLESS=1 cargo test -p kaleyra-verify-c` rewrites it; the test fails on drift.

/// The result of every fallible call: `KV_STATUS_OK` (0), or the kind of the error,
/// numbered as verify-core's `ErrorKind` (stable), plus one C-only status.
/// `kv_status_name()` gives each one's name.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kv_status {
    /// Success.
    Ok = 0,
    /// The request broke a rule of the service. (`ValidationError`)
    Validation = 1,
    /// The flow is unknown or not approved. (`ConfigurationError`)
    Configuration = 2,
    /// The API key or SID was not accepted. (`AuthenticationError`)
    Authentication = 3,
    /// The verification does not exist. (`NotFoundError`)
    NotFound = 4,
    /// The code was wrong, expired, already used, or out of attempts. (`OtpRejectedError`)
    OtpRejected = 5,
    /// Too many requests. (`RateLimitedError`)
    RateLimited = 6,
    /// The service failed. (`ServerError`)
    Server = 7,
    /// An error code that neither the table nor the HTTP status classifies. (`UnknownError`)
    Unknown = 8,
    /// A success status with a body that could not be read. (`DecodeError`)
    Decode = 9,
    /// No connection could be made; nothing was sent. (`ConnectError`)
    Connect = 10,
    /// A timeout elapsed before an answer was read. (`RequestTimeoutError`)
    Timeout = 11,
    /// A generate may have reached the service: an OTP may have been sent. (`OutcomeUnknownError`)
    OutcomeUnknown = 12,
    /// The connection failed before an answer was read. (`TransportError`)
    Transport = 13,
    /// The client was configured wrongly. (`InvalidConfigError`)
    InvalidConfig = 14,
    /// The server's TLS certificate was not trusted; nothing was sent, and it is not retried. (`CertificateError`)
    Certificate = 15,
    /// A defect inside the SDK stopped the call (a bug to report). (`InternalError`)
    Internal = 16,
    /// C only: a NULL where a pointer is required, a string that is not UTF-8, or
    /// longer than `KV_MAX_STRING_LEN`.
    InvalidArgument = 100,
}

impl kv_status {
    /// The value with this number, if any.
    pub(crate) fn from_number(n: u32) -> Option<kv_status> {
        match n {
            0 => Some(kv_status::Ok),
            1 => Some(kv_status::Validation),
            2 => Some(kv_status::Configuration),
            3 => Some(kv_status::Authentication),
            4 => Some(kv_status::NotFound),
            5 => Some(kv_status::OtpRejected),
            6 => Some(kv_status::RateLimited),
            7 => Some(kv_status::Server),
            8 => Some(kv_status::Unknown),
            9 => Some(kv_status::Decode),
            10 => Some(kv_status::Connect),
            11 => Some(kv_status::Timeout),
            12 => Some(kv_status::OutcomeUnknown),
            13 => Some(kv_status::Transport),
            14 => Some(kv_status::InvalidConfig),
            15 => Some(kv_status::Certificate),
            16 => Some(kv_status::Internal),
            100 => Some(kv_status::InvalidArgument),
            _ => None,
        }
    }
}

/// The outcome of `kv_client_check`, numbered as verify-core's `CheckOutcome`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kv_check_outcome {
    /// The code was right; the verification is complete.
    Verified = 1,
    /// The code was wrong (E912), or empty or not alphanumeric (E801, E803).
    WrongCode = 2,
    /// The code expired (E913).
    Expired = 3,
    /// The code had already been used (E910).
    AlreadyVerified = 4,
    /// No attempts are left (E911).
    TooManyAttempts = 5,
    /// The verification does not exist (E909).
    NotFound = 6,
}

impl kv_check_outcome {
    /// The value with this number, if any.
    pub(crate) fn from_number(n: u32) -> Option<kv_check_outcome> {
        match n {
            1 => Some(kv_check_outcome::Verified),
            2 => Some(kv_check_outcome::WrongCode),
            3 => Some(kv_check_outcome::Expired),
            4 => Some(kv_check_outcome::AlreadyVerified),
            5 => Some(kv_check_outcome::TooManyAttempts),
            6 => Some(kv_check_outcome::NotFound),
            _ => None,
        }
    }
}

/// Every code of verify-core's table, numbered by its digits (E912 = 912), for a
/// `switch` on `kv_error_code_id()`; `KV_CODE_OTHER` (0) for no code or one this
/// version does not know (`kv_error_code()` has it as sent).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kv_code {
    /// No code, or one this version does not know.
    Other = 0,
    /// The `to` field is mandatory. (`validation`, parameter `to`, HTTP 400)
    E600 = 600,
    /// verify_id is mandatory. (`validation`, parameter `verify_id`, HTTP 400)
    E800 = 800,
    /// OTP is mandatory. (`validation`, parameter `otp`, HTTP 400)
    E801 = 801,
    /// Please enter a valid email. (`validation`, parameter `email`, HTTP 400)
    E802 = 802,
    /// OTP can contain only alphanumeric values. (`validation`, parameter `OTP`, HTTP 400)
    E803 = 803,
    /// Mobile number is mandatory. (`validation`, parameter `mobile`, HTTP 400)
    E804 = 804,
    /// Please enter a valid mobile number. (`validation`, parameter `mobile`, HTTP 400)
    E805 = 805,
    /// Given OTP length does not match the given Flow ID OTP Length (`validation`, parameter `OTP`, HTTP 400)
    E903 = 903,
    /// Flow Id not approved or not found (`configuration`, parameter `flow_id`, HTTP 400)
    E905 = 905,
    /// Flow does not support alphanumeric OTP. (`validation`, HTTP 400)
    E914 = 914,
    /// Verification not found. (`not_found`, parameter `verify_id`, HTTP 404)
    E909 = 909,
    /// OTP already verified (`otp_rejected`, HTTP 400)
    E910 = 910,
    /// Maximum verification attempts exceeded. (`otp_rejected`, parameter `otp`, HTTP 400)
    E911 = 911,
    /// Invalid OTP. (`otp_rejected`, parameter `otp`, HTTP 400)
    E912 = 912,
    /// OTP expired. (`otp_rejected`, parameter `otp`, HTTP 400)
    E913 = 913,
    /// API key or SID not accepted. (`authentication`, parameter `api-key`, HTTP 401)
    E401 = 401,
    /// Too many requests. (`rate_limited`, HTTP 429)
    E429 = 429,
    /// Body is not a JSON object, or the content type is not application/json. (`validation`, parameter `body`, HTTP 400)
    E400 = 400,
    /// Body larger than 64 KiB. (`validation`, parameter `body`, HTTP 413)
    E413 = 413,
    /// Internal error. (`server`, HTTP 500)
    E500 = 500,
    /// No such route. (`not_found`, HTTP 404)
    E404 = 404,
    /// Method not allowed on this route. (`validation`, HTTP 405)
    E405 = 405,
    /// The emulator's control routes answer only a Host that is an IP address or localhost. (`authentication`, parameter `host`, HTTP 403)
    E403 = 403,
    /// The emulator's control routes take only application/json. (`validation`, parameter `content-type`, HTTP 415)
    E415 = 415,
}

impl kv_code {
    /// The value with this number, if any.
    pub(crate) fn from_number(n: u32) -> Option<kv_code> {
        match n {
            0 => Some(kv_code::Other),
            600 => Some(kv_code::E600),
            800 => Some(kv_code::E800),
            801 => Some(kv_code::E801),
            802 => Some(kv_code::E802),
            803 => Some(kv_code::E803),
            804 => Some(kv_code::E804),
            805 => Some(kv_code::E805),
            903 => Some(kv_code::E903),
            905 => Some(kv_code::E905),
            914 => Some(kv_code::E914),
            909 => Some(kv_code::E909),
            910 => Some(kv_code::E910),
            911 => Some(kv_code::E911),
            912 => Some(kv_code::E912),
            913 => Some(kv_code::E913),
            401 => Some(kv_code::E401),
            429 => Some(kv_code::E429),
            400 => Some(kv_code::E400),
            413 => Some(kv_code::E413),
            500 => Some(kv_code::E500),
            404 => Some(kv_code::E404),
            405 => Some(kv_code::E405),
            403 => Some(kv_code::E403),
            415 => Some(kv_code::E415),
            _ => None,
        }
    }
}

