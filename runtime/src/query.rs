//! The awsQuery request body: `application/x-www-form-urlencoded` pairs.
//!
//! Generated serializers drive a [`QueryWriter`]: they push key segments
//! (`CustomerNodeEndpointList`, `member`, `1`, `Address`), write a value,
//! and truncate the key back. Values are percent-encoded with the RFC 3986
//! unreserved set and uppercase hex, as the AWS SDKs do (space is `%20`).

use base64::Engine as _;

use crate::DateTime;

/// How a timestamp is written (the model's `timestampFormat`, `date-time` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339, `2015-01-25T08:00:00Z`, with up to six fraction digits.
    DateTime,
    /// Seconds since the epoch, `1422172800`, with a fraction only when needed.
    EpochSeconds,
    /// IMF-fixdate, `Sun, 25 Jan 2015 08:00:00 GMT`.
    HttpDate,
}

/// Builds one awsQuery request body.
#[derive(Debug, Clone)]
pub struct QueryWriter {
    out: String,
    key: String,
}

impl QueryWriter {
    /// Starts a body with `Action=<action>&Version=<version>`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut out = String::with_capacity(256);
        out.push_str("Action=");
        encode_into(&mut out, action);
        out.push_str("&Version=");
        encode_into(&mut out, version);
        Self {
            out,
            key: String::with_capacity(64),
        }
    }

    /// The finished body.
    pub fn finish(self) -> String {
        self.out
    }

    /// Length of the current key, to [`truncate`](Self::truncate) back to after a nested write.
    pub fn mark(&self) -> usize {
        self.key.len()
    }

    /// Appends a key segment (`.segment`, or `segment` at the top level).
    pub fn push(&mut self, segment: &str) {
        if !self.key.is_empty() {
            self.key.push('.');
        }
        self.key.push_str(segment);
    }

    /// Appends a 1-based list or map index segment.
    pub fn push_index(&mut self, index: usize) {
        self.push(&index.to_string());
    }

    /// Cuts the key back to a [`mark`](Self::mark).
    pub fn truncate(&mut self, mark: usize) {
        self.key.truncate(mark);
    }

    fn pair(&mut self) {
        self.out.push('&');
        // Keys come from model identifiers and indices; encoding them changes nothing
        // for valid models and keeps the body well-formed for any other.
        encode_into(&mut self.out, &self.key);
        self.out.push('=');
    }

    /// `key=` with no value: an empty list, or an empty string.
    pub fn empty(&mut self) {
        self.pair();
    }

    /// A string value.
    pub fn string(&mut self, value: &str) {
        self.pair();
        encode_into(&mut self.out, value);
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, value: bool) {
        self.pair();
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// Any integer, in decimal.
    pub fn integer(&mut self, value: i64) {
        self.pair();
        self.out.push_str(&value.to_string());
    }

    /// A `double`: shortest round-trip text, `NaN`, `Infinity` or `-Infinity`.
    pub fn double(&mut self, value: f64) {
        self.pair();
        if value.is_nan() {
            self.out.push_str("NaN");
        } else if value.is_infinite() {
            self.out
                .push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            self.out.push_str(ryu::Buffer::new().format_finite(value));
        }
    }

    /// A `float`, formatted as an `f32` so no digits appear that the value does not have.
    pub fn float(&mut self, value: f32) {
        self.pair();
        if value.is_nan() {
            self.out.push_str("NaN");
        } else if value.is_infinite() {
            self.out
                .push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            self.out.push_str(ryu::Buffer::new().format_finite(value));
        }
    }

    /// A blob, as standard base64 with padding.
    pub fn blob(&mut self, value: &[u8]) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(value);
        self.string(&encoded);
    }

    /// A timestamp in the given format.
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        let text = match format {
            TimestampFormat::DateTime => value.to_rfc3339_micros(),
            TimestampFormat::EpochSeconds => value.to_epoch_seconds_text(),
            TimestampFormat::HttpDate => value.to_http_date(),
        };
        self.string(&text);
    }
}

/// Percent-encodes `value` into `out`: everything but `A-Z a-z 0-9 - _ . ~`, uppercase hex.
pub fn encode_into(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
    }
}

/// Uppercase hex digit of a nibble (`n < 16`).
fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'A' + (n - 10) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_with_the_rfc3986_unreserved_set() {
        let mut out = String::new();
        encode_into(&mut out, "a b/c:d=e&f+g~h_i.j-k\u{e9}");
        assert_eq!(out, "a%20b%2Fc%3Ad%3De%26f%2Bg~h_i.j-k%C3%A9");
    }

    #[test]
    fn writes_nested_keys_and_scalars() {
        let mut w = QueryWriter::new("Op", "2020-01-08");
        let mark = w.mark();
        w.push("List");
        w.push("member");
        let item = w.mark();
        w.push_index(1);
        w.string("a b");
        w.truncate(item);
        w.push_index(2);
        w.boolean(true);
        w.truncate(mark);
        w.push("Empty");
        w.empty();
        w.truncate(mark);
        w.push("F");
        w.float(10.8);
        w.truncate(mark);
        w.push("D");
        w.double(f64::NEG_INFINITY);
        w.truncate(mark);
        w.push("N");
        w.double(f64::NAN);
        w.truncate(mark);
        w.push("B");
        w.blob(b"value");
        assert_eq!(
            w.finish(),
            "Action=Op&Version=2020-01-08&List.member.1=a%20b&List.member.2=true&Empty=&F=10.8&D=-Infinity&N=NaN&B=dmFsdWU%3D"
        );
    }

    #[test]
    fn timestamps_in_each_format() {
        let t = DateTime::from_secs(1_422_172_800);
        let mut w = QueryWriter::new("Op", "1");
        w.push("T");
        w.timestamp(&t, TimestampFormat::DateTime);
        w.timestamp(&t, TimestampFormat::EpochSeconds);
        w.timestamp(&t, TimestampFormat::HttpDate);
        assert_eq!(
            w.finish(),
            "Action=Op&Version=1&T=2015-01-25T08%3A00%3A00Z&T=1422172800&T=Sun%2C%2025%20Jan%202015%2008%3A00%3A00%20GMT"
        );
    }
}
