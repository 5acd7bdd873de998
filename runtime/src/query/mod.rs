//! The client side of awsQuery, one module per direction: writing the
//! request body, reading the success document, and reading the error
//! document into an operation's error type. Generated code names the items
//! through the re-exports here.

mod error;
mod request;
mod response;

pub use crate::date_time::TimestampFormat;
pub use error::{
    error_element, fmt_error, parse_error, CodedError, ErrorBody, ErrorCode, ErrorEnvelope,
    ModeledError, OperationError, UnhandledError,
};
pub use request::{encode_into, QueryWriter, WriteQuery};
pub use response::{read_response_metadata, QueryResponse, ResponseDocument};
