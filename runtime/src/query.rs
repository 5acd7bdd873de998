//! The awsQuery request body: `application/x-www-form-urlencoded` pairs.
//!
//! Generated serializers drive a [`QueryWriter`]: they push key segments
//! (`CustomerNodeEndpointList`, `member`, `1`, `Address`), write a value,
//! and truncate the key back. Values are percent-encoded with the RFC 3986
//! unreserved set and uppercase hex, as the AWS SDKs do (space is `%20`).

use base64::Engine as _;

use crate::xml::{Node, XmlError, XmlErrorKind, XmlReader};
use crate::{DateTime, IndexMap};

pub use crate::date_time::TimestampFormat;

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
        push_float(&mut self.out, value);
    }

    /// A `float`, formatted as an `f32` so no digits appear that the value does not have.
    pub fn float(&mut self, value: f32) {
        self.pair();
        push_float(&mut self.out, value);
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

/// A parsed successful response: the operation's output and the request id.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResponse<T> {
    /// The typed output.
    pub output: T,
    /// `ResponseMetadata/RequestId`, if the service sent one.
    pub request_id: Option<String>,
}

/// Reads `<ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>`.
pub fn read_response_metadata(
    reader: &mut XmlReader<'_>,
    node: &Node,
) -> Result<Option<String>, XmlError> {
    let mut request_id = None;
    while let Some(child) = reader.next_child(node)? {
        if reader.name() == "RequestId" {
            request_id = Some(reader.read_string(&child)?);
        } else {
            reader.skip(&child)?;
        }
    }
    Ok(request_id)
}

/// A success document `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…`
/// opened at its root. Generated parsers read the Result element with
/// [`result`](Self::result) and the rest with [`finish`](Self::finish); the
/// walk lives here, once, rather than in a generic function per operation.
#[derive(Debug)]
pub struct ResponseDocument<'a> {
    reader: XmlReader<'a>,
    root: Node,
    result_name: String,
    result_seen: bool,
    request_id: Option<String>,
}

impl<'a> ResponseDocument<'a> {
    /// Checks the root element is `<{operation}Response>`.
    pub fn open(body: &'a [u8], operation: &str) -> Result<Self, XmlError> {
        let mut reader = XmlReader::new(body)?;
        let root = reader.root()?;
        let expected_root = format!("{operation}Response");
        if reader.name() != expected_root {
            return Err(reader.fail(XmlErrorKind::WrongRoot {
                expected: expected_root,
                found: reader.name().to_owned(),
            }));
        }
        Ok(Self {
            reader,
            root,
            result_name: format!("{operation}Result"),
            result_seen: false,
            request_id: None,
        })
    }

    /// The `{Op}Result` element, to read (or skip) through
    /// [`reader`](Self::reader) before [`finish`](Self::finish), or `None`
    /// when the document has none. Reads `ResponseMetadata` and skips other
    /// elements on the way.
    pub fn result(&mut self) -> Result<Option<Node>, XmlError> {
        self.walk(true)
    }

    /// The reader, positioned in the element [`result`](Self::result) returned.
    pub fn reader(&mut self) -> &mut XmlReader<'a> {
        &mut self.reader
    }

    /// Reads the rest of the document (a second Result element is skipped)
    /// and returns `ResponseMetadata/RequestId`, if the service sent one.
    pub fn finish(mut self) -> Result<Option<String>, XmlError> {
        self.walk(false)?;
        Ok(self.request_id)
    }

    fn walk(&mut self, stop_at_result: bool) -> Result<Option<Node>, XmlError> {
        while let Some(child) = self.reader.next_child(&self.root)? {
            if self.reader.name() == self.result_name {
                if stop_at_result && !self.result_seen {
                    self.result_seen = true;
                    return Ok(Some(child));
                }
                self.reader.skip(&child)?;
            } else if self.reader.name() == "ResponseMetadata" {
                self.request_id = read_response_metadata(&mut self.reader, &child)?;
            } else {
                self.reader.skip(&child)?;
            }
        }
        Ok(None)
    }
}

/// The generic part of an awsQuery error document:
/// `<ErrorResponse><Error><Type/><Code/><Message/>…</Error><RequestId/></ErrorResponse>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// `Error/Code`: identifies the modeled error.
    pub code: Option<String>,
    /// `Error/Message`.
    pub message: Option<String>,
    /// `Error/Type` (`Sender` or `Receiver`).
    pub error_type: Option<String>,
    /// `RequestId`.
    pub request_id: Option<String>,
}

fn expect_error_root(reader: &mut XmlReader<'_>) -> Result<Node, XmlError> {
    let root = reader.root()?;
    if reader.name() != "ErrorResponse" {
        return Err(reader.fail(XmlErrorKind::WrongRoot {
            expected: "ErrorResponse".into(),
            found: reader.name().to_owned(),
        }));
    }
    Ok(root)
}

impl ErrorEnvelope {
    /// Reads the envelope of an error body.
    pub fn parse(body: &[u8]) -> Result<Self, XmlError> {
        let mut reader = XmlReader::new(body)?;
        let root = expect_error_root(&mut reader)?;
        let mut envelope = Self::default();
        while let Some(child) = reader.next_child(&root)? {
            match reader.name() {
                "Error" => {
                    while let Some(field) = reader.next_child(&child)? {
                        match reader.name() {
                            "Code" => envelope.code = Some(reader.read_string(&field)?),
                            "Message" => envelope.message = Some(reader.read_string(&field)?),
                            "Type" => envelope.error_type = Some(reader.read_string(&field)?),
                            _ => reader.skip(&field)?,
                        }
                    }
                }
                "RequestId" => envelope.request_id = Some(reader.read_string(&child)?),
                _ => reader.skip(&child)?,
            }
        }
        Ok(envelope)
    }
}

/// The `<Error>` element of an error body, and a reader positioned in it:
/// generated error readers read their members from there.
pub fn error_element(body: &[u8]) -> Result<(XmlReader<'_>, Node), XmlError> {
    let mut reader = XmlReader::new(body)?;
    let root = expect_error_root(&mut reader)?;
    while let Some(child) = reader.next_child(&root)? {
        if reader.name() == "Error" {
            return Ok((reader, child));
        }
        reader.skip(&child)?;
    }
    Err(reader.fail(XmlErrorKind::Missing {
        detail: "the error document has no <Error> element".into(),
    }))
}

/// The error `Code` of an operation's error type, which decides whether a
/// failed call is worth retrying.
pub trait ErrorCode {
    /// The error code, if known.
    fn code(&self) -> Option<&str>;
}

/// What a variant of an operation's error enum holds: a modeled error
/// structure or an [`UnhandledError`].
pub trait CodedError: ErrorCode + std::error::Error + Send + Sync + 'static {}

impl<T: ErrorCode + std::error::Error + Send + Sync + 'static> CodedError for T {}

/// A generated error structure: its code, and how it is read from an error body.
pub trait ModeledError: crate::xml::ReadXml {
    /// The error code the service sends (`Code` in the error document).
    const CODE: &'static str;

    /// The optional string member that the envelope's `<Message>` fills when
    /// the shape's own element is absent; `None` for shapes without one.
    fn message_mut(&mut self) -> Option<&mut Option<String>> {
        None
    }

    /// Reads the error from a body whose envelope was already read.
    fn read_error_body(body: &[u8], envelope: &ErrorEnvelope) -> Result<Self, XmlError> {
        let (mut reader, node) = error_element(body)?;
        let mut error = Self::read_xml(&mut reader, &node)?;
        if let Some(message) = error.message_mut() {
            if message.is_none() {
                message.clone_from(&envelope.message);
            }
        }
        Ok(error)
    }
}

impl<E: ModeledError> ErrorCode for E {
    fn code(&self) -> Option<&str> {
        Some(E::CODE)
    }
}

impl ErrorCode for UnhandledError {
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

/// A generated operation error enum: one variant per modeled error the
/// operation may return, and `Unhandled`. [`parse_error`] reads one from a
/// response through it.
pub trait OperationError: Sized {
    /// The variant whose error has the body's code, read from the body, or
    /// `None` when no variant has that code.
    fn read_modeled(error: &ErrorBody<'_>) -> Option<Result<Self, XmlError>>;

    /// The `Unhandled` variant.
    fn unhandled(error: Box<UnhandledError>) -> Self;

    /// The error the variant holds.
    fn as_error(&self) -> &dyn CodedError;
}

/// An error body whose envelope was read and has a code: what
/// [`OperationError::read_modeled`] picks a variant from.
#[derive(Debug)]
pub struct ErrorBody<'a> {
    code: &'a str,
    body: &'a [u8],
    envelope: &'a ErrorEnvelope,
}

impl ErrorBody<'_> {
    /// The error code the body carries.
    pub fn code(&self) -> &str {
        self.code
    }

    /// The error `E` made into a variant, if the body carries `E`'s code.
    pub fn read<E: ModeledError, T>(
        &self,
        variant: impl FnOnce(E) -> T,
    ) -> Option<Result<T, XmlError>> {
        (self.code == E::CODE).then(|| E::read_error_body(self.body, self.envelope).map(variant))
    }
}

/// Parses a non-2xx response body into an operation's error: the `Code`
/// picks the variant; an unknown code, or a body that cannot be read, is
/// `Unhandled`.
pub fn parse_error<E: OperationError>(status: u16, body: &[u8]) -> E {
    let envelope = match ErrorEnvelope::parse(body) {
        Ok(envelope) => envelope,
        Err(problem) => return E::unhandled(UnhandledError::boxed(status, body, Err(problem))),
    };
    let read = envelope.code.as_deref().and_then(|code| {
        E::read_modeled(&ErrorBody {
            code,
            body,
            envelope: &envelope,
        })
    });
    match read {
        Some(Ok(error)) => error,
        // One place turns an unreadable modeled error into `Unhandled`.
        Some(Err(problem)) => E::unhandled(UnhandledError::boxed(status, body, Err(problem))),
        None => E::unhandled(UnhandledError::boxed(status, body, Ok(envelope))),
    }
}

/// How generated error structures display: the code, then the message if any.
pub fn fmt_error(
    code: &str,
    message: Option<&str>,
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    f.write_str(code)?;
    if let Some(message) = message {
        write!(f, ": {message}")?;
    }
    Ok(())
}

/// An error response the model does not describe, or could not be read: everything known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnhandledError {
    /// `Code`, when the body had one.
    pub code: Option<String>,
    /// `Message`, when the body had one.
    pub message: Option<String>,
    /// `RequestId`, when the body had one.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// The start of the body (at most 256 characters), to see what came back.
    pub body_excerpt: String,
    /// Why the body could not be read as an error document, if it could not.
    pub parse_error: Option<XmlError>,
}

impl UnhandledError {
    /// Builds the error from what could be read of the body.
    pub fn new(status: u16, body: &[u8], envelope: Result<ErrorEnvelope, XmlError>) -> Self {
        let excerpt: String = String::from_utf8_lossy(body).chars().take(256).collect();
        match envelope {
            Ok(e) => Self {
                code: e.code,
                message: e.message,
                request_id: e.request_id,
                status,
                body_excerpt: excerpt,
                parse_error: None,
            },
            Err(e) => Self {
                code: None,
                message: None,
                request_id: None,
                status,
                body_excerpt: excerpt,
                parse_error: Some(e),
            },
        }
    }

    /// [`new`](Self::new), boxed: what an operation's `Unhandled` variant holds.
    pub fn boxed(status: u16, body: &[u8], envelope: Result<ErrorEnvelope, XmlError>) -> Box<Self> {
        Box::new(Self::new(status, body, envelope))
    }
}

impl std::fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(problem) = &self.parse_error {
            write!(
                f,
                " (unreadable error body: {problem}; body starts {:?})",
                self.body_excerpt
            )?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.parse_error.as_ref().map(|e| e as _)
    }
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

    /// A stand-in for a generated error structure and operation error enum.
    #[derive(Debug, Clone, PartialEq)]
    struct Fault {
        message: Option<String>,
        detail: Option<String>,
    }

    impl std::fmt::Display for Fault {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            fmt_error(<Self as ModeledError>::CODE, self.message.as_deref(), f)
        }
    }

    impl std::error::Error for Fault {}

    impl crate::xml::ReadXml for Fault {
        fn read_xml(reader: &mut XmlReader<'_>, node: &Node) -> Result<Self, XmlError> {
            let (mut message, mut detail) = (None, None);
            while let Some(child) = reader.next_child(node)? {
                match reader.name() {
                    "message" => reader.read_into(&child, &mut message),
                    "Detail" => reader.read_into(&child, &mut detail),
                    _ => reader.skip(&child),
                }?;
            }
            Ok(Self { message, detail })
        }
    }

    impl ModeledError for Fault {
        const CODE: &'static str = "Fault";
        fn message_mut(&mut self) -> Option<&mut Option<String>> {
            Some(&mut self.message)
        }
    }

    #[derive(Debug)]
    enum OpError {
        Fault(Fault),
        Unhandled(Box<UnhandledError>),
    }

    impl OperationError for OpError {
        fn read_modeled(error: &ErrorBody<'_>) -> Option<Result<Self, XmlError>> {
            error.read(Self::Fault)
        }
        fn unhandled(error: Box<UnhandledError>) -> Self {
            Self::Unhandled(error)
        }
        fn as_error(&self) -> &dyn CodedError {
            match self {
                Self::Fault(error) => error,
                Self::Unhandled(error) => &**error,
            }
        }
    }

    fn error_body(code: &str, inner: &str) -> String {
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>from the envelope</Message>{inner}</Error><RequestId>r-1</RequestId></ErrorResponse>"
        )
    }

    #[test]
    fn parse_error_picks_the_variant_by_code_and_fills_the_message() {
        let body = error_body("Fault", "<Detail>d</Detail>");
        let OpError::Fault(fault) = parse_error::<OpError>(400, body.as_bytes()) else {
            panic!("not the modeled error");
        };
        assert_eq!(fault.detail.as_deref(), Some("d"));
        assert_eq!(fault.message.as_deref(), Some("from the envelope"));
        assert_eq!(fault.to_string(), "Fault: from the envelope");

        // The shape's own element wins over the envelope's.
        let body = error_body("Fault", "<message>own</message>");
        let error = parse_error::<OpError>(400, body.as_bytes());
        assert_eq!(ErrorCode::code(error.as_error()), Some("Fault"));
        assert_eq!(error.as_error().to_string(), "Fault: own");
    }

    #[test]
    fn parse_error_keeps_what_it_cannot_match_as_unhandled() {
        let body = error_body("Other", "");
        let OpError::Unhandled(unhandled) = parse_error::<OpError>(503, body.as_bytes()) else {
            panic!("an unknown code is unhandled");
        };
        assert_eq!(unhandled.code.as_deref(), Some("Other"));
        assert_eq!(unhandled.request_id.as_deref(), Some("r-1"));
        assert!(unhandled.parse_error.is_none());

        // A modeled code with an unreadable body, and a body that is no error document.
        let body = error_body("Fault", "<Detail><x/></Detail>");
        let OpError::Unhandled(unhandled) = parse_error::<OpError>(400, body.as_bytes()) else {
            panic!("an unreadable modeled error is unhandled");
        };
        assert!(unhandled.parse_error.is_some());
        let OpError::Unhandled(unhandled) = parse_error::<OpError>(502, b"<html>") else {
            panic!("not an error document");
        };
        assert_eq!(unhandled.status, 502);
        assert!(unhandled.parse_error.is_some());
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
    fn reads_error_envelopes_and_keeps_what_it_cannot_read() {
        let body = br#"<ErrorResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/"><Error><Type>Sender</Type><Code>ReplicationGroupNotFoundFault</Code><Message>ReplicationGroup my-rg not found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"#;
        let envelope = ErrorEnvelope::parse(body).unwrap();
        assert_eq!(
            envelope.code.as_deref(),
            Some("ReplicationGroupNotFoundFault")
        );
        assert_eq!(
            envelope.message.as_deref(),
            Some("ReplicationGroup my-rg not found.")
        );
        assert_eq!(envelope.error_type.as_deref(), Some("Sender"));
        assert_eq!(envelope.request_id.as_deref(), Some("req-1"));

        let html = b"<html><body><h1>500 Internal Server Error</h1></body></html>";
        let unhandled = UnhandledError::new(500, html, ErrorEnvelope::parse(html));
        assert_eq!(unhandled.status, 500);
        assert!(unhandled.body_excerpt.contains("500 Internal Server Error"));
        let shown = unhandled.to_string();
        assert!(shown.starts_with("HTTP 500 (unreadable error body: expected root element <ErrorResponse>, found <html>"), "{shown}");
    }

    #[test]
    fn response_documents_yield_the_first_result_and_the_request_id() {
        let body = b"<OpResponse xmlns=\"urn:x\"><Other><A/></Other>\
            <OpResult><V>1</V></OpResult><OpResult><V>2</V></OpResult>\
            <ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></OpResponse>";
        let mut document = ResponseDocument::open(body, "Op").unwrap();
        let node = document.result().unwrap().unwrap();
        let reader = document.reader();
        let child = reader.next_child(&node).unwrap().unwrap();
        assert_eq!(
            (reader.name(), reader.read_string(&child).unwrap().as_str()),
            ("V", "1")
        );
        assert!(reader.next_child(&node).unwrap().is_none());
        // The second Result is skipped; the metadata after it is still read.
        assert_eq!(document.finish().unwrap().as_deref(), Some("rid"));

        let mut empty = ResponseDocument::open(b"<OpResponse/>", "Op").unwrap();
        assert!(empty.result().unwrap().is_none());
        assert_eq!(empty.finish().unwrap(), None);

        let wrong = ResponseDocument::open(b"<OtherResponse/>", "Op").unwrap_err();
        assert!(matches!(wrong.kind(), XmlErrorKind::WrongRoot { .. }));
        let truncated = ResponseDocument::open(b"<OpResponse><OpResult>", "Op").unwrap();
        assert!(truncated.finish().is_err());
    }

    #[test]
    fn error_element_finds_the_error_or_says_it_is_missing() {
        let (mut reader, node) = error_element(
            b"<ErrorResponse><RequestId>r</RequestId><Error><Code>C</Code></Error></ErrorResponse>",
        )
        .unwrap();
        let child = reader.next_child(&node).unwrap().unwrap();
        assert_eq!(
            (reader.name(), reader.read_string(&child).unwrap().as_str()),
            ("Code", "C")
        );
        let missing = error_element(b"<ErrorResponse><RequestId>r</RequestId></ErrorResponse>");
        assert!(matches!(
            missing.unwrap_err().kind(),
            XmlErrorKind::Missing { .. }
        ));
        let wrong = error_element(b"<Response/>").unwrap_err();
        assert!(matches!(wrong.kind(), XmlErrorKind::WrongRoot { .. }));
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
