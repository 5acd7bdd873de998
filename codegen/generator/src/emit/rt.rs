//! Every path into the runtime crates (`querygen-runtime` and
//! `querygen-client`) that the emitters print: the contract between the
//! generator and the runtime, stated once. A renamed or moved runtime item
//! changes here and nowhere else. The generated crates of the workspace,
//! built and linted with each of their features in CI, are what check that
//! every path resolves.

use proc_macro2::TokenStream;
use quote::quote;

/// The crates below, as their paths begin: the format pass imports the types
/// and traits of theirs that a module names ([`crate::shorten::runtime_imports`]).
pub const CRATES: &[&str] = &["querygen_runtime", "querygen_client"];

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
    /// How an error (structure or unhandled) is answered (server side).
    pub fn error_response() -> TokenStream {
        quote!(::querygen_runtime::server::ErrorResponse)
    }
    /// What generated error structures (server side) implement.
    pub fn server_error() -> TokenStream {
        quote!(::querygen_runtime::server::ServerError)
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

    /// The crate itself, for `pub use` lists of its root items.
    pub fn krate() -> TokenStream {
        quote!(::querygen_runtime)
    }
    /// What `Debug` prints for a sensitive value.
    pub fn redacted() -> TokenStream {
        quote!(::querygen_runtime::REDACTED)
    }
    /// Timestamps.
    pub fn date_time() -> TokenStream {
        quote!(::querygen_runtime::DateTime)
    }
    /// A value an enum does not know.
    pub fn unknown_variant() -> TokenStream {
        quote!(::querygen_runtime::UnknownVariant)
    }
    /// Numbers inside documents.
    pub fn number() -> TokenStream {
        quote!(::querygen_runtime::Number)
    }

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

/// `querygen_runtime::endpoint`: what compiled rule sets return and the
/// partition table they embed.
pub mod endpoint {
    use super::*;

    /// The module, for the generated `endpoint` module's re-exports.
    pub fn module() -> TokenStream {
        quote!(::querygen_runtime::endpoint)
    }
    /// A resolved endpoint.
    pub fn endpoint() -> TokenStream {
        quote!(::querygen_runtime::endpoint::Endpoint)
    }
    /// Why no endpoint could be resolved.
    pub fn endpoint_error() -> TokenStream {
        quote!(::querygen_runtime::endpoint::EndpointError)
    }
    /// One partition of `partitions.json`.
    pub fn partition() -> TokenStream {
        quote!(::querygen_runtime::endpoint::Partition)
    }
    /// A partition's outputs (`dnsSuffix`, …).
    pub fn partition_outputs() -> TokenStream {
        quote!(::querygen_runtime::endpoint::PartitionOutputs)
    }
    /// The embedded partitions, with their regexes compiled once.
    pub fn partition_table() -> TokenStream {
        quote!(::querygen_runtime::endpoint::PartitionTable)
    }
}

/// `querygen_runtime::pagination`: the next-page decision of paginators.
pub mod pagination {
    use super::*;

    /// What comes after a page.
    pub fn next_page() -> TokenStream {
        quote!(::querygen_runtime::pagination::NextPage)
    }
    /// Decides the next page from the token.
    pub fn next_page_fn() -> TokenStream {
        quote!(::querygen_runtime::pagination::next_page)
    }
    /// The rustdoc path of [`next_page`], for links in doc text.
    pub const NEXT_PAGE_DOC: &str = "::querygen_runtime::pagination::NextPage";
}

/// `querygen_runtime::waiters`: what a waiter's matcher decides.
pub mod waiters {
    use super::*;

    /// Success, failure or retry.
    pub fn acceptor_state() -> TokenStream {
        quote!(::querygen_runtime::waiters::AcceptorState)
    }
}

/// `querygen_runtime::serde_support` and the serde macros (the generated
/// crate's `serde` feature).
pub mod serde {
    use super::*;

    /// The support module (timestamps, documents, maps).
    pub fn support() -> TokenStream {
        quote!(::querygen_runtime::serde_support)
    }
    /// The `with` module for blobs and floats, as a string for `#[serde(with)]`.
    pub const WIRE: &str = "::querygen_runtime::serde_support::wire";
    /// The macro that implements serde for a string enum.
    pub fn string_enum_macro() -> TokenStream {
        quote!(::querygen_runtime::serde_string_enum)
    }
    /// The macro that implements serde for an int enum.
    pub fn int_enum_macro() -> TokenStream {
        quote!(::querygen_runtime::serde_int_enum)
    }
}

/// `querygen_client`: what the client, paginators, waiters and fakes build on.
pub mod client {
    use super::*;

    /// The crate itself, for the client module's `pub use` lists.
    pub fn krate() -> TokenStream {
        quote!(::querygen_client)
    }
    /// The service's signing name and configuration keys.
    pub fn service_info() -> TokenStream {
        quote!(::querygen_client::ServiceInfo)
    }
    /// What a client holds: configuration, transport, credentials, endpoint.
    pub fn handle() -> TokenStream {
        quote!(::querygen_client::Handle)
    }
    /// A resolved endpoint: URL and headers.
    pub fn target() -> TokenStream {
        quote!(::querygen_client::Target)
    }
    /// An input that could not be built.
    pub fn construction_error() -> TokenStream {
        quote!(::querygen_client::ConstructionError)
    }
    /// What a call returns on failure.
    pub fn sdk_error() -> TokenStream {
        quote!(::querygen_client::SdkError)
    }
    /// An operation's static description (name, serializer, parser).
    pub fn operation() -> TokenStream {
        quote!(::querygen_client::Operation)
    }
    /// The body type the client hands to parsers.
    pub fn response_body() -> TokenStream {
        quote!(::querygen_client::ResponseBody)
    }
    /// What a fluent builder holds besides its input.
    pub fn call() -> TokenStream {
        quote!(::querygen_client::Call)
    }
    /// Per-call settings.
    pub fn call_overrides() -> TokenStream {
        quote!(::querygen_client::CallOverrides)
    }
    /// An operation's static pagination description.
    pub fn pagination() -> TokenStream {
        quote!(::querygen_client::Pagination)
    }
    /// Pages of a paginated operation.
    pub fn paginator() -> TokenStream {
        quote!(::querygen_client::Paginator)
    }
    /// The item type of a paginator without items.
    pub fn no_items() -> TokenStream {
        quote!(::querygen_client::NoItems)
    }
    /// The item function of a paginator without items.
    pub fn no_items_fn() -> TokenStream {
        quote!(::querygen_client::no_items)
    }
    /// A waiter's static description.
    pub fn waiter_spec() -> TokenStream {
        quote!(::querygen_client::WaiterSpec)
    }
    /// What a waiter that reached success returns.
    pub fn final_poll() -> TokenStream {
        quote!(::querygen_client::FinalPoll)
    }
    /// How a waiter fails.
    pub fn waiter_error() -> TokenStream {
        quote!(::querygen_client::WaiterError)
    }
    /// The polling loop.
    pub fn wait_fn() -> TokenStream {
        quote!(::querygen_client::wait)
    }
    /// Sends HTTP requests.
    pub fn transport() -> TokenStream {
        quote!(::querygen_client::Transport)
    }
    /// The rustdoc path of [`transport`], for links in doc text.
    pub const TRANSPORT_DOC: &str = "::querygen_client::Transport";
    /// A request as transports take it.
    pub fn http_request() -> TokenStream {
        quote!(::querygen_client::HttpRequest)
    }
    /// A response as transports give it.
    pub fn http_response() -> TokenStream {
        quote!(::querygen_client::HttpResponse)
    }
    /// Why a transport failed.
    pub fn transport_error() -> TokenStream {
        quote!(::querygen_client::TransportError)
    }
    /// A boxed, sendable future.
    pub fn box_future() -> TokenStream {
        quote!(::querygen_client::BoxFuture)
    }
}

/// `querygen_client::fake`: what the generated typed fakes build on.
pub mod fake {
    use super::*;

    /// The module, for the generated `fake` module's `pub use` lists.
    pub fn module() -> TokenStream {
        quote!(::querygen_client::fake)
    }
    /// The `501 NotImplemented` answer of a trait method left out.
    pub fn not_implemented() -> TokenStream {
        quote!(::querygen_client::fake::not_implemented)
    }
    /// Runs one typed handler on a request.
    pub fn answer_fn() -> TokenStream {
        quote!(::querygen_client::fake::answer)
    }
    /// Routes a request to the service trait.
    pub fn dispatch() -> TokenStream {
        quote!(::querygen_client::fake::Dispatch)
    }
    /// A request as the fake sees it.
    pub fn incoming() -> TokenStream {
        quote!(::querygen_client::fake::Incoming)
    }
    /// What a handler answers.
    pub fn answer() -> TokenStream {
        quote!(::querygen_client::fake::Answer)
    }
    /// The in-process transport over a dispatcher.
    pub fn fake_transport() -> TokenStream {
        quote!(::querygen_client::fake::FakeTransport)
    }
}
