//! The request body: `application/x-www-form-urlencoded` pairs.
//!
//! Generated serializers implement [`WriteQuery`] and call the writer's
//! scoped methods (`member`, `list`, `flat_list`, `map`, `flat_map`): each
//! pushes its key segments (`CustomerNodeEndpointList`, `member`, `1`), writes
//! the value and pops them again. Values are percent-encoded with the RFC 3986
//! unreserved set and uppercase hex, as the AWS SDKs do (space is `%20`).

use base64::Engine as _;

use crate::{DateTime, IndexMap, TimestampFormat};

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
        crate::numbers::push_float(&mut self.out, value);
    }

    /// A `float`, formatted as an `f32` so no digits appear that the value does not have.
    pub fn float(&mut self, value: f32) {
        self.pair();
        crate::numbers::push_float(&mut self.out, value);
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

    /// The whole body of a request: `Action`, `Version`, then `input`'s members.
    pub fn body<T: WriteQuery>(action: &str, version: &str, input: &T) -> String {
        let mut writer = Self::new(action, version);
        input.write_query(&mut writer);
        writer.finish()
    }

    /// Member `key` of the structure being written, if it is set.
    pub fn member<T: WriteQuery + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            let mark = self.mark();
            self.push(key);
            value.write_query(self);
            self.truncate(mark);
        }
    }

    /// A list member, if it is set: `key.item.1`, `key.item.2`, … (`item` is
    /// `member` unless the model renames it), or `key=` when it is empty.
    pub fn list<T: WriteQuery>(&mut self, key: &str, item: &str, items: Option<&[T]>) {
        self.items(key, Some(item), items);
    }

    /// A flattened list member, if it is set: `key.1`, `key.2`, …, or `key=`
    /// when it is empty.
    pub fn flat_list<T: WriteQuery>(&mut self, key: &str, items: Option<&[T]>) {
        self.items(key, None, items);
    }

    fn items<T: WriteQuery>(&mut self, key: &str, item: Option<&str>, items: Option<&[T]>) {
        let Some(items) = items else { return };
        let mark = self.mark();
        self.push(key);
        if items.is_empty() {
            self.empty();
        } else {
            if let Some(item) = item {
                self.push(item);
            }
            let items_mark = self.mark();
            for (index, value) in items.iter().enumerate() {
                self.push_index(index + 1);
                value.write_query(self);
                self.truncate(items_mark);
            }
        }
        self.truncate(mark);
    }

    /// A map member, if it is set and not empty: `key.entry.N.key_name` and
    /// `key.entry.N.value_name` (by default `key` and `value`).
    pub fn map<K: WriteQuery, V: WriteQuery>(
        &mut self,
        key: &str,
        key_name: &str,
        value_name: &str,
        entries: Option<&IndexMap<K, V>>,
    ) {
        self.entries(key, true, key_name, value_name, entries);
    }

    /// A flattened map member: `key.N.key_name` and `key.N.value_name`.
    pub fn flat_map<K: WriteQuery, V: WriteQuery>(
        &mut self,
        key: &str,
        key_name: &str,
        value_name: &str,
        entries: Option<&IndexMap<K, V>>,
    ) {
        self.entries(key, false, key_name, value_name, entries);
    }

    fn entries<K: WriteQuery, V: WriteQuery>(
        &mut self,
        key: &str,
        wrapped: bool,
        key_name: &str,
        value_name: &str,
        entries: Option<&IndexMap<K, V>>,
    ) {
        let Some(entries) = entries.filter(|entries| !entries.is_empty()) else {
            return;
        };
        let mark = self.mark();
        self.push(key);
        if wrapped {
            self.push("entry");
        }
        let entries_mark = self.mark();
        for (index, (entry_key, entry_value)) in entries.iter().enumerate() {
            self.push_index(index + 1);
            self.member(key_name, Some(entry_key));
            self.member(value_name, Some(entry_value));
            self.truncate(entries_mark);
        }
        self.truncate(mark);
    }
}

/// A value that generated serializers write at the writer's current key: a
/// structure or union (its members under the key), an enum, or a leaf.
/// Generated types implement it; this crate implements it for the leaves,
/// with awsQuery's defaults (base64 blobs, RFC 3339 timestamps).
pub trait WriteQuery {
    /// Writes the value at `writer`'s current key.
    fn write_query(&self, writer: &mut QueryWriter);
}

impl WriteQuery for str {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.string(self);
    }
}

impl WriteQuery for String {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.string(self);
    }
}

impl WriteQuery for bool {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.boolean(*self);
    }
}

/// Integers, written in decimal.
macro_rules! write_integer {
    ($($ty:ty),*) => {$(
        impl WriteQuery for $ty {
            fn write_query(&self, writer: &mut QueryWriter) {
                writer.integer(i64::from(*self));
            }
        }
    )*};
}

write_integer!(i8, i16, i32, i64);

impl WriteQuery for f32 {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.float(*self);
    }
}

impl WriteQuery for f64 {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.double(*self);
    }
}

impl WriteQuery for crate::BigInteger {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.string(self.as_str());
    }
}

impl WriteQuery for crate::BigDecimal {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.string(self.as_str());
    }
}

impl WriteQuery for Vec<u8> {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.blob(self);
    }
}

impl WriteQuery for DateTime {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.timestamp(self, TimestampFormat::DateTime);
    }
}

impl<T: crate::StringEnum> WriteQuery for T {
    fn write_query(&self, writer: &mut QueryWriter) {
        writer.string(self.as_ref());
    }
}

/// Percent-encodes `value` into `out`: everything but `A-Z a-z 0-9 - _ . ~`, uppercase hex.
pub fn encode_into(out: &mut String, value: &str) {
    let unreserved =
        |byte: &u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Copy each run of unreserved bytes in one go. A run is ASCII, so both of its
        // ends are character boundaries and `get` cannot fail.
        let run = bytes
            .get(at..)
            .map_or(0, |rest| rest.iter().take_while(|b| unreserved(b)).count());
        out.push_str(value.get(at..at + run).unwrap_or_default());
        at += run;
        if let Some(&byte) = bytes.get(at) {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
            at += 1;
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
    fn scoped_writers_write_members_lists_and_maps() {
        let mut writer = QueryWriter::new("Op", "2015-02-02");
        writer.member("Name", Some("a b"));
        writer.member::<str>("Unset", None);
        writer.list("Ids", "Id", Some(&["x".to_owned(), "y".to_owned()][..]));
        writer.list::<String>("Empty", "member", Some(&[]));
        writer.flat_list("Flat", Some(&[1i32, 2][..]));
        let mut tags = IndexMap::new();
        tags.insert("k1".to_owned(), true);
        tags.insert("k2".to_owned(), false);
        writer.map("Tags", "key", "value", Some(&tags));
        writer.flat_map("Flat2", "K", "V", Some(&tags));
        writer.map::<String, bool>("None", "key", "value", Some(&IndexMap::new()));
        assert_eq!(
            writer.finish(),
            "Action=Op&Version=2015-02-02&Name=a%20b&Ids.Id.1=x&Ids.Id.2=y&Empty=\
             &Flat.1=1&Flat.2=2\
             &Tags.entry.1.key=k1&Tags.entry.1.value=true&Tags.entry.2.key=k2&Tags.entry.2.value=false\
             &Flat2.1.K=k1&Flat2.1.V=true&Flat2.2.K=k2&Flat2.2.V=false"
        );
    }

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
