//! Error responses: the `<ErrorResponse>` document of a modeled error or of
//! an [`UnhandledError`].

use super::{WriteXml, XmlWriter};
use crate::query::{ModeledError, UnhandledError};

/// A generated error structure (or [`UnhandledError`])
/// as the service answers it.
pub trait ErrorResponse {
    /// The HTTP status and the `<ErrorResponse>` document, in the service's
    /// XML `namespace` (an [`UnhandledError`] is written without one).
    fn to_response(&self, namespace: Option<&str>, request_id: &str) -> (u16, String);
}

/// What a generated error structure tells the server side beyond its code
/// and members; [`ErrorResponse`] follows from it.
pub trait ServerError: ModeledError + WriteXml {
    /// `Sender` when the caller is at fault, `Receiver` when the service is.
    const FAULT: &'static str;
    /// The HTTP status the service answers with.
    const HTTP_STATUS: u16;

    /// The message, which travels in `<Message>` rather than with the other
    /// members; `None` for shapes without one.
    fn message(&self) -> Option<&str> {
        None
    }
}

impl<E: ServerError> ErrorResponse for E {
    fn to_response(&self, namespace: Option<&str>, request_id: &str) -> (u16, String) {
        let body = error_response(
            namespace,
            E::FAULT,
            E::CODE,
            self.message(),
            self,
            request_id,
        );
        (E::HTTP_STATUS, body)
    }
}

impl ErrorResponse for UnhandledError {
    fn to_response(&self, _namespace: Option<&str>, request_id: &str) -> (u16, String) {
        (self.status, self.to_response_body(request_id))
    }
}

/// The `<ErrorResponse>` document of a modeled error: `fault` is `Sender` or
/// `Receiver`; the message travels in `<Message>`, the other members after it.
pub fn error_response<T: WriteXml>(
    namespace: Option<&str>,
    fault: &str,
    code: &str,
    message: Option<&str>,
    members: &T,
    request_id: &str,
) -> String {
    let mut writer = XmlWriter::new();
    writer.start("ErrorResponse", namespace);
    writer.start("Error", None);
    writer.element("Type", fault);
    writer.element("Code", code);
    writer.member("Message", message);
    members.write_xml(&mut writer);
    writer.end("Error");
    writer.element("RequestId", request_id);
    writer.end("ErrorResponse");
    writer.finish()
}

impl UnhandledError {
    /// Server side: an `<ErrorResponse>` with this error's code and message.
    pub fn to_response_body(&self, request_id: &str) -> String {
        let mut writer = XmlWriter::new();
        writer.start("ErrorResponse", None);
        writer.start("Error", None);
        writer.element(
            "Type",
            if self.status >= 500 {
                "Receiver"
            } else {
                "Sender"
            },
        );
        if let Some(code) = &self.code {
            writer.element("Code", code);
        }
        if let Some(message) = &self.message {
            writer.element("Message", message);
        }
        writer.end("Error");
        writer.element("RequestId", request_id);
        writer.end("ErrorResponse");
        writer.finish()
    }
}
