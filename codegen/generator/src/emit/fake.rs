//! `src/fake.rs` (the generated crate's `fake` feature): the typed service trait,
//! one method per operation with a "not implemented" default, its dispatch over
//! the server-side parsers and writers, and `Fake`, the in-process transport
//! (with `fake-server`, also served on a socket). What is shared between services
//! lives in `querygen_client::fake`; per operation this emits one trait method and
//! one match arm, both under the operation's feature.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_line, ident, rt};
use crate::ir::{Operation, Service};

/// Whether the crate gets the `fake` feature: the service has the client and awsQuery's server side.
pub fn has_fake(service: &Service) -> bool {
    super::client::has_client(service) && service.aws_query
}

/// The trait's name.
pub fn trait_name(service: &Service) -> String {
    crate::naming::service_trait(service.sdk_id.as_deref().unwrap_or(&service.name))
}

struct OperationPaths {
    feature: String,
    method: proc_macro2::Ident,
    module: TokenStream,
    input: TokenStream,
    output: TokenStream,
    error: TokenStream,
}

fn paths(op: &Operation) -> OperationPaths {
    let module_ident = ident(&op.rust_name);
    let module = quote!(crate::operation::#module_ident);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = super::ident(&op.error_name);
    OperationPaths {
        feature: op.feature.clone(),
        method: ident(&op.rust_name),
        input: quote!(#module::#input),
        output: quote!(#module::#output),
        error: quote!(#module::#error),
        module,
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let not_implemented = rt::fake::not_implemented();
    let OperationPaths {
        feature,
        method,
        input,
        output,
        error,
        ..
    } = paths(op);
    let doc = doc_line(&format!(
        "Answers `{}`. By default: the `501 NotImplemented` error.",
        op.wire_name
    ));
    let action = &op.wire_name;
    quote! {
        #[cfg(feature = #feature)]
        #doc
        fn #method(&self, input: #input) -> impl ::std::future::Future<Output = Result<#output, #error>> + Send {
            #not_implemented(input, #error::Unhandled, #action)
        }
    }
}

fn dispatch_arm(op: &Operation) -> TokenStream {
    let answer_fn = rt::fake::answer_fn();
    let OperationPaths {
        feature,
        method,
        module,
        error,
        ..
    } = paths(op);
    let action = &op.wire_name;
    quote! {
        #[cfg(feature = #feature)]
        #action => #answer_fn(
            incoming,
            #module::deserialize_request,
            |input| self.0.#method(input),
            #module::serialize_response,
            #error::to_response,
        ),
    }
}

/// `src/fake.rs`.
pub fn fake_file(service: &Service) -> TokenStream {
    let answer = rt::fake::answer();
    let box_future = rt::client::box_future();
    let dispatch = rt::fake::dispatch();
    let fake_transport = rt::fake::fake_transport();
    let http_request = rt::client::http_request();
    let http_response = rt::client::http_response();
    let incoming = rt::fake::incoming();
    let transport = rt::client::transport();
    let transport_error = rt::client::transport_error();
    let trait_ident = quote::format_ident!("{}", trait_name(service));
    let signing_name = service.signing_name.as_deref().unwrap_or_default();
    let methods = service.operations.iter().map(trait_method);
    let arms = service.operations.iter().map(dispatch_arm);
    let intro = crate::docs::doc_lines(&format!(
        "Typed fakes for testing code that uses this crate (the `fake` feature).\n\n\
         Implement [`{trait_ident}`] for the operations a test uses, wrap it in [`Fake`] and \
         give that to the client as its transport: requests go through the real client \
         (serialization, signing, endpoint, retries), are parsed by the server-side parser \
         (which checks `Action` and `Version`), answered by your method and written back \
         as the service writes them. An operation you do not implement answers \
         `501 NotImplemented` (see `querygen_client::fake::NOT_IMPLEMENTED`). [`Recorder`] \
         holds the inputs the fake received; [`Script`] plays back a sequence of answers. \
         With the `fake-server` feature, `Fake::serve` answers the same on a socket \
         on 127.0.0.1, for clients in other languages."
    ));
    let trait_doc = crate::docs::doc_lines(&format!(
        "{}: one method per operation, taking its input and returning its output or its \
         error enum. Every method has a default that answers `501 NotImplemented`, so a \
         fake implements only what its test uses; write them as `async fn`.",
        service.title
    ));
    let fake_doc = crate::docs::doc_lines(&format!(
        "The in-process fake: a client [transport]({transport_doc}) answering with an \
         implementation of [`{trait_ident}`]. Cheap to clone: clones share the implementation \
         and the recorder.",
        transport_doc = rt::client::TRANSPORT_DOC,
    ));
    let fake_module = rt::fake::module();
    quote! {
        #(#![doc = #intro])*

        pub use #fake_module::{Auth, Recorder, Script};
        /// The fake served over HTTP (returned by `Fake::serve`).
        #[cfg(feature = "fake-server")]
        pub use #fake_module::FakeServer;

        #(#[doc = #trait_doc])*
        pub trait #trait_ident: Send + Sync + 'static {
            #(#methods)*
        }

        /// Routes requests to a service trait implementation.
        struct Dispatcher<S>(S);

        impl<S: #trait_ident> #dispatch for Dispatcher<S> {
            fn signing_name(&self) -> &'static str {
                #signing_name
            }

            fn dispatch<'a>(
                &'a self,
                incoming: &'a #incoming,
            ) -> Option<#box_future<'a, #answer>> {
                match incoming.action() {
                    #(#arms)*
                    _ => None,
                }
            }
        }

        #(#[doc = #fake_doc])*
        #[derive(Debug, Clone)]
        pub struct Fake {
            transport: #fake_transport,
        }

        impl Fake {
            /// A fake answering with `service`, accepting requests signed with any key.
            pub fn new(service: impl #trait_ident) -> Self {
                Self {
                    transport: #fake_transport::new(Dispatcher(service)),
                }
            }

            /// Authenticates requests with `auth` (for example [`Auth::verify`] to check signatures).
            pub fn with_auth(mut self, auth: Auth) -> Self {
                self.transport = self.transport.with_auth(auth);
                self
            }

            /// The inputs this fake received, in order.
            pub fn recorder(&self) -> &Recorder {
                self.transport.recorder()
            }

            /// Serves this fake over HTTP on 127.0.0.1 (a free port), sharing its recorder;
            /// stops when the returned server is dropped.
            #[cfg(feature = "fake-server")]
            pub async fn serve(&self) -> ::std::io::Result<FakeServer> {
                self.transport.serve().await
            }
        }

        impl #transport for Fake {
            fn send(
                &self,
                request: #http_request,
            ) -> #box_future<'_, Result<#http_response, #transport_error>> {
                #transport::send(&self.transport, request)
            }
        }
    }
}
