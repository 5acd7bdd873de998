//! The success document: `<{Op}Response>` with the output in `<{Op}Result>`
//! and the request id in `<ResponseMetadata>`.

use crate::xml::{Node, XmlError, XmlErrorKind, XmlReader};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
