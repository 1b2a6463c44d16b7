//! Codes and ids from the operating system's cryptographically secure generator: an
//! emulator whose codes could be predicted would teach clients bad habits in demos.

use rand::rngs::OsRng;
use rand::TryRngCore;

const DIGITS: &[u8] = b"0123456789";
const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn fill(buf: &mut [u8]) {
    // The OS generator failing means the machine cannot produce secrets at all.
    OsRng
        .try_fill_bytes(buf)
        .expect("the operating system's random generator failed");
}

/// A code of `len` characters: digits, or A-Z and digits when `alphanumeric`. Uniform:
/// bytes that would bias the modulo are rejected.
pub fn random_code(len: usize, alphanumeric: bool) -> String {
    let alphabet = if alphanumeric { ALPHANUMERIC } else { DIGITS };
    let n = alphabet.len();
    let limit = 256 - 256 % n; // largest multiple of n that fits in a byte
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 32];
    while out.len() < len {
        fill(&mut buf);
        for &b in &buf {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % n] as char);
            }
        }
    }
    out
}

/// A random (version 4) UUID, as a verify_id.
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_shape_asked() {
        for len in 4..=10 {
            let c = random_code(len, false);
            assert_eq!(c.len(), len);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
            let c = random_code(len, true);
            assert!(c
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        }
        assert_ne!(random_uuid(), random_uuid());
        assert_eq!(
            uuid::Uuid::parse_str(&random_uuid())
                .unwrap()
                .get_version_num(),
            4
        );
    }
}
