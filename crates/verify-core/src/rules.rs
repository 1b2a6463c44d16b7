//! The field rules of the service, shared by the clients' local validation and the
//! emulator, so that both refuse exactly the same input with the same code.
//!
//! Each rule leans towards letting a request through: a client that refuses what the
//! service accepts would lock users out, while a request the service refuses only
//! costs a round trip (API.md, "Local validation").

/// Fewest digits in one mobile number (API.md: "between 3 to 20 characters").
pub const MOBILE_MIN_DIGITS: usize = 3;
/// Most digits in one mobile number.
pub const MOBILE_MAX_DIGITS: usize = 20;

/// One number: an optional leading `+`, then 3 to 20 ASCII digits. Spaces around it are
/// tolerated because the service's handling of them is undocumented.
pub fn is_valid_mobile_number(number: &str) -> bool {
    let n = number.trim_matches(' ');
    let digits = n.strip_prefix('+').unwrap_or(n);
    (MOBILE_MIN_DIGITS..=MOBILE_MAX_DIGITS).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A comma-separated list of numbers, every element valid (an empty element is not).
pub fn is_valid_mobile_list(list: &str) -> bool {
    list.split(',').all(is_valid_mobile_number)
}

/// The numbers of a list, each as the service echoes it: trimmed, without the `+`.
pub fn normalized_mobiles(list: &str) -> impl Iterator<Item = &str> {
    list.split(',')
        .map(|n| n.trim_matches(' '))
        .map(|n| n.strip_prefix('+').unwrap_or(n))
}

/// A deliberately loose address check: one `@` with text on both sides, a dot inside the
/// domain, and no whitespace or control characters. Anything stricter risks refusing
/// addresses the service accepts.
pub fn is_valid_email(email: &str) -> bool {
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// An OTP holds only ASCII letters and digits (Unicode digits are refused: E803).
pub fn is_alphanumeric_otp(otp: &str) -> bool {
    !otp.is_empty() && otp.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert!(is_valid_mobile_number("+123"));
        assert!(is_valid_mobile_number(" 123 "));
        assert!(!is_valid_mobile_number("++123"));
        assert!(!is_valid_mobile_number("+"));
        assert!(!is_valid_mobile_list("123,"));
        assert_eq!(
            normalized_mobiles("+123, 456").collect::<Vec<_>>(),
            ["123", "456"]
        );
    }

    #[test]
    fn emails() {
        assert!(is_valid_email("a@b.co"));
        assert!(is_valid_email("first.last+tag@sub.example.org"));
        assert!(!is_valid_email("a@b"));
        assert!(!is_valid_email("@b.co"));
        assert!(!is_valid_email("a@@b.co"));
        assert!(!is_valid_email("a@b.co\n"));
    }
}
