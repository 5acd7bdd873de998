//! What a generated fluent builder holds ([`Call`]): the client's [`Handle`]
//! and the overrides its `customize` gave for this call.

use std::sync::Arc;

use querygen_runtime::query::{ErrorCode, QueryResponse};

use crate::config::CallOverrides;
use crate::error::SdkError;
use crate::handle::{Handle, Operation};

/// A call being prepared: the client it goes through and its own overrides.
/// Cheap to clone (two `Arc`s).
#[derive(Debug, Clone)]
pub struct Call {
    handle: Arc<Handle>,
    /// `None` until `customize` is used, so a plain call carries nothing extra.
    overrides: Option<Arc<CallOverrides>>,
}

impl Call {
    /// A call through `handle` with the client's settings.
    pub fn new(handle: Arc<Handle>) -> Self {
        Self {
            handle,
            overrides: None,
        }
    }

    /// Changes this call's overrides: `customize` gets the ones set so far.
    pub fn customize(&mut self, customize: impl FnOnce(CallOverrides) -> CallOverrides) {
        let current = self
            .overrides
            .take()
            .map(Arc::unwrap_or_clone)
            .unwrap_or_default();
        self.overrides = Some(Arc::new(customize(current)));
    }

    /// The overrides set so far, if any.
    pub fn overrides(&self) -> Option<&CallOverrides> {
        self.overrides.as_deref()
    }

    /// The client's handle.
    pub fn handle(&self) -> &Arc<Handle> {
        &self.handle
    }

    /// Sends `input` through `operation` with this call's overrides (see [`Handle::invoke_with`]).
    pub async fn invoke<I, O, E>(
        &self,
        operation: &Operation<I, O, E>,
        input: &I,
    ) -> Result<QueryResponse<O>, SdkError<E>>
    where
        I: Sync,
        O: Send + 'static,
        E: ErrorCode + Send + 'static,
    {
        self.handle
            .invoke_with(operation, input, self.overrides.as_deref())
            .await
    }
}
