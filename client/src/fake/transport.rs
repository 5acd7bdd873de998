//! The in-process fake: a [`Transport`] that answers as the service would.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{handle, Auth, Dispatch, Recorder};
use crate::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

/// A [`Transport`] that answers each request in process: the client signs and
/// sends as it would to the service, and this checks the signature (see [`Auth`]),
/// routes by `Action`, parses with the generated server-side parser, records the
/// input and answers with what the typed trait method returns, written as the
/// service writes it. Cheap to clone: clones share the service and the recorder.
///
/// A generated crate's `fake` feature wraps this in its own `Fake`, built from an
/// implementation of its typed service trait.
#[derive(Clone)]
pub struct FakeTransport {
    pub(super) dispatch: Arc<dyn Dispatch>,
    pub(super) auth: Auth,
    pub(super) recorder: Recorder,
    pub(super) requests: Arc<AtomicU64>,
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeTransport")
            .field("service", &self.dispatch.signing_name())
            .field("auth", &self.auth)
            .field("recorder", &self.recorder)
            .finish()
    }
}

impl FakeTransport {
    /// A fake answering with `dispatch`, accepting any key ([`Auth::Shape`]).
    pub fn new(dispatch: impl Dispatch) -> Self {
        Self {
            dispatch: Arc::new(dispatch),
            auth: Auth::default(),
            recorder: Recorder::new(),
            requests: Arc::default(),
        }
    }

    /// Authenticates requests with `auth` instead.
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// The inputs this fake received (a handle sharing the record).
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }
}

/// A request id in the AWS services' form (a UUID), numbered from 1.
pub(crate) fn request_id(counter: &AtomicU64) -> String {
    let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
    format!("00000000-0000-4000-8000-{n:012x}")
}

impl Transport for FakeTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let id = request_id(&self.requests);
            Ok(handle(&*self.dispatch, &self.auth, &self.recorder, id, &request).await)
        })
    }
}
