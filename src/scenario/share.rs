//! Share links: a whole scenario in a URL fragment, so that a link carries
//! the simulation and no server stores anything (docs/sharing.md).
//!
//! Format 1 (current): `#v=1&t=<cursor ms>&z=<base64url(raw DEFLATE(the
//! scenario file))>`, with `kubernetesVersion` always written into the
//! scenario so the link keeps its release when the default moves on.
//! Format 0 (the first releases): `#s=<base64url(the scenario file)>`.
//! Both open forever; the fixtures in tests/fixtures/links.txt hold them.

use crate::scenario::write::{manifest_text, to_yaml};
use crate::sim::profile::NEWEST;
use crate::time::Ms;

/// The format this release writes.
pub const FORMAT: u32 = 1;

/// The longest link the playground offers (the whole URL, in characters);
/// longer scenarios are exported as files. Chat tools, issue trackers and
/// some proxies cut URLs near 8 KB.
pub const MAX_LINK_CHARS: usize = 8000;

/// A scenario longer than this, inflated, is refused (a damaged or hostile
/// link must not fill the tab's memory).
pub const MAX_SCENARIO_BYTES: usize = 1 << 20;

/// What a share link holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The scenario file (SCENARIO.md v1).
    pub scenario: String,
    /// Where the author's cursor was.
    pub cursor: Ms,
}

/// The scenario text of a link: `text` with `kubernetesVersion` written in
/// (the newest release when it had none). `text` must parse.
pub fn pinned(text: &str) -> Result<String, crate::scenario::ScenarioError> {
    let mut scenario = crate::scenario::parse(text)?;
    if scenario.kubernetes_version.is_some() {
        return Ok(text.to_string());
    }
    scenario.kubernetes_version = Some(NEWEST.to_string());
    let manifest = manifest_text(text).unwrap_or_else(|| crate::yaml::to_yaml(&scenario.manifest));
    Ok(to_yaml(&scenario, &manifest))
}

/// The fragment (without `#`) of a format-1 link to `scenario` (already
/// pinned) at `cursor`.
pub fn to_fragment(scenario: &str, cursor: Ms) -> String {
    fragment_of_deflated(
        &miniz_oxide::deflate::compress_to_vec(scenario.as_bytes(), 10),
        cursor,
    )
}

/// The fragment of a format-1 link from the scenario's raw DEFLATE bytes
/// (the browser deflates with its own CompressionStream, which costs the
/// page nothing, instead of miniz's compressor, about 22 KB of wasm).
pub fn fragment_of_deflated(deflated: &[u8], cursor: Ms) -> String {
    format!("v={FORMAT}&t={cursor}&z={}", encode_bytes(deflated))
}

/// The fragment of a workshop link: a levels file (docs/levels.md, made
/// by the level builder) from its raw DEFLATE bytes.
pub fn levels_fragment(deflated: &[u8]) -> String {
    format!("v={FORMAT}&w={}", encode_bytes(deflated))
}

/// A share link's fragment, read but not yet inflated.
#[derive(Debug, PartialEq, Eq)]
pub enum Fragment {
    /// Format 0: the scenario as it is.
    Plain(Link),
    /// Format 1: the scenario's raw DEFLATE bytes.
    Deflated { deflated: Vec<u8>, cursor: Ms },
    /// Format 1 with `w=`: a workshop's levels file, deflated.
    Levels(Vec<u8>),
}

/// The link in a URL fragment (with or without its `#`); `Ok(None)` when
/// the fragment is not a share link at all.
pub fn from_fragment(fragment: &str) -> Result<Option<Link>, String> {
    Ok(match read_fragment(fragment)? {
        None => None,
        Some(Fragment::Plain(link)) => Some(link),
        Some(Fragment::Levels(_)) => {
            return Err("the link opens a workshop (a levels file), not a scenario".into());
        }
        Some(Fragment::Deflated { deflated, cursor }) => {
            use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_with_limit};
            let bytes =
                decompress_to_vec_with_limit(&deflated, MAX_SCENARIO_BYTES).map_err(|e| match e
                    .status
                {
                    TINFLStatus::HasMoreOutput => too_large(),
                    _ => NOT_INFLATED.to_string(),
                })?;
            Some(Link {
                scenario: inflated_text(bytes)?,
                cursor,
            })
        }
    })
}

/// The message for a link whose scenario does not inflate.
pub const NOT_INFLATED: &str = "the link is damaged: its scenario does not inflate (cut short?)";

/// The message for a link whose scenario inflates past the limit.
pub fn too_large() -> String {
    format!(
        "the link's scenario is larger than {} when inflated, the playground's limit",
        crate::limits::size_text(MAX_SCENARIO_BYTES)
    )
}

/// The scenario text of inflated bytes.
pub fn inflated_text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| "the link is damaged: it is not UTF-8 text".to_string())
}

/// A share link's fragment, decoded up to its compressed bytes (the
/// browser inflates with its own DecompressionStream).
pub fn read_fragment(fragment: &str) -> Result<Option<Fragment>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    // Some tools percent-encode the fragment (`v%3D1%26z%3D...`).
    let decoded;
    let fragment = if fragment.contains('%') {
        decoded = percent_decoded(fragment);
        decoded.as_str()
    } else {
        fragment
    };
    if let Some(encoded) = fragment.strip_prefix("s=") {
        return decode(encoded).map(|scenario| {
            Some(Fragment::Plain(Link {
                scenario,
                cursor: 0,
            }))
        });
    }
    let param = |key: &str| {
        fragment
            .split('&')
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    let Some(version) = param("v") else {
        return Ok(None);
    };
    match version.parse::<u32>() {
        Ok(1) => {}
        Ok(v) if v > 1 => {
            return Err(format!(
                "the link has format {v}, made by a newer playground; this one reads formats 0 and 1"
            ));
        }
        _ => {
            return Err(format!(
                "the link is damaged: v={} is not a link format (this playground reads formats 0 and 1)",
                crate::limits::quoted(version)
            ));
        }
    }
    let cursor = match param("t") {
        None => 0,
        Some(t) => t
            .parse::<Ms>()
            .ok()
            .ok_or_else(|| format!("the link is damaged: t={t} is not a time in milliseconds"))?,
    };
    if let Some(w) = param("w") {
        return Ok(Some(Fragment::Levels(decode_bytes(w)?)));
    }
    let z = param("z").ok_or("the link is damaged: it has no z= (the scenario)")?;
    Ok(Some(Fragment::Deflated {
        deflated: decode_bytes(z)?,
        cursor,
    }))
}

/// `%XX` escapes decoded (invalid ones are kept as they are).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url (RFC 4648 §5) without padding.
pub fn encode(text: &str) -> String {
    encode_bytes(text.as_bytes())
}

fn encode_bytes(bytes: &[u8]) -> String {
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
    String::from_utf8(decode_bytes(encoded)?)
        .map_err(|_| "the link is damaged: it is not UTF-8 text".to_string())
}

fn decode_bytes(encoded: &str) -> Result<Vec<u8>, String> {
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
    Ok(bytes)
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

    const SCENARIO: &str = "scenario: v1\nkubernetesVersion: \"1.30\"\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {name: pi}\n";

    #[test]
    fn format_1_round_trips_and_is_smaller_than_format_0() {
        let fragment = to_fragment(SCENARIO, 42_500);
        assert!(fragment.starts_with("v=1&t=42500&z="));
        let link = from_fragment(&format!("#{fragment}")).unwrap().unwrap();
        assert_eq!(
            link,
            Link {
                scenario: SCENARIO.into(),
                cursor: 42_500
            }
        );
        let long = SCENARIO.repeat(20);
        assert!(to_fragment(&long, 0).len() * 5 < encode(&long).len());
    }

    #[test]
    fn format_0_links_still_open() {
        let link = from_fragment(&format!("s={}", encode(SCENARIO)))
            .unwrap()
            .unwrap();
        assert_eq!(
            link,
            Link {
                scenario: SCENARIO.into(),
                cursor: 0
            }
        );
    }

    #[test]
    fn damaged_and_future_links_say_what_is_wrong() {
        assert_eq!(from_fragment("#top").unwrap(), None);
        assert_eq!(from_fragment("").unwrap(), None);
        let cut = to_fragment(SCENARIO, 0);
        let err = from_fragment(&cut[..cut.len() - 8]).unwrap_err();
        assert!(err.contains("does not inflate"), "{err}");
        assert!(from_fragment("v=2&z=AA").unwrap_err().contains("format 2"));
        assert!(from_fragment("v=1&t=-5&z=AA").unwrap_err().contains("t=-5"));
        assert!(from_fragment("v=1&t=0").unwrap_err().contains("no z="));
    }

    #[test]
    fn a_link_pins_the_release_it_was_made_with() {
        let unpinned = SCENARIO.replace("kubernetesVersion: \"1.30\"\n", "");
        let text = pinned(&unpinned).unwrap();
        let scenario = crate::scenario::parse(&text).unwrap();
        assert_eq!(scenario.kubernetes_version.as_deref(), Some(NEWEST));
        assert_eq!(pinned(SCENARIO).unwrap(), SCENARIO);
    }
}
