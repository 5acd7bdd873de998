use std::fmt;
use std::str::FromStr;

/// Error from parsing a [`BigInteger`] or [`BigDecimal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseNumberError {
    kind: &'static str,
    input: String,
}

impl fmt::Display for ParseNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid {}", self.input, self.kind)
    }
}

impl std::error::Error for ParseNumberError {}

/// An arbitrary-precision integer, kept as its canonical decimal text.
///
/// The protocols only move these numbers as text; keeping the text avoids a
/// big-number dependency and never loses digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInteger(String);

/// An arbitrary-precision decimal, kept as its decimal text (with optional exponent).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigDecimal(String);

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

impl FromStr for BigInteger {
    type Err = ParseNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if is_digits(strip_sign(s)) {
            Ok(Self(s.to_owned()))
        } else {
            Err(ParseNumberError {
                kind: "integer",
                input: s.to_owned(),
            })
        }
    }
}

impl FromStr for BigDecimal {
    type Err = ParseNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let body = strip_sign(s);
        let (mantissa, exponent) = match body.split_once(['e', 'E']) {
            Some((m, e)) => (m, Some(e)),
            None => (body, None),
        };
        let mantissa_ok = match mantissa.split_once('.') {
            Some((int, frac)) => {
                (is_digits(int) || int.is_empty())
                    && (is_digits(frac) || frac.is_empty())
                    && !(int.is_empty() && frac.is_empty())
            }
            None => is_digits(mantissa),
        };
        let exponent_ok = exponent.is_none_or(|e| is_digits(strip_sign(e)));
        if mantissa_ok && exponent_ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(ParseNumberError {
                kind: "decimal",
                input: s.to_owned(),
            })
        }
    }
}

macro_rules! text_number {
    ($ty:ident) => {
        impl $ty {
            /// The number's decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
text_number!(BigInteger);
text_number!(BigDecimal);

impl From<i64> for BigInteger {
    fn from(value: i64) -> Self {
        Self(value.to_string())
    }
}

impl From<u64> for BigInteger {
    fn from(value: u64) -> Self {
        Self(value.to_string())
    }
}

impl From<i64> for BigDecimal {
    fn from(value: i64) -> Self {
        Self(value.to_string())
    }
}

/// Appends a float as the AWS SDKs write it: `NaN`, `Infinity`, `-Infinity`, or the
/// shortest text that reads back to the same value at its own width (ryu).
pub(crate) fn push_float<F: ryu::Float + Into<f64>>(out: &mut String, value: F) {
    let wide: f64 = value.into();
    if wide.is_nan() {
        out.push_str("NaN");
    } else if wide.is_infinite() {
        out.push_str(if wide > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        out.push_str(ryu::Buffer::new().format_finite(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_numbers() {
        assert!("-123456789012345678901234567890"
            .parse::<BigInteger>()
            .is_ok());
        assert!("1.5".parse::<BigInteger>().is_err());
        assert!("".parse::<BigInteger>().is_err());
        for ok in ["1.5", "-.5", "5.", "1e10", "1.25E-3", "+7"] {
            assert!(ok.parse::<BigDecimal>().is_ok(), "{ok}");
        }
        for bad in ["", ".", "1e", "abc", "1.2.3", "--1"] {
            let err = bad.parse::<BigDecimal>().unwrap_err();
            assert_eq!(err.to_string(), format!("`{bad}` is not a valid decimal"));
        }
    }
}
