//! The async client of an awsQuery service: `src/client.rs` (the `Client`,
//! its configuration and endpoint resolution) and, in each operation module, the
//! fluent builder that `Client::{operation}()` returns.
//!
//! Everything here is behind the generated crate's `client` feature; the
//! sans-IO functions it calls are always there.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structure::{setters, SetterTarget};
use super::{doc_line, ident, rt};
use crate::ir::{Operation, Service};

/// Whether the service gets a client (decided by lowering and the options).
pub fn has_client(service: &Service) -> bool {
    service.client
}

/// `AWS_ENDPOINT_URL_<NAME>`: the SDK id, upper case, spaces and dashes as `_`.
fn env_name(service: &Service) -> String {
    sdk_id(service)
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The key of a `[services]` section: the SDK id, lower case, spaces and dashes as `_`.
fn config_key(service: &Service) -> String {
    env_name(service).to_ascii_lowercase()
}

fn sdk_id(service: &Service) -> &str {
    service.sdk_id.as_deref().unwrap_or(&service.name)
}

/// `src/client.rs`.
pub fn client_file(service: &Service, crate_name: &str, crate_version: &str) -> TokenStream {
    let handle = rt::client::handle();
    let service_info = rt::client::service_info();
    let signing_name = service.signing_name.as_deref().unwrap_or_default();
    let env_name = env_name(service);
    let config_key = config_key(service);
    let intro = crate::docs::doc_lines(&format!(
        "The async client for {title}.\n\n\
         [`Client`] sends each operation's request, signed with SigV4 (signing name `{signing_name}`), \
         to the endpoint the service's rules resolve for the configured region (or the configured \
         endpoint URL), retrying throttling and transient failures as the AWS SDKs' standard retry \
         mode does.\n\n\
         ```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         // Region and endpoint from AWS_REGION, AWS_PROFILE, …; credentials from the\n\
         // default chain, looked up on the first call and refreshed before they expire.\n\
         let client = {krate}::Client::from_env()?;\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        title = service.title,
        krate = crate_name.replace('-', "_"),
    ));
    let target = target_fn(service);
    let operations = service.operations.iter().map(|op| {
        let method = ident(&op.rust_name);
        let module = ident(&op.rust_name);
        let fluent = fluent_name(op);
        let feature = &op.feature;
        let doc = doc_line(&format!(
            "Starts a call to `{}`: set the input on the returned builder, then `send()` it.",
            op.wire_name
        ));
        let waiters = super::waiters::client_methods(op);
        quote! {
            #[cfg(feature = #feature)]
            #doc
            pub fn #method(&self) -> crate::operation::#module::#fluent {
                crate::operation::#module::#fluent::new(::std::sync::Arc::clone(&self.handle))
            }

            #waiters
        }
    });
    let client_crate = rt::client::krate();
    // What a paginated or waitable operation's methods return, only where there are some.
    let paginated = service.operations.iter().any(|op| op.pagination.is_some());
    let waitable = service.operations.iter().any(|op| !op.waiters.is_empty());
    let pagination_types = paginated.then(|| {
        quote! {
            pub use #client_crate::{ItemPaginator, ItemStream, PaginationStream, Paginator};
        }
    });
    let waiter_types = waitable.then(|| {
        quote! {
            pub use #client_crate::{FinalPoll, WaiterError};
        }
    });
    quote! {
        #(#![doc = #intro])*

        pub use #client_crate::{
            CallOverrides, Config, ConfigBuilder, ConstructionError, Credentials, Intercept,
            ProxyConfig, RetryConfig, RetryMode, SdkError, Sleep, Transport, TrustRoots,
        };
        #pagination_types
        #waiter_types
        /// Interceptors: hooks into each call (the [`Intercept`] trait and what its hooks see).
        pub use #client_crate::intercept;
        pub use #client_crate::config::ConfigError;
        /// Credential providers (the default chain, profiles, STS, containers, instance
        /// metadata, processes, SSO) and the trait for writing one.
        pub use #client_crate::credentials;

        /// What the runtime needs to know about this service.
        static SERVICE: #service_info =
            #service_info {
                signing_name: #signing_name,
                env_name: #env_name,
                config_key: #config_key,
                crate_name: #crate_name,
                crate_version: #crate_version,
            };

        /// A client for the service. Cheap to clone: clones share configuration,
        /// connections and the retry quota.
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: ::std::sync::Arc<#handle>,
        }

        impl Client {
            /// A client with `config`. The endpoint is resolved here, once (or on the first
            /// call, when the region comes from the instance metadata service); if it cannot
            /// be, every call returns the reason as [`SdkError::Construction`].
            pub fn from_conf(config: Config) -> Self {
                Self {
                    handle: ::std::sync::Arc::new(#handle::new(&SERVICE, config, target)),
                }
            }

            /// A client configured from the environment and the shared config files, with
            /// credentials from the default chain (environment, profile, web identity,
            /// container, instance metadata). Nothing is fetched until the first call.
            pub fn from_env() -> Result<Self, ConfigError> {
                Ok(Self::from_conf(Self::config_from_env()?.build()))
            }

            /// The environment's and shared files' settings, to adjust before building.
            pub fn config_from_env() -> Result<ConfigBuilder, ConfigError> {
                ConfigBuilder::from_env(&SERVICE)
            }

            /// [`config_from_env`](Self::config_from_env) with the credential providers'
            /// surroundings given: the environment and files they read, their clock, and the
            /// transport they reach metadata endpoints and STS through.
            pub fn config_from(
                providers: credentials::ProviderConfig,
            ) -> Result<ConfigBuilder, ConfigError> {
                ConfigBuilder::from_provider_config(providers, &SERVICE)
            }

            /// The configuration this client was made with.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            #(#operations)*
        }

        #target
    }
}

/// `fn target(&Config)`: the rule set's parameters filled from the configuration by their
/// `builtIn` (region, FIPS, dual-stack, endpoint override), then the resolver. A parameter
/// with another built-in keeps its default. Without a rule set, only the override works.
fn target_fn(service: &Service) -> TokenStream {
    let target = rt::client::target();
    let doc = doc_line("Where requests go, from the configuration.");
    let Some(rules) = &service.endpoint_rules else {
        return quote! {
            #doc
            fn target(config: &Config) -> Result<#target, String> {
                match config.endpoint_url() {
                    Some(url) => Ok(#target {
                        url: ToOwned::to_owned(url),
                        headers: Vec::new(),
                    }),
                    None => Err(String::from(
                        "the model has no endpoint rules: set an endpoint URL",
                    )),
                }
            }
        };
    };
    let setters = rules.parameters.iter().filter_map(|p| {
        let set = format_ident!("{}", crate::naming::setter_name(&p.rust_name));
        let value = match p.built_in.as_deref()? {
            "AWS::Region" => quote!(config.region().map(ToOwned::to_owned)),
            "AWS::UseFIPS" => quote!(Some(config.use_fips())),
            "AWS::UseDualStack" => quote!(Some(config.use_dual_stack())),
            "SDK::Endpoint" => quote!(config.endpoint_url().map(ToOwned::to_owned)),
            _ => return None,
        };
        Some(quote!(.#set(#value)))
    });
    let fallible = rules
        .parameters
        .iter()
        .any(|p| p.required && p.default.is_none());
    let build = if fallible {
        quote!(.build().map_err(|e| ::std::format!("endpoint parameters: {e}"))?)
    } else {
        quote!(.build())
    };
    quote! {
        #doc
        fn target(config: &Config) -> Result<#target, String> {
            let params = crate::endpoint::Params::builder() #(#setters)* #build;
            crate::endpoint::resolve_endpoint(&params)
                .map(#target::from_endpoint)
                .map_err(|e| ::std::format!("no endpoint: {e}"))
        }
    }
}

/// The fluent builder's name (`StartMigrationFluentBuilder`).
pub fn fluent_name(op: &Operation) -> proc_macro2::Ident {
    ident(&op.fluent_name)
}

/// Whether `self.inner.build()` can fail: only when some required member has no default.
fn build_is_fallible(op: &Operation) -> bool {
    op.input.required_fields().next().is_some()
}

/// The `ConstructionError` naming the operation, for a build failure `problem`.
fn construction_error(op: &Operation) -> TokenStream {
    let construction_error = rt::client::construction_error();
    let wire_name = &op.wire_name;
    quote!(#construction_error::new(
        ::std::format!("{}: {problem}", #wire_name)
    ))
}

/// `self.inner` built into the input, as a `Result` whose error is a
/// `ConstructionError` naming the operation (for paginators and waiters).
pub fn build_input_result(op: &Operation) -> TokenStream {
    if build_is_fallible(op) {
        let error = construction_error(op);
        quote!(self.inner.build().map_err(|problem| #error))
    } else {
        quote!(Ok(self.inner.build()))
    }
}

/// The fluent builder of one operation, for its module.
pub fn fluent_builder(op: &Operation) -> TokenStream {
    let call = rt::client::call();
    let call_overrides = rt::client::call_overrides();
    let handle = rt::client::handle();
    let operation = rt::client::operation();
    let response_body = rt::client::response_body();
    let sdk_error = rt::client::sdk_error();
    let fluent = fluent_name(op);
    let input = ident(&op.input.rust_name);
    let input_builder = ident(&crate::naming::builder_name(&op.input.rust_name));
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let wire_name = &op.wire_name;
    let doc = doc_line(&format!(
        "A call to `{wire_name}` being prepared: the input's setters, then [`send`](Self::send)."
    ));
    let build = if build_is_fallible(op) {
        let error = construction_error(op);
        quote! {
            let input = self.inner.build().map_err(|problem| {
                #sdk_error::Construction(#error)
            })?;
        }
    } else {
        quote!(let input = self.inner.build();)
    };
    let setters = op
        .input
        .fields
        .iter()
        .map(|f| setters(f, SetterTarget::Inner, &op.input.rust_name));
    let query_response = rt::query::query_response();
    quote! {
        #[cfg(feature = "client")]
        pub(crate) static OPERATION: #operation<#input, #output, #error> =
            #operation {
                name: #wire_name,
                build_request,
                parse_response: parse_response::<#response_body>,
            };

        #[cfg(feature = "client")]
        #doc
        #[derive(Debug, Clone)]
        pub struct #fluent {
            call: #call,
            inner: builders::#input_builder,
        }

        #[cfg(feature = "client")]
        impl #fluent {
            pub(crate) fn new(handle: ::std::sync::Arc<#handle>) -> Self {
                Self { call: #call::new(handle), inner: Default::default() }
            }

            /// Overrides the client's settings for this call only: attempts, timeouts,
            /// interceptors (`.customize(|c| c.max_attempts(1))`).
            pub fn customize(
                mut self,
                customize: impl FnOnce(#call_overrides) -> #call_overrides,
            ) -> Self {
                self.call.customize(customize);
                self
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &builders::#input_builder {
                &self.inner
            }

            /// Sends the request; the output, or why there is none.
            pub async fn send(self) -> Result<#output, #sdk_error<#error>> {
                self.send_with_metadata().await.map(|response| response.output)
            }

            /// [`send`](Self::send), keeping the response's request id beside the output.
            pub async fn send_with_metadata(
                self,
            ) -> Result<
                #query_response<#output>,
                #sdk_error<#error>,
            > {
                #build
                self.call.invoke(&OPERATION, &input).await
            }

            #(#setters)*
        }
    }
}
