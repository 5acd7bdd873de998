//! The server side of awsQuery: reading a form-urlencoded request into a
//! generated input, and writing the XML success and error documents.
//! Generated `ReadQuery`/`WriteXml` impls drive these, so a test (or a server
//! stub) can parse what a client sends and answer as the service would.
//! Generated code names the items through the re-exports here.

mod error;
mod request;
mod response;

pub use error::{error_response, ErrorResponse, ServerError};
pub use request::{
    percent_decode, read_request, QueryError, QueryTree, ReadQuery, MAX_KEY_DEPTH, MAX_PARAMS,
};
pub use response::{escape_into, response, WriteXml, XmlWriter};
