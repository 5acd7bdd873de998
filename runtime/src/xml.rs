//! A small pull reader over quick-xml for generated response parsers.
//!
//! No DOM is built: generated code walks the document with
//! [`XmlReader::next_child`], matching each child's local name (namespaces
//! and prefixes are ignored), reading leaf text with [`XmlReader::text`] and
//! skipping unknown subtrees with [`XmlReader::skip`]. The reader enforces
//! limits (document size, nesting depth) and rejects DTDs, so entity
//! declarations are never expanded; an unknown entity reference is an error.
//!
//! The body is checked to be UTF-8 once, up front. quick-xml's byte events
//! then only ever cut it at ASCII delimiters, so every name and text they
//! carry is taken back as a slice of that checked `&str`, in constant time,
//! instead of being validated again event by event (see [`XmlReader::new`]).

use std::borrow::Cow;
use std::fmt;
use std::hash::Hash;

use indexmap::IndexMap;

use quick_xml::events::Event;

/// Largest response body a parser accepts, by default (64 MiB).
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Deepest element nesting a parser accepts, by default.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// Why a response body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    kind: XmlErrorKind,
    /// Byte offset in the body where the problem was found.
    offset: u64,
}

/// The kinds of [`XmlError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlErrorKind {
    /// The body is not well-formed XML (quick-xml's description).
    Syntax(String),
    /// The body is not UTF-8.
    NotUtf8,
    /// The body ended inside an element, or had no root element.
    UnexpectedEof,
    /// The body is larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Elements nest deeper than the limit.
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The body contains a `<!DOCTYPE>`; DTDs (and so entity declarations) are refused.
    DocType,
    /// An entity reference other than the five XML ones or a character reference.
    UnknownEntity(String),
    /// An element holds child elements where text was expected.
    UnexpectedElement {
        /// The element whose text was being read.
        parent: String,
    },
    /// The root element is not the one the operation answers with.
    WrongRoot {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A leaf's text is not a valid value of the member's type.
    InvalidValue {
        /// The element.
        element: String,
        /// What it should have been (`an integer`, `a boolean`, …).
        expected: &'static str,
        /// The text found (truncated).
        found: String,
    },
    /// A required member is missing.
    Missing {
        /// What could not be built.
        detail: String,
    },
}

impl XmlError {
    /// What went wrong.
    pub fn kind(&self) -> &XmlErrorKind {
        &self.kind
    }

    /// Where: the byte offset in the body.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Builds an error at `offset`.
    pub fn new(kind: XmlErrorKind, offset: u64) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            XmlErrorKind::Syntax(what) => write!(f, "malformed XML: {what}")?,
            XmlErrorKind::NotUtf8 => f.write_str("the body is not UTF-8")?,
            XmlErrorKind::UnexpectedEof => {
                f.write_str("the body ended before the document was complete")?
            }
            XmlErrorKind::TooLarge { limit } => write!(f, "the body is larger than {limit} bytes")?,
            XmlErrorKind::TooDeep { limit } => {
                write!(f, "elements nest deeper than {limit} levels")?
            }
            XmlErrorKind::DocType => {
                f.write_str("the body contains a DOCTYPE declaration, which is refused")?
            }
            XmlErrorKind::UnknownEntity(name) => write!(f, "unknown entity `&{name};`")?,
            XmlErrorKind::UnexpectedElement { parent } => write!(
                f,
                "element <{parent}> holds elements where text was expected"
            )?,
            XmlErrorKind::WrongRoot { expected, found } => {
                write!(f, "expected root element <{expected}>, found <{found}>")?
            }
            XmlErrorKind::InvalidValue {
                element,
                expected,
                found,
            } => write!(
                f,
                "element <{element}> should hold {expected}, found {found:?}"
            )?,
            XmlErrorKind::Missing { detail } => write!(f, "{detail}")?,
        }
        write!(f, " (at byte {})", self.offset)
    }
}

impl std::error::Error for XmlError {}

/// An element the reader has entered: pass it back to read its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    depth: usize,
    empty: bool,
}

/// Pull reader over one XML document held in memory.
pub struct XmlReader<'a> {
    inner: quick_xml::Reader<&'a [u8]>,
    /// The whole body, checked to be UTF-8: events are sliced back out of it.
    source: &'a str,
    /// Local name of the element most recently returned by `next_child`/`root`.
    name: &'a str,
    depth: usize,
    max_depth: usize,
}

impl fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XmlReader")
            .field("name", &self.name)
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}

/// Whether `bytes` holds `byte`. Names and values are short, so eight bytes
/// are tested at a time in a plain integer, where `memchr` or `contains`
/// spend longer setting up than searching.
#[inline]
fn holds(bytes: &[u8], byte: u8) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let pattern = ONES * u64::from(byte);
    let (words, rest) = bytes.as_chunks::<8>();
    // A word holds a zero byte exactly when this expression is not zero.
    words.iter().any(|word| {
        let x = u64::from_ne_bytes(*word) ^ pattern;
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    }) || rest.contains(&byte)
}

/// The local part of a qualified name (`p:Name` → `Name`).
#[inline]
fn local(qname: &[u8]) -> &[u8] {
    if !holds(qname, b':') {
        return qname;
    }
    qname.rsplit(|&b| b == b':').next().unwrap_or(qname)
}

/// XML 1.0 end-of-line handling: `\r\n` and a lone `\r` read as `\n`.
#[inline]
fn normalize_line_ends(text: &str) -> Cow<'_, str> {
    if !holds(text.as_bytes(), b'\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\r');
    out.push_str(lines.next().unwrap_or_default());
    for after_cr in lines {
        out.push('\n');
        out.push_str(after_cr.strip_prefix('\n').unwrap_or(after_cr));
    }
    Cow::Owned(out)
}

impl<'a> XmlReader<'a> {
    /// A reader with the default limits.
    pub fn new(body: &'a [u8]) -> Result<Self, XmlError> {
        Self::with_limits(body, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH)
    }

    /// A reader with explicit limits on body size and nesting depth.
    pub fn with_limits(
        body: &'a [u8],
        max_bytes: usize,
        max_depth: usize,
    ) -> Result<Self, XmlError> {
        if body.len() > max_bytes {
            return Err(XmlError::new(
                XmlErrorKind::TooLarge { limit: max_bytes },
                0,
            ));
        }
        // One check of the whole body (about a millisecond for 13 MB);
        // `view` then slices events back out of it without checking again.
        let source = std::str::from_utf8(body)
            .map_err(|e| XmlError::new(XmlErrorKind::NotUtf8, e.valid_up_to() as u64))?;
        let inner = quick_xml::Reader::from_reader(source.as_bytes());
        Ok(Self {
            inner,
            source,
            name: "",
            depth: 0,
            max_depth,
        })
    }

    fn error(&self, kind: XmlErrorKind) -> XmlError {
        XmlError::new(kind, self.inner.buffer_position())
    }

    /// `bytes`, a part of the body that an event borrows, as a slice of the
    /// checked source. quick-xml cuts the body only at ASCII delimiters, so
    /// both ends are character boundaries; `get` checks that in constant time.
    #[inline]
    fn view(&self, bytes: &[u8]) -> Result<&'a str, XmlError> {
        let start = (bytes.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize);
        start
            .checked_add(bytes.len())
            .and_then(|end| self.source.get(start..end))
            .ok_or_else(|| {
                self.error(XmlErrorKind::Syntax(
                    "an XML event outside the body or between the bytes of a character".into(),
                ))
            })
    }

    // Inlined so callers match the event where quick-xml wrote it: as a call
    // it returned the event by copy (about 2% of a large parse).
    #[inline(always)]
    fn read(&mut self) -> Result<Event<'a>, XmlError> {
        match self.inner.read_event() {
            Ok(Event::DocType(_)) => Err(self.error(XmlErrorKind::DocType)),
            Ok(event) => Ok(event),
            Err(e) => Err(XmlError::new(
                XmlErrorKind::Syntax(e.to_string()),
                self.inner.error_position(),
            )),
        }
    }

    #[inline]
    fn enter(&mut self, qname: &[u8], empty: bool) -> Result<Node, XmlError> {
        self.name = self.view(local(qname))?;
        if empty {
            return Ok(Node {
                depth: self.depth + 1,
                empty: true,
            });
        }
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.error(XmlErrorKind::TooDeep {
                limit: self.max_depth,
            }));
        }
        Ok(Node {
            depth: self.depth,
            empty: false,
        })
    }

    /// Moves to the root element, skipping the declaration, comments and whitespace.
    pub fn root(&mut self) -> Result<Node, XmlError> {
        loop {
            match self.read()? {
                Event::Start(start) => return self.enter(start.name().as_ref(), false),
                Event::Empty(start) => return self.enter(start.name().as_ref(), true),
                Event::Eof => return Err(self.error(XmlErrorKind::UnexpectedEof)),
                Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Text(_)
                | Event::CData(_)
                | Event::GeneralRef(_)
                | Event::End(_)
                | Event::DocType(_) => {
                    return Err(
                        self.error(XmlErrorKind::Syntax("text before the root element".into()))
                    );
                }
            }
        }
    }

    /// Local name of the element most recently entered (by [`root`](Self::root) or
    /// [`next_child`](Self::next_child)).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The next child element of `parent`, or `None` once `parent` ends.
    /// Text between child elements is ignored.
    pub fn next_child(&mut self, parent: &Node) -> Result<Option<Node>, XmlError> {
        if parent.empty || self.depth < parent.depth {
            return Ok(None);
        }
        // Text between child elements is ignored, so quick-xml may skip the
        // indentation before the next tag without producing an event for it.
        self.inner.config_mut().trim_text_start = true;
        loop {
            match self.read()? {
                Event::Start(start) => return self.enter(start.name().as_ref(), false).map(Some),
                Event::Empty(start) => return self.enter(start.name().as_ref(), true).map(Some),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::Eof => return Err(self.error(XmlErrorKind::UnexpectedEof)),
                Event::GeneralRef(reference) => {
                    resolve(&reference).map_err(|kind| self.error(kind))?;
                }
                Event::Text(_)
                | Event::CData(_)
                | Event::Comment(_)
                | Event::PI(_)
                | Event::Decl(_)
                | Event::DocType(_) => {}
            }
        }
    }

    /// The text of a leaf element (entities decoded, CDATA kept), consuming it.
    /// An empty element gives `""`.
    pub fn text(&mut self, node: &Node) -> Result<Cow<'a, str>, XmlError> {
        if node.empty {
            return Ok(Cow::Borrowed(""));
        }
        // A value's leading whitespace is part of it.
        self.inner.config_mut().trim_text_start = false;
        // Nearly every leaf is one text event then the end tag: read those two
        // directly, and leave entities, CDATA and comments to `text_rest`.
        let first = match self.read()? {
            Event::Text(chunk) => normalize_line_ends(self.view(&chunk)?),
            Event::End(_) => {
                self.depth -= 1;
                return Ok(Cow::Borrowed(""));
            }
            other => return self.text_rest(Cow::Borrowed(""), other),
        };
        match self.read()? {
            Event::End(_) => {
                self.depth -= 1;
                Ok(first)
            }
            other => self.text_rest(first, other),
        }
    }

    /// The rest of [`text`](Self::text): `text` read so far, `event` the next event.
    fn text_rest(
        &mut self,
        mut text: Cow<'a, str>,
        mut event: Event<'a>,
    ) -> Result<Cow<'a, str>, XmlError> {
        loop {
            match event {
                Event::Text(chunk) => {
                    let chunk = self.view(&chunk)?;
                    append(&mut text, normalize_line_ends(chunk));
                }
                Event::CData(chunk) => {
                    let chunk = self.view(&chunk)?;
                    append(&mut text, Cow::Borrowed(chunk));
                }
                Event::GeneralRef(reference) => {
                    let c = resolve(&reference).map_err(|kind| self.error(kind))?;
                    text.to_mut().push(c);
                }
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(text);
                }
                Event::Start(_) | Event::Empty(_) => {
                    // `name` still holds this element's name: text() enters no child.
                    return Err(self.error(XmlErrorKind::UnexpectedElement {
                        parent: self.name.to_owned(),
                    }));
                }
                Event::Eof => return Err(self.error(XmlErrorKind::UnexpectedEof)),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
            event = self.read()?;
        }
    }

    /// Skips `node` and everything in it.
    pub fn skip(&mut self, node: &Node) -> Result<(), XmlError> {
        while let Some(child) = self.next_child(node)? {
            self.skip(&child)?;
        }
        Ok(())
    }

    /// A leaf's text, owned.
    pub fn read_string(&mut self, node: &Node) -> Result<String, XmlError> {
        self.text(node).map(Cow::into_owned)
    }

    /// A leaf's text parsed with `FromStr` (numbers, booleans); `expected` names the type in errors.
    pub fn read_parsed<T: std::str::FromStr>(
        &mut self,
        node: &Node,
        expected: &'static str,
    ) -> Result<T, XmlError> {
        let text = self.text(node)?;
        text.parse().map_err(|_| self.invalid(expected, &text))
    }

    /// A base64 leaf.
    pub fn read_blob(&mut self, node: &Node) -> Result<Vec<u8>, XmlError> {
        use base64::Engine as _;
        let text = self.text(node)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.trim().as_bytes())
            .map_err(|_| self.invalid("base64 data", &text))
    }

    /// A timestamp leaf in the given format.
    pub fn read_timestamp(
        &mut self,
        node: &Node,
        format: crate::TimestampFormat,
    ) -> Result<crate::DateTime, XmlError> {
        use crate::TimestampFormat;
        let text = self.text(node)?;
        let parsed = match format {
            TimestampFormat::DateTime => crate::DateTime::parse_rfc3339(&text),
            TimestampFormat::EpochSeconds => crate::DateTime::parse_epoch_seconds(&text),
            TimestampFormat::HttpDate => crate::DateTime::parse_http_date(&text),
        };
        let expected = match format {
            TimestampFormat::DateTime => "an RFC 3339 timestamp",
            TimestampFormat::EpochSeconds => "epoch seconds",
            TimestampFormat::HttpDate => "an HTTP date",
        };
        parsed.ok_or_else(|| self.invalid(expected, &text))
    }

    /// An enum leaf: any text is a value (unknown ones included).
    pub fn read_enum<T: for<'s> From<&'s str>>(&mut self, node: &Node) -> Result<T, XmlError> {
        Ok(T::from(self.text(node)?.as_ref()))
    }

    // The `*_into` readers below store a member's value in the builder
    // field generated `read_xml` functions pass them, one call per member:
    // the per-member code stays a call, not a copy of the read and its error
    // path. They are instantiated once per value type, not per member.

    /// The one member of a structure that has no other: the children of
    /// `node` named `key` read as `T` (the last one wins, as with
    /// [`read_into`](Self::read_into)), other children skipped.
    pub fn only_member<T: ReadXml>(
        &mut self,
        node: &Node,
        key: &str,
    ) -> Result<Option<T>, XmlError> {
        let mut slot = None;
        while let Some(child) = self.next_child(node)? {
            if self.name() == key {
                self.read_into(&child, &mut slot)?;
            } else {
                self.skip(&child)?;
            }
        }
        Ok(slot)
    }

    /// A member's element read as `T` into `slot`.
    pub fn read_into<T: ReadXml>(
        &mut self,
        node: &Node,
        slot: &mut Option<T>,
    ) -> Result<(), XmlError> {
        *slot = Some(T::read_xml(self, node)?);
        Ok(())
    }

    /// [`read_timestamp`](Self::read_timestamp) into `slot`, for a member
    /// whose format is not the default date-time.
    pub fn read_timestamp_into(
        &mut self,
        node: &Node,
        format: crate::TimestampFormat,
        slot: &mut Option<crate::DateTime>,
    ) -> Result<(), XmlError> {
        *slot = Some(self.read_timestamp(node, format)?);
        Ok(())
    }

    /// A wrapped list into `slot`: each child named `item` read as `T`,
    /// other children skipped.
    pub fn read_list_into<T: ReadXml>(
        &mut self,
        node: &Node,
        item: &str,
        slot: &mut Option<Vec<T>>,
    ) -> Result<(), XmlError> {
        let mut items = Vec::new();
        while let Some(child) = self.next_child(node)? {
            if self.name == item {
                items.push(T::read_xml(self, &child)?);
            } else {
                self.skip(&child)?;
            }
        }
        *slot = Some(items);
        Ok(())
    }

    /// One element of a flattened list, read as `T`, appended to `slot`.
    pub fn push_into<T: ReadXml>(
        &mut self,
        node: &Node,
        slot: &mut Option<Vec<T>>,
    ) -> Result<(), XmlError> {
        let item = T::read_xml(self, node)?;
        slot.get_or_insert_with(Vec::new).push(item);
        Ok(())
    }

    /// A wrapped map into `slot`: each `entry` child holds a `key` and a
    /// `value` element (named `key_name` and `value_name`).
    pub fn read_map_into<K: ReadXml + Hash + Eq, V: ReadXml>(
        &mut self,
        node: &Node,
        key_name: &str,
        value_name: &str,
        slot: &mut Option<IndexMap<K, V>>,
    ) -> Result<(), XmlError> {
        let mut entries = IndexMap::new();
        while let Some(child) = self.next_child(node)? {
            if self.name == "entry" {
                let (key, value) = self.read_entry(&child, key_name, value_name)?;
                entries.insert(key, value);
            } else {
                self.skip(&child)?;
            }
        }
        *slot = Some(entries);
        Ok(())
    }

    /// One entry of a flattened map, inserted into `slot`.
    pub fn insert_into<K: ReadXml + Hash + Eq, V: ReadXml>(
        &mut self,
        node: &Node,
        key_name: &str,
        value_name: &str,
        slot: &mut Option<IndexMap<K, V>>,
    ) -> Result<(), XmlError> {
        let (key, value) = self.read_entry(node, key_name, value_name)?;
        slot.get_or_insert_with(IndexMap::new).insert(key, value);
        Ok(())
    }

    /// A map entry's key and value; both must be there.
    pub fn read_entry<K: ReadXml, V: ReadXml>(
        &mut self,
        node: &Node,
        key_name: &str,
        value_name: &str,
    ) -> Result<(K, V), XmlError> {
        let (mut key, mut value) = (None, None);
        while let Some(child) = self.next_child(node)? {
            if self.name == key_name {
                key = Some(K::read_xml(self, &child)?);
            } else if self.name == value_name {
                value = Some(V::read_xml(self, &child)?);
            } else {
                self.skip(&child)?;
            }
        }
        match (key, value) {
            (Some(key), Some(value)) => Ok((key, value)),
            _ => Err(self.error(XmlErrorKind::Missing {
                detail: "a map entry without a key or a value".into(),
            })),
        }
    }

    /// The error for a structure that lacks a required member.
    pub fn missing(&self, problem: crate::BuildError) -> XmlError {
        self.error(XmlErrorKind::Missing {
            detail: problem.to_string(),
        })
    }

    /// An [`XmlErrorKind::InvalidValue`] error for the element just read.
    fn invalid(&self, expected: &'static str, found: &str) -> XmlError {
        let found: String = found.chars().take(64).collect();
        self.error(XmlErrorKind::InvalidValue {
            element: self.name.to_owned(),
            expected,
            found,
        })
    }

    /// An error of any kind at the current position.
    pub fn fail(&self, kind: XmlErrorKind) -> XmlError {
        self.error(kind)
    }
}

/// A value that generated parsers read from one element: a structure or
/// union (from its child elements), an enum, or a leaf. Generated types
/// implement it; this crate implements it for the leaves, with awsQuery's
/// defaults (base64 blobs, RFC 3339 timestamps).
pub trait ReadXml: Sized {
    /// Reads the value from `node`, consuming it.
    fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError>;
}

impl ReadXml for String {
    fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError> {
        reader.read_string(node)
    }
}

/// Leaves read with `FromStr`; the text names the type in errors.
macro_rules! read_parsed {
    ($($ty:ty => $expected:literal),* $(,)?) => {$(
        impl ReadXml for $ty {
            fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError> {
                reader.read_parsed(node, $expected)
            }
        }
    )*};
}

read_parsed! {
    bool => "a boolean",
    i8 => "an 8-bit integer",
    i16 => "a 16-bit integer",
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    f32 => "a float",
    f64 => "a double",
    crate::BigInteger => "an integer",
    crate::BigDecimal => "a decimal",
}

impl ReadXml for Vec<u8> {
    fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError> {
        reader.read_blob(node)
    }
}

impl ReadXml for crate::DateTime {
    fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError> {
        reader.read_timestamp(node, crate::TimestampFormat::DateTime)
    }
}

impl<T: crate::StringEnum> ReadXml for T {
    fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError> {
        reader.read_enum(node)
    }
}

#[inline]
fn append<'a>(text: &mut Cow<'a, str>, chunk: Cow<'a, str>) {
    if text.is_empty() {
        *text = chunk;
    } else {
        text.to_mut().push_str(&chunk);
    }
}

/// The character an entity or character reference stands for.
fn resolve(reference: &quick_xml::events::BytesRef<'_>) -> Result<char, XmlErrorKind> {
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err(XmlErrorKind::UnknownEntity(
                String::from_utf8_lossy(reference)
                    .chars()
                    .take(32)
                    .collect(),
            )),
        };
    }
    match &**reference {
        b"lt" => Ok('<'),
        b"gt" => Ok('>'),
        b"amp" => Ok('&'),
        b"quot" => Ok('"'),
        b"apos" => Ok('\''),
        other => Err(XmlErrorKind::UnknownEntity(
            String::from_utf8_lossy(other).chars().take(32).collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_children_by_local_name_and_decodes_text() {
        let body = br#"<?xml version="1.0"?>
<p:Root xmlns:p="urn:x"><p:A>x &amp; y &#65;&#x42;</p:A><B/><C><![CDATA[<raw>]]></C><Skip><Deep><Deeper/></Deep></Skip><D>  </D></p:Root>"#;
        let mut r = XmlReader::new(body).unwrap();
        let root = r.root().unwrap();
        assert_eq!(r.name(), "Root");
        let mut seen = Vec::new();
        while let Some(child) = r.next_child(&root).unwrap() {
            let name = r.name().to_owned();
            match name.as_str() {
                "Skip" => r.skip(&child).unwrap(),
                _ => seen.push((name, r.text(&child).unwrap().into_owned())),
            }
        }
        let expected: Vec<(String, String)> =
            [("A", "x & y AB"), ("B", ""), ("C", "<raw>"), ("D", "  ")]
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn indentation_is_skipped_but_values_keep_their_whitespace() {
        // Between elements the reader trims text; inside a leaf it must not.
        let body = b"<R>\n  <A>  two leading</A>\n\t<B>\n line\n</B>\r\n  <C> </C>\n</R>\n";
        let mut r = XmlReader::new(body).unwrap();
        let root = r.root().unwrap();
        let mut seen = Vec::new();
        while let Some(child) = r.next_child(&root).unwrap() {
            let name = r.name().to_owned();
            seen.push((name, r.text(&child).unwrap().into_owned()));
        }
        let seen: Vec<(&str, &str)> = seen.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            seen,
            [("A", "  two leading"), ("B", "\n line\n"), ("C", " ")]
        );
    }

    #[test]
    fn line_ends_read_as_newlines_and_non_ascii_is_kept() {
        // A byte-order mark, prefixed and non-ASCII names, multi-byte text
        // next to entities, and the three spellings of a line end.
        let body = "\u{feff}<é:Rôot><Ünï>a\r\nb\rc\nd</Ünï><x:Wörd>naïve &amp; ✓</x:Wörd><C><![CDATA[ü]]></C></é:Rôot>";
        let mut r = XmlReader::new(body.as_bytes()).unwrap();
        let root = r.root().unwrap();
        assert_eq!(r.name(), "Rôot");
        let mut seen = Vec::new();
        while let Some(child) = r.next_child(&root).unwrap() {
            let name = r.name();
            seen.push((name, r.text(&child).unwrap().into_owned()));
        }
        assert_eq!(
            seen,
            [
                ("Ünï", "a\nb\nc\nd".to_owned()),
                ("Wörd", "naïve & ✓".to_owned()),
                ("C", "ü".to_owned())
            ]
        );
        for text in [
            "",
            "a",
            "abcdefg:",
            "abcdefgh",
            "abcdefgh:",
            ":abcdefgh",
            "ab:cdefghijklmnop",
        ] {
            for byte in [b':', b'\r', 0x80, 0xff, 0] {
                assert_eq!(
                    holds(text.as_bytes(), byte),
                    text.as_bytes().contains(&byte)
                );
            }
        }
        assert!(holds(&[0x3a; 16], b':') && !holds(&[0x3b; 17], b':'));
        assert!(holds(
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00],
            0x00
        ));
        assert!(!holds(
            &[0x01, 0x81, 0xff, 0x7f, 0x02, 0x80, 0xfe, 0x3b, 0x39],
            b':'
        ));
        assert_eq!(normalize_line_ends("\r"), "\n");
        assert_eq!(normalize_line_ends("\r\r\n\n"), "\n\n\n");
        assert!(matches!(
            normalize_line_ends("plain"),
            Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn member_readers_fill_builder_slots() {
        let body = "<R><S>a</S><N>7</N><L><m>x</m><other/><m>y</m></L><F>1</F><F>2</F>\
                    <M><entry><k>a</k><v>true</v></entry></M><E><k>b</k><v>false</v></E>\
                    <T>2015-01-25T08:00:00Z</T></R>";
        let mut reader = XmlReader::new(body.as_bytes()).unwrap();
        let root = reader.root().unwrap();
        let (mut s, mut n, mut l, mut f) = (
            None::<String>,
            None::<i32>,
            None::<Vec<String>>,
            None::<Vec<i64>>,
        );
        let (mut m, mut t) = (None::<IndexMap<String, bool>>, None::<crate::DateTime>);
        while let Some(child) = reader.next_child(&root).unwrap() {
            match reader.name() {
                "S" => reader.read_into(&child, &mut s),
                "N" => reader.read_into(&child, &mut n),
                "L" => reader.read_list_into(&child, "m", &mut l),
                "F" => reader.push_into(&child, &mut f),
                "M" => reader.read_map_into(&child, "k", "v", &mut m),
                "E" => reader.insert_into(&child, "k", "v", &mut m),
                "T" => reader.read_into(&child, &mut t),
                _ => reader.skip(&child),
            }
            .unwrap();
        }
        assert_eq!(s.as_deref(), Some("a"));
        assert_eq!(n, Some(7));
        assert_eq!(l, Some(vec!["x".to_owned(), "y".to_owned()]));
        assert_eq!(f, Some(vec![1, 2]));
        let m = m.unwrap();
        assert_eq!((m.get("a"), m.get("b")), (Some(&true), Some(&false)));
        assert_eq!(t.map(|t| t.secs()), Some(1_422_172_800));
    }

    #[test]
    fn the_only_member_skips_other_children_and_the_last_one_wins() {
        let body =
            "<E><Code>x</Code><message>first</message><Nested><message>no</message></Nested>\
                    <message>last</message></E>";
        let mut reader = XmlReader::new(body.as_bytes()).unwrap();
        let root = reader.root().unwrap();
        let message: Option<String> = reader.only_member(&root, "message").unwrap();
        assert_eq!(message.as_deref(), Some("last"));
        // The reader is past the element: nothing of it is left to read.
        assert!(reader.next_child(&root).unwrap().is_none());

        let mut reader = XmlReader::new(b"<E><Other>1</Other></E>").unwrap();
        let root = reader.root().unwrap();
        assert_eq!(
            reader.only_member::<String>(&root, "message").unwrap(),
            None
        );

        let mut reader = XmlReader::new(b"<E><N>seven</N></E>").unwrap();
        let root = reader.root().unwrap();
        let error = reader.only_member::<i32>(&root, "N").unwrap_err();
        assert!(error.to_string().contains("seven"), "{error}");
    }

    #[test]
    fn a_map_entry_needs_a_key_and_a_value() {
        let mut reader = XmlReader::new(b"<M><entry><k>a</k></entry></M>").unwrap();
        let root = reader.root().unwrap();
        let mut m = None::<IndexMap<String, String>>;
        let err = reader.read_map_into(&root, "k", "v", &mut m).unwrap_err();
        assert!(
            matches!(err.kind(), XmlErrorKind::Missing { .. }),
            "{err:?}"
        );
        let mut reader = XmlReader::new(b"<N>seven</N>").unwrap();
        let root = reader.root().unwrap();
        let err = reader.read_into(&root, &mut None::<i32>).unwrap_err();
        assert!(
            matches!(err.kind(), XmlErrorKind::InvalidValue { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn refuses_doctype_unknown_entities_and_deep_nesting() {
        let doctype = br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>"#;
        assert_eq!(
            XmlReader::new(doctype).unwrap().root().unwrap_err().kind(),
            &XmlErrorKind::DocType
        );

        let mut r = XmlReader::new(b"<r><a>&nope;</a></r>").unwrap();
        let root = r.root().unwrap();
        let a = r.next_child(&root).unwrap().unwrap();
        assert_eq!(
            r.text(&a).unwrap_err().kind(),
            &XmlErrorKind::UnknownEntity("nope".into())
        );

        let deep = format!("{}{}", "<a>".repeat(10), "</a>".repeat(10));
        let mut r = XmlReader::with_limits(deep.as_bytes(), 1024, 5).unwrap();
        let root = r.root().unwrap();
        let err = r.skip(&root).unwrap_err();
        assert_eq!(err.kind(), &XmlErrorKind::TooDeep { limit: 5 });
    }

    #[test]
    fn truncated_and_non_xml_bodies_are_errors() {
        let mut r = XmlReader::new(b"<r><a>text").unwrap();
        let root = r.root().unwrap();
        let a = r.next_child(&root).unwrap().unwrap();
        assert!(r.text(&a).is_err());
        assert_eq!(
            XmlReader::new(b"").unwrap().root().unwrap_err().kind(),
            &XmlErrorKind::UnexpectedEof
        );
        assert!(XmlReader::new(b"not xml at all").unwrap().root().is_err());
        let err = XmlReader::new(b"<r>\xff\xfe</r>").unwrap_err();
        assert_eq!((err.kind(), err.offset()), (&XmlErrorKind::NotUtf8, 3));
        assert_eq!(
            XmlReader::with_limits(b"<r/>", 2, 8).unwrap_err().kind(),
            &XmlErrorKind::TooLarge { limit: 2 }
        );
    }
}
