//! Test peers for code that uses a generated crate: the service's side of the
//! protocol, driven by a typed trait the generated crate emits (its `fake`
//! feature), in process ([`FakeTransport`]) or on a socket (`FakeServer`, the
//! `fake-server` feature).
//!
//! A request goes through the real client path (serialization, signing, endpoint,
//! retries); here its SigV4 shape is checked (or its signature, when a key is
//! configured, see [`Auth`]), its `Action` routed by the generated [`Dispatch`],
//! its body parsed by the generated server-side parser (which checks `Action` and
//! `Version`), the input recorded ([`Recorder`]) and handed to the trait method,
//! and the output or error written as the service writes it.

mod auth;
mod dispatch;
mod recorder;
mod script;
#[cfg(feature = "fake-server")]
mod server;
mod transport;

pub use auth::Auth;
pub use dispatch::{answer, handle, not_implemented, Answer, Dispatch, Incoming, NOT_IMPLEMENTED};
pub use recorder::Recorder;
pub use script::Script;
#[cfg(feature = "fake-server")]
pub use server::FakeServer;
pub use transport::FakeTransport;
