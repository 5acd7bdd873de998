//! The paths into `querygen-runtime` that the protocol emitters print: the
//! contract between the generator and the runtime, stated once. A renamed or
//! moved runtime item changes here and nowhere else in those emitters.

use proc_macro2::TokenStream;
use quote::quote;

/// `querygen_runtime::query`: request writing, response and error envelopes.
pub mod query {
    use super::*;

    /// The request body writer.
    pub fn writer() -> TokenStream {
        quote!(::querygen_runtime::query::QueryWriter)
    }
    /// What generated inputs, and the structures they reach, implement.
    pub fn write_query() -> TokenStream {
        quote!(::querygen_runtime::query::WriteQuery)
    }
    /// A success document, opened at its root.
    pub fn response_document() -> TokenStream {
        quote!(::querygen_runtime::query::ResponseDocument)
    }
    /// An output and its request id.
    pub fn query_response() -> TokenStream {
        quote!(::querygen_runtime::query::QueryResponse)
    }
    /// What generated error structures implement.
    pub fn modeled_error() -> TokenStream {
        quote!(::querygen_runtime::query::ModeledError)
    }
    /// What generated operation error enums implement.
    pub fn operation_error() -> TokenStream {
        quote!(::querygen_runtime::query::OperationError)
    }
    /// The error code of an error enum.
    pub fn error_code() -> TokenStream {
        quote!(::querygen_runtime::query::ErrorCode)
    }
    /// What an error enum's variant holds, as a trait object.
    pub fn coded_error() -> TokenStream {
        quote!(::querygen_runtime::query::CodedError)
    }
    /// An error body with its code, to pick a variant from.
    pub fn error_body() -> TokenStream {
        quote!(::querygen_runtime::query::ErrorBody)
    }
    /// Reads an error enum from a body.
    pub fn parse_error() -> TokenStream {
        quote!(::querygen_runtime::query::parse_error)
    }
    /// How error structures display.
    pub fn fmt_error() -> TokenStream {
        quote!(::querygen_runtime::query::fmt_error)
    }
    /// An error the model does not describe.
    pub fn unhandled_error() -> TokenStream {
        quote!(::querygen_runtime::query::UnhandledError)
    }
}

/// `querygen_runtime::xml`: the response reader.
pub mod xml {
    use super::*;

    /// The pull reader.
    pub fn reader() -> TokenStream {
        quote!(::querygen_runtime::xml::XmlReader<'_>)
    }
    /// An element being read.
    pub fn node() -> TokenStream {
        quote!(::querygen_runtime::xml::Node)
    }
    /// Why a body could not be read.
    pub fn error() -> TokenStream {
        quote!(::querygen_runtime::xml::XmlError)
    }
    /// Kinds of [`error`].
    pub fn error_kind() -> TokenStream {
        quote!(::querygen_runtime::xml::XmlErrorKind)
    }
    /// What generated outputs, errors and what they reach implement.
    pub fn read_xml() -> TokenStream {
        quote!(::querygen_runtime::xml::ReadXml)
    }
}

/// `querygen_runtime::server`: the server side of the protocol.
pub mod server {
    use super::*;

    /// A request's keys as a tree.
    pub fn query_tree() -> TokenStream {
        quote!(::querygen_runtime::server::QueryTree)
    }
    /// Why a request could not be read.
    pub fn query_error() -> TokenStream {
        quote!(::querygen_runtime::server::QueryError)
    }
    /// The response writer.
    pub fn writer() -> TokenStream {
        quote!(::querygen_runtime::server::XmlWriter)
    }
    /// What generated inputs (server side) implement.
    pub fn read_query() -> TokenStream {
        quote!(::querygen_runtime::server::ReadQuery)
    }
    /// What generated outputs and errors (server side) implement.
    pub fn write_xml() -> TokenStream {
        quote!(::querygen_runtime::server::WriteXml)
    }
    /// What generated error structures (server side) implement.
    pub fn error_response() -> TokenStream {
        quote!(::querygen_runtime::server::ErrorResponse)
    }
    /// A modeled error's `<ErrorResponse>` document.
    pub fn error_response_fn() -> TokenStream {
        quote!(::querygen_runtime::server::error_response)
    }
    /// An operation's `<{Op}Response>` document.
    pub fn response_fn() -> TokenStream {
        quote!(::querygen_runtime::server::response)
    }
    /// Parses a request body into an input.
    pub fn read_request_fn() -> TokenStream {
        quote!(::querygen_runtime::server::read_request)
    }
}

/// Items at the runtime's root.
pub mod root {
    use super::*;

    /// The builder error.
    pub fn build_error() -> TokenStream {
        quote!(::querygen_runtime::BuildError)
    }
    /// What generated string enums implement.
    pub fn string_enum() -> TokenStream {
        quote!(::querygen_runtime::StringEnum)
    }
    /// Timestamp formats.
    pub fn timestamp_format() -> TokenStream {
        quote!(::querygen_runtime::TimestampFormat)
    }
    /// The map type.
    pub fn index_map() -> TokenStream {
        quote!(::querygen_runtime::IndexMap)
    }
    /// Documents.
    pub fn document() -> TokenStream {
        quote!(::querygen_runtime::Document)
    }
    /// Big integers.
    pub fn big_integer() -> TokenStream {
        quote!(::querygen_runtime::BigInteger)
    }
    /// Big decimals.
    pub fn big_decimal() -> TokenStream {
        quote!(::querygen_runtime::BigDecimal)
    }
}

/// `querygen_runtime::http`: requests and responses over `http` types.
pub mod http {
    use super::*;

    /// A request.
    pub fn request() -> TokenStream {
        quote!(::querygen_runtime::http::Request)
    }
    /// A response.
    pub fn response() -> TokenStream {
        quote!(::querygen_runtime::http::Response)
    }
    /// Why a request could not be built.
    pub fn request_error() -> TokenStream {
        quote!(::querygen_runtime::http::RequestError)
    }
    /// Builds an awsQuery `POST`.
    pub fn query_request() -> TokenStream {
        quote!(::querygen_runtime::http::query_request)
    }
    /// Checks a host label.
    pub fn check_host_label() -> TokenStream {
        quote!(::querygen_runtime::http::check_host_label)
    }
}
