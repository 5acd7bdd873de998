//! Writing XML response documents: the writer, and [`WriteXml`], which
//! generated outputs and what they reach implement.

use base64::Engine as _;
use indexmap::IndexMap;

use crate::{DateTime, TimestampFormat};

/// Builds an XML response document.
#[derive(Debug, Clone, Default)]
pub struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        Self {
            out: String::with_capacity(1024),
        }
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }

    /// `<name>` (with an `xmlns` when given).
    pub fn start(&mut self, name: &str, namespace: Option<&str>) {
        self.out.push('<');
        self.out.push_str(name);
        if let Some(ns) = namespace {
            self.out.push_str(" xmlns=\"");
            escape_into(&mut self.out, ns);
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// `</name>`.
    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name>text</name>`, escaped.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name, None);
        escape_into(&mut self.out, text);
        self.end(name);
    }

    /// A boolean leaf.
    pub fn boolean(&mut self, name: &str, value: bool) {
        self.element(name, if value { "true" } else { "false" });
    }

    /// An integer leaf.
    pub fn integer(&mut self, name: &str, value: i64) {
        self.element(name, &value.to_string());
    }

    /// A double leaf (`NaN`, `Infinity`, `-Infinity` for the specials).
    pub fn double(&mut self, name: &str, value: f64) {
        let mut text = String::new();
        crate::numbers::push_float(&mut text, value);
        self.element(name, &text);
    }

    /// A float leaf, at `f32` precision.
    pub fn float(&mut self, name: &str, value: f32) {
        let mut text = String::new();
        crate::numbers::push_float(&mut text, value);
        self.element(name, &text);
    }

    /// A base64 leaf.
    pub fn blob(&mut self, name: &str, value: &[u8]) {
        self.element(
            name,
            &base64::engine::general_purpose::STANDARD.encode(value),
        );
    }

    /// A timestamp leaf in `format`.
    pub fn timestamp(&mut self, name: &str, value: &DateTime, format: TimestampFormat) {
        let text = match format {
            TimestampFormat::DateTime => value.to_rfc3339_micros(),
            TimestampFormat::EpochSeconds => value.to_epoch_seconds_text(),
            TimestampFormat::HttpDate => value.to_http_date(),
        };
        self.element(name, &text);
    }

    /// Escaped text inside the element being written.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// Member `name` of the structure being written, if it is set:
    /// `<name>…</name>`.
    pub fn member<T: WriteXml + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.start(name, None);
            value.write_xml(self);
            self.end(name);
        }
    }

    /// A list member, if it is set: `<name><item>…</item>…</name>` (`item` is
    /// `member` unless the model renames it).
    pub fn list<T: WriteXml>(&mut self, name: &str, item: &str, items: Option<&[T]>) {
        if let Some(items) = items {
            self.start(name, None);
            for value in items {
                self.member(item, Some(value));
            }
            self.end(name);
        }
    }

    /// A flattened list member, if it is set: one `<name>…</name>` per item.
    pub fn flat_list<T: WriteXml>(&mut self, name: &str, items: Option<&[T]>) {
        for value in items.unwrap_or_default() {
            self.member(name, Some(value));
        }
    }

    /// A map member, if it is set: `<name><entry><key_name>…</key_name>
    /// <value_name>…</value_name></entry>…</name>`.
    pub fn map<K: WriteXml, V: WriteXml>(
        &mut self,
        name: &str,
        key_name: &str,
        value_name: &str,
        entries: Option<&IndexMap<K, V>>,
    ) {
        if let Some(entries) = entries {
            self.start(name, None);
            self.entries("entry", key_name, value_name, entries);
            self.end(name);
        }
    }

    /// A flattened map member, if it is set: one `<name>` entry element per entry.
    pub fn flat_map<K: WriteXml, V: WriteXml>(
        &mut self,
        name: &str,
        key_name: &str,
        value_name: &str,
        entries: Option<&IndexMap<K, V>>,
    ) {
        if let Some(entries) = entries {
            self.entries(name, key_name, value_name, entries);
        }
    }

    fn entries<K: WriteXml, V: WriteXml>(
        &mut self,
        entry: &str,
        key_name: &str,
        value_name: &str,
        entries: &IndexMap<K, V>,
    ) {
        for (key, value) in entries {
            self.start(entry, None);
            self.member(key_name, Some(key));
            self.member(value_name, Some(value));
            self.end(entry);
        }
    }

    /// `<ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>`.
    pub fn response_metadata(&mut self, request_id: &str) {
        self.start("ResponseMetadata", None);
        self.element("RequestId", request_id);
        self.end("ResponseMetadata");
    }
}

/// A value that generated response writers write inside its element: a
/// structure or union (its members as child elements), an enum, or a leaf
/// (the server side of [`ReadXml`](crate::xml::ReadXml)).
pub trait WriteXml {
    /// Writes the element's content.
    fn write_xml(&self, writer: &mut XmlWriter);
}

impl WriteXml for str {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }
}

impl WriteXml for String {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }
}

impl WriteXml for bool {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(if *self { "true" } else { "false" });
    }
}

/// Integers, in decimal.
macro_rules! write_xml_integer {
    ($($ty:ty),*) => {$(
        impl WriteXml for $ty {
            fn write_xml(&self, writer: &mut XmlWriter) {
                writer.text(&self.to_string());
            }
        }
    )*};
}

write_xml_integer!(i8, i16, i32, i64);

/// Floats: `NaN`, `Infinity`, `-Infinity` for the specials, else the
/// shortest text at the value's own width.
macro_rules! write_xml_float {
    ($($ty:ty),*) => {$(
        impl WriteXml for $ty {
            fn write_xml(&self, writer: &mut XmlWriter) {
                let mut text = String::new();
                crate::numbers::push_float(&mut text, *self);
                writer.text(&text);
            }
        }
    )*};
}

write_xml_float!(f32, f64);

impl WriteXml for crate::BigInteger {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(self.as_str());
    }
}

impl WriteXml for crate::BigDecimal {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(self.as_str());
    }
}

impl WriteXml for Vec<u8> {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(&base64::engine::general_purpose::STANDARD.encode(self));
    }
}

impl WriteXml for DateTime {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(&self.to_rfc3339_micros());
    }
}

impl<T: crate::StringEnum> WriteXml for T {
    fn write_xml(&self, writer: &mut XmlWriter) {
        writer.text(self.as_ref());
    }
}

/// The `<{Op}Response>` document: `<{Op}Result>` holding the output's
/// members, then the response metadata.
pub fn response<T: WriteXml>(
    operation: &str,
    namespace: Option<&str>,
    output: &T,
    request_id: &str,
) -> String {
    let response = format!("{operation}Response");
    let result = format!("{operation}Result");
    let mut writer = XmlWriter::new();
    writer.start(&response, namespace);
    writer.start(&result, None);
    output.write_xml(&mut writer);
    writer.end(&result);
    writer.response_metadata(request_id);
    writer.end(&response);
    writer.finish()
}

/// Escapes XML text: markup characters, and `\r`, which XML would otherwise normalise away.
/// Characters XML 1.0 cannot carry at all (most C0 controls) are written as-is, and a
/// conforming parser will reject the document: such strings cannot cross this protocol.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_writers_write_members_lists_and_maps() {
        let mut writer = XmlWriter::new();
        writer.member("Name", Some("a<b"));
        writer.member::<str>("Unset", None);
        writer.list("Ids", "Id", Some(&["x".to_owned()][..]));
        writer.flat_list("Flat", Some(&[1i32, 2][..]));
        let mut tags = IndexMap::new();
        tags.insert("k".to_owned(), true);
        writer.map("Tags", "key", "value", Some(&tags));
        writer.flat_map("Flat2", "K", "V", Some(&tags));
        assert_eq!(
            writer.finish(),
            "<Name>a&lt;b</Name><Ids><Id>x</Id></Ids><Flat>1</Flat><Flat>2</Flat>\
             <Tags><entry><key>k</key><value>true</value></entry></Tags>\
             <Flat2><K>k</K><V>true</V></Flat2>"
        );
    }

    #[test]
    fn writes_escaped_xml() {
        let mut w = XmlWriter::new();
        w.start("R", Some("urn:x"));
        w.element("S", "a<b & \"c\"\r\n");
        w.double("D", f64::NEG_INFINITY);
        w.response_metadata("id-1");
        w.end("R");
        assert_eq!(
            w.finish(),
            "<R xmlns=\"urn:x\"><S>a&lt;b &amp; &quot;c&quot;&#13;\n</S><D>-Infinity</D><ResponseMetadata><RequestId>id-1</RequestId></ResponseMetadata></R>"
        );
    }
}
