//! `src/waiters.rs`: each waiter's sans-IO `classify` (always) and, behind the
//! `client` feature, its builder. Lowering compiled the matchers
//! ([`crate::waiters`]); this only prints.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structure::{setters, SetterTarget};
use super::{doc_line, ident, rt};
use crate::ir::{Operation, Service};
use crate::traits::AcceptorState;
use crate::waiters::{Matcher, Waiter};

/// Whether the service has waiters (and so a `waiters` module).
pub fn has_waiters(service: &Service) -> bool {
    service.operations.iter().any(|op| !op.waiters.is_empty())
}

fn state(state: AcceptorState) -> TokenStream {
    let path = rt::waiters::acceptor_state();
    match state {
        AcceptorState::Success => quote!(#path::Success),
        AcceptorState::Failure => quote!(#path::Failure),
        AcceptorState::Retry => quote!(#path::Retry),
    }
}

fn state_name(state: AcceptorState) -> &'static str {
    match state {
        AcceptorState::Success => "success",
        AcceptorState::Failure => "failure",
        AcceptorState::Retry => "retry",
    }
}

/// `src/waiters.rs`.
pub fn waiters_file(service: &Service) -> TokenStream {
    let modules = service.operations.iter().flat_map(|op| {
        op.waiters
            .iter()
            .map(move |w| waiter_module(service, op, w))
    });
    let builders = service
        .operations
        .iter()
        .filter(|op| !op.waiters.is_empty() && super::client::has_client(service))
        .map(waiter_builder);
    quote! {
        //! Waiters: poll an operation until the resource reaches a state, as the model's
        //! `smithy.waiters#waitable` traits describe. Each module has the sans-IO
        //! `classify` (which state one answer reaches); with the `client` feature, the
        //! builders here are what `Client::wait_until_…` returns (one per operation,
        //! shared by its waiters).

        #(#modules)*
        #(#builders)*
    }
}

fn waiter_module(service: &Service, op: &Operation, waiter: &Waiter) -> TokenStream {
    let module = ident(&waiter.module);
    let feature = &op.feature;
    let op_module = ident(&op.rust_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let op_path = quote!(crate::operation::#op_module);
    let mut text = if waiter.docs.is_empty() {
        format!("The `{}` waiter.", waiter.name)
    } else {
        waiter.docs.clone()
    };
    text.push_str(&format!(
        "\n\nPolls `{}` with delays from {} s to {} s. The acceptors, in order (the first \
         that matches decides; an output none matches means poll again, a service error \
         none matches ends the wait):\n",
        op.wire_name, waiter.min_delay, waiter.max_delay
    ));
    for (i, acceptor) in waiter.acceptors.iter().enumerate() {
        text.push_str(&format!(
            "\n{}. {} when {}",
            i + 1,
            state_name(acceptor.state),
            acceptor.described
        ));
    }
    let lines = crate::docs::doc_lines(&text);
    let uses_input = waiter.acceptors.iter().any(|a| {
        matches!(
            a.matcher,
            Matcher::Output {
                uses_input: true,
                ..
            }
        )
    });
    let input_binding = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    // Runs of output matchers share one `if let Ok(output)`; each acceptor keeps its place.
    let mut checks: Vec<TokenStream> = Vec::new();
    let mut outputs: Vec<TokenStream> = Vec::new();
    let flush = |outputs: &mut Vec<TokenStream>, checks: &mut Vec<TokenStream>| {
        if !outputs.is_empty() {
            let run = std::mem::take(outputs);
            checks.push(quote! {
                if let Ok(output) = result {
                    #(#run)*
                }
            });
        }
    };
    let error_code = rt::query::error_code();
    for acceptor in &waiter.acceptors {
        let reached = state(acceptor.state);
        let check = match &acceptor.matcher {
            Matcher::Output { code, .. } => {
                // Lowering produced it from tokens, so it parses; if it ever did not,
                // the generated crate must fail to compile rather than drop the acceptor.
                let code: TokenStream = code.parse().unwrap_or_else(|_| {
                    quote!(::core::compile_error!(
                        "querygen: a waiter matcher did not parse"
                    ))
                });
                outputs.push(quote! {
                    if #code {
                        return Some(#reached);
                    }
                });
                continue;
            }
            Matcher::Success(true) => quote! {
                if result.is_ok() {
                    return Some(#reached);
                }
            },
            Matcher::Success(false) => quote! {
                if result.is_err() {
                    return Some(#reached);
                }
            },
            Matcher::ErrorCode(code) => quote! {
                if let Err(error) = result {
                    if #error_code::code(error) == Some(#code) {
                        return Some(#reached);
                    }
                }
            },
        };
        flush(&mut outputs, &mut checks);
        checks.push(check);
    }
    flush(&mut outputs, &mut checks);
    let classify_doc = doc_line(
        "Which state `result` reaches: that of the first acceptor that matches, in the \
         model's order; `None` when none does.",
    );
    let client = super::client::has_client(service).then(|| waiter_spec(op, waiter));
    let acceptor_state = rt::waiters::acceptor_state();
    quote! {
        #[cfg(feature = #feature)]
        #(#[doc = #lines])*
        pub mod #module {
            #classify_doc
            pub fn classify(
                #input_binding: &#op_path::#input,
                result: Result<&#op_path::#output, &#op_path::#error>,
            ) -> Option<#acceptor_state> {
                #(#checks)*
                None
            }

            #client
        }
    }
}

fn waiter_spec(op: &Operation, waiter: &Waiter) -> TokenStream {
    let waiter_spec = rt::client::waiter_spec();
    let op_module = ident(&op.rust_name);
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let op_path = quote!(crate::operation::#op_module);
    let name = &waiter.name;
    let (min, max) = (
        proc_macro2::Literal::u64_unsuffixed(waiter.min_delay),
        proc_macro2::Literal::u64_unsuffixed(waiter.max_delay),
    );
    quote! {
        #[cfg(feature = "client")]
        pub(crate) static SPEC: #waiter_spec<#op_path::#input, #op_path::#output, #op_path::#error> =
            #waiter_spec {
                name: #name,
                min_delay: ::std::time::Duration::from_secs(#min),
                max_delay: ::std::time::Duration::from_secs(#max),
                classify,
            };
    }
}

/// The builder all waiters of `op` return: the input's setters, the delays, `wait`.
fn waiter_builder(op: &Operation) -> TokenStream {
    let final_poll = rt::client::final_poll();
    let handle = rt::client::handle();
    let wait_fn = rt::client::wait_fn();
    let waiter_error = rt::client::waiter_error();
    let waiter_spec = rt::client::waiter_spec();
    let op_module = ident(&op.rust_name);
    let feature = &op.feature;
    let input = ident(&op.input.rust_name);
    let input_builder = ident(&crate::naming::builder_name(&op.input.rust_name));
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let op_path = quote!(crate::operation::#op_module);
    let builder = format_ident!("{}", crate::naming::waiter_builder(&op.wire_name));
    let wire_name = &op.wire_name;
    let build = super::client::build_input_result(op);
    let doc = crate::docs::doc_lines(&format!(
        "A wait on `{wire_name}` being prepared (any of its waiters): the input's setters, \
         then [`wait`](Self::wait)."
    ));
    let setters = op.input.fields.iter().map(|f| {
        let owner = format!("crate::operation::{}::{}", op.rust_name, op.input.rust_name);
        setters(f, SetterTarget::Inner, &owner)
    });
    quote! {
        #[cfg(all(feature = #feature, feature = "client"))]
        #(#[doc = #doc])*
        #[derive(Debug, Clone)]
        pub struct #builder {
            handle: ::std::sync::Arc<#handle>,
            spec: &'static #waiter_spec<#op_path::#input, #op_path::#output, #op_path::#error>,
            inner: #op_path::builders::#input_builder,
            min_delay: Option<::std::time::Duration>,
            max_delay: Option<::std::time::Duration>,
        }

        #[cfg(all(feature = #feature, feature = "client"))]
        impl #builder {
            pub(crate) fn new(
                handle: ::std::sync::Arc<#handle>,
                spec: &'static #waiter_spec<#op_path::#input, #op_path::#output, #op_path::#error>,
            ) -> Self {
                Self {
                    handle,
                    spec,
                    inner: Default::default(),
                    min_delay: None,
                    max_delay: None,
                }
            }

            /// Waits at least this long between polls (default: the model's).
            pub fn min_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.min_delay = Some(delay);
                self
            }

            /// Waits at most this long between polls (default: the model's).
            pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.max_delay = Some(delay);
                self
            }

            /// Polls until an acceptor decides, for at most `max_wait`: the answer that
            /// succeeded, or why the wait did not.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> Result<
                #final_poll<#op_path::#output, #op_path::#error>,
                #waiter_error<#op_path::#output, #op_path::#error>,
            > {
                let input = #build;
                #wait_fn(
                    &self.handle,
                    &#op_path::OPERATION,
                    self.spec,
                    input,
                    max_wait,
                    (self.min_delay, self.max_delay),
                )
                .await
            }

            #(#setters)*
        }
    }
}

/// The client methods that start the waiters of `op`.
pub fn client_methods(op: &Operation) -> TokenStream {
    let feature = &op.feature;
    let methods = op.waiters.iter().map(|waiter| {
        let method = ident(&waiter.method);
        let module = ident(&waiter.module);
        let builder = format_ident!("{}", waiter.builder);
        let doc = doc_line(&format!(
            "Starts waiting for `{}`: set the `{}` input on the returned builder, then `wait(max)`.",
            waiter.name, op.wire_name
        ));
        quote! {
            #[cfg(feature = #feature)]
            #doc
            pub fn #method(&self) -> crate::waiters::#builder {
                crate::waiters::#builder::new(
                    ::std::sync::Arc::clone(&self.handle),
                    &crate::waiters::#module::SPEC,
                )
            }
        }
    });
    quote!(#(#methods)*)
}
