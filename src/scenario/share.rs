//! Share links: a scenario in a URL fragment (`#s=<base64url>`), so that a
//! link carries the whole simulation and no server stores anything.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url (RFC 4648 §5) without padding.
pub fn encode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The text of a base64url fragment (padding and standard-alphabet `+/`
/// accepted too).
pub fn decode(encoded: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(encoded.len() * 3 / 4);
    let mut n = 0u32;
    let mut bits = 0;
    for c in encoded.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => {
                return Err(format!(
                    "the link is damaged: {:?} is not base64url",
                    c as char
                ));
            }
        };
        n = n << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((n >> bits) as u8);
        }
    }
    String::from_utf8(bytes).map_err(|_| "the link is damaged: it is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain), coded);
            assert_eq!(decode(coded).unwrap(), plain);
        }
        assert_eq!(decode("Zm9vYg==").unwrap(), "foob");
    }

    #[test]
    fn round_trips_unicode_and_url_unsafe_bytes() {
        let text = "scenario: v1 # ジョブ ✓ ??>>";
        let coded = encode(text);
        assert!(
            coded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&coded).unwrap(), text);
        assert!(decode("a$b").is_err());
    }
}
