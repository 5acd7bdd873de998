//! The error document, `<ErrorResponse><Error>…</Error></ErrorResponse>`, and
//! the traits through which generated error types are read from it: a
//! modeled error structure implements [`ModeledError`], an operation's error
//! enum [`OperationError`], and [`parse_error`] picks the variant by `Code`.

use crate::xml::{Node, XmlError, XmlErrorKind, XmlReader};

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
}
