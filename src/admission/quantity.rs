//! resource.Quantity (`500m`, `128Mi`, `1e3`, `0.25`): what parses, its
//! value, and its canonical text (`Quantity.String()`), which is how the
//! API server prints quantities in messages and stores them after
//! `SetDefaults_ResourceList` rounded them up to milli-units.

/// How a quantity was written, which decides how it prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`, ... (powers of 1024).
    BinarySi,
    /// No suffix or `m`, `k`, `M`, ...
    DecimalSi,
    /// `e3`, `E-2`.
    DecimalExponent,
}

/// A quantity in thousandths of its unit, rounded up (saturating far
/// beyond any real resource).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub milli: i128,
    pub format: Format,
}

const BINARY: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const DECIMAL: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

/// Parses a quantity as `ParseQuantity` does, or None when the API would
/// refuse it (a signed decimal number, then one suffix: a binary SI one, a
/// decimal SI one, or a decimal exponent).
pub fn parse(text: &str) -> Option<Quantity> {
    let digits_end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || ((c == '+' || c == '-') && i == 0)))
        .map_or(text.len(), |(i, _)| i);
    let (number, suffix) = text.split_at(digits_end);
    let negative = number.starts_with('-');
    let unsigned = number.trim_start_matches(['+', '-']);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return None;
    }
    // value = mantissa * 10^exp10 * 1024^pow1024
    let mut mantissa: i128 = 0;
    let mut exp10: i32 = -(fraction.len() as i32);
    for b in whole.bytes().chain(fraction.bytes()) {
        if mantissa > i128::MAX / 100 {
            exp10 += 1; // digits beyond i128 precision only shift the value
            continue;
        }
        mantissa = mantissa * 10 + i128::from(b - b'0');
    }
    let (format, pow1024) =
        if let Some(i) = BINARY.iter().position(|s| !s.is_empty() && *s == suffix) {
            (Format::BinarySi, i as u32)
        } else if let Some((_, e)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
            exp10 += e;
            (Format::DecimalSi, 0)
        } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
            let digits = exp.trim_start_matches(['+', '-']);
            if digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || exp.len() - digits.len() > 1
            {
                return None;
            }
            exp10 = exp10.saturating_add(exp.parse::<i32>().ok()?);
            (Format::DecimalExponent, 0)
        } else {
            return None;
        };
    // To milli-units, rounding up.
    let mut value = mantissa.saturating_mul(1024i128.pow(pow1024));
    let shift = exp10 + 3;
    if shift >= 0 {
        for _ in 0..shift.min(40) {
            value = value.saturating_mul(10);
        }
    } else {
        let divisor = 10i128.checked_pow((-shift) as u32);
        value = match divisor {
            Some(d) => value / d + i128::from(value % d != 0),
            None => i128::from(value != 0),
        };
    }
    Some(Quantity {
        milli: if negative { -value } else { value },
        format,
    })
}

impl Quantity {
    /// `Quantity.String()` of the value rounded to milli-units.
    pub fn canonical(&self) -> String {
        let sign = if self.milli < 0 { "-" } else { "" };
        let abs = self.milli.unsigned_abs();
        if self.format == Format::BinarySi && abs >= 1024 * 1000 && abs.is_multiple_of(1000) {
            let mut n = abs / 1000;
            let mut i = 0;
            while n.is_multiple_of(1024) && i < 6 {
                n /= 1024;
                i += 1;
            }
            return format!("{sign}{n}{}", BINARY[i]);
        }
        // Decimal: the largest exponent (a multiple of 3) that keeps the
        // mantissa whole.
        let (mut n, mut e) = (abs, -3i32);
        while n != 0 && n % 1000 == 0 && e < 18 {
            n /= 1000;
            e += 3;
        }
        if n == 0 {
            e = 0;
        }
        let suffix = if self.format == Format::DecimalExponent {
            if e == 0 {
                String::new()
            } else {
                format!("e{e}")
            }
        } else {
            DECIMAL
                .iter()
                .find(|(_, x)| *x == e)
                .map_or(String::new(), |(s, _)| s.to_string())
        };
        format!("{sign}{n}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milli(text: &str) -> i128 {
        parse(text).unwrap().milli
    }

    fn canonical(text: &str) -> String {
        parse(text).unwrap().canonical()
    }

    #[test]
    fn values() {
        assert_eq!(milli("500m"), 500);
        assert_eq!(milli("128Mi"), 128 * 1024 * 1024 * 1000);
        assert_eq!(milli("1e3"), 1_000_000);
        assert_eq!(milli("0.25"), 250);
        assert_eq!(milli("+2k"), 2_000_000);
        assert_eq!(milli("1.5G"), 1_500_000_000_000);
        assert_eq!(milli("0.0001"), 1, "rounded up to 1m");
        assert_eq!(milli("-1"), -1000);
    }

    #[test]
    fn canonical_text_as_the_api_prints_it() {
        assert_eq!(canonical("0.5"), "500m");
        assert_eq!(canonical("2000m"), "2");
        assert_eq!(canonical("1000"), "1k");
        assert_eq!(canonical("1500"), "1500");
        assert_eq!(canonical("1.5k"), "1500");
        assert_eq!(canonical("1024Mi"), "1Gi");
        assert_eq!(canonical("1536Mi"), "1536Mi");
        assert_eq!(canonical("0.0001"), "1m");
        assert_eq!(canonical("1e3"), "1e3");
        assert_eq!(canonical("0"), "0");
        assert_eq!(canonical("100Ki"), "100Ki");
        assert_eq!(canonical("-2"), "-2");
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
