//! Error responses: the `<ErrorResponse>` document of a modeled error or of
//! an [`UnhandledError`].

use super::{WriteXml, XmlWriter};
use crate::query::UnhandledError;

/// A generated error structure (or [`UnhandledError`])
/// as the service answers it.
pub trait ErrorResponse {
    /// The HTTP status and the `<ErrorResponse>` document.
    fn to_response(&self, request_id: &str) -> (u16, String);
}

impl ErrorResponse for UnhandledError {
    fn to_response(&self, request_id: &str) -> (u16, String) {
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
