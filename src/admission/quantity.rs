//! resource.Quantity (`500m`, `128Mi`, `1e3`, `0.25`): what parses, and its
//! value, for comparing requests with limits.

/// The value of a quantity string, or None when the API would refuse it
/// (`ParseQuantity`: a signed decimal number, then one suffix: a binary SI
/// one (Ki Mi Gi Ti Pi Ei), a decimal SI one (n u m k M G T P E) or a
/// decimal exponent (e3, E-2)).
pub fn parse(text: &str) -> Option<f64> {
    let digits_end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '+' || c == '-') && i == 0)))
        .map_or(text.len(), |(i, _)| i);
    let (number, suffix) = text.split_at(digits_end);
    let unsigned = number.trim_start_matches(['+', '-']);
    if unsigned.is_empty() || unsigned == "." || unsigned.matches('.').count() > 1 {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        s if s.starts_with(['e', 'E']) => {
            let exp = &s[1..];
            let digits = exp.trim_start_matches(['+', '-']);
            if digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || exp.len() - digits.len() > 1
            {
                return None;
            }
            10f64.powi(exp.parse::<i32>().ok()?)
        }
        _ => return None,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(parse("500m"), Some(0.5));
        assert_eq!(parse("128Mi"), Some(128.0 * 1024.0 * 1024.0));
        assert_eq!(parse("1e3"), Some(1000.0));
        assert_eq!(parse("0.25"), Some(0.25));
        assert_eq!(parse("+2k"), Some(2000.0));
        assert_eq!(parse("1.5G"), Some(1.5e9));
    }

    #[test]
    fn refusals() {
        for bad in [
            "", "lots", "1.2.3", "5mi", "1KiB", "e3", ".", "1e", "1e+-2", "--1",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
