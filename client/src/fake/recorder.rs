//! The typed inputs a fake received, in order.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// One recorded request: its `Action` and its parsed input.
struct Entry {
    action: String,
    input: Box<dyn Any + Send>,
}

/// The inputs a fake parsed, in the order the requests arrived. Cheap to clone:
/// clones share the record, so a test keeps one while the fake is inside a client.
///
/// Inputs are the generated input structures; read them back by type:
/// `recorder.inputs::<StartMigrationInput>()`. A request the fake rejected before
/// its operation parsed it (bad signature, unknown action, malformed body) is not
/// recorded.
#[derive(Clone, Default)]
pub struct Recorder {
    entries: Arc<Mutex<Vec<Entry>>>,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Actions only: inputs may hold secrets (their own Debug redacts them, but
        // the record is type-erased here).
        f.debug_struct("Recorder")
            .field("actions", &self.actions())
            .finish()
    }
}

impl Recorder {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // A test that panicked while holding the lock left whole entries behind.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds one request (the fakes call this after parsing it).
    pub fn record<I: Send + 'static>(&self, action: &str, input: I) {
        self.lock().push(Entry {
            action: action.to_owned(),
            input: Box::new(input),
        });
    }

    /// The `Action` of every request, in order.
    pub fn actions(&self) -> Vec<String> {
        self.lock().iter().map(|e| e.action.clone()).collect()
    }

    /// The recorded inputs of type `I` (one operation's), in order.
    pub fn inputs<I: Clone + 'static>(&self) -> Vec<I> {
        self.lock()
            .iter()
            .filter_map(|e| e.input.downcast_ref::<I>().cloned())
            .collect()
    }

    /// The last recorded input of type `I`.
    pub fn last<I: Clone + 'static>(&self) -> Option<I> {
        self.lock()
            .iter()
            .rev()
            .find_map(|e| e.input.downcast_ref::<I>().cloned())
    }

    /// How many requests were recorded.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Forgets what was recorded.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct A(u32);
    #[derive(Debug, Clone, PartialEq)]
    struct B(&'static str);

    #[test]
    fn reads_inputs_back_by_type_in_order() {
        let recorder = Recorder::new();
        let shared = recorder.clone();
        shared.record("A", A(1));
        shared.record("B", B("x"));
        shared.record("A", A(2));
        assert_eq!(recorder.actions(), ["A", "B", "A"]);
        assert_eq!(recorder.inputs::<A>(), [A(1), A(2)]);
        assert_eq!(recorder.inputs::<B>(), [B("x")]);
        assert_eq!(recorder.last::<A>(), Some(A(2)));
        assert_eq!(recorder.len(), 3);
        assert_eq!(
            format!("{recorder:?}"),
            "Recorder { actions: [\"A\", \"B\", \"A\"] }"
        );
        recorder.clear();
        assert!(shared.is_empty());
        assert_eq!(recorder.last::<A>(), None);
    }
}
