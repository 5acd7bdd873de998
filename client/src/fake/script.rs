//! Scripted answers: a sequence a fake's method plays back, one per call.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// A sequence of answers handed out one per call, the last one repeated once the
/// others are used up: a replication group that is `creating` twice and then
/// `available` for good is `Script::new([creating.clone(), creating, available])`.
/// Cheap to clone: clones share the position, so a fake can hold one and a test
/// another to ask how many were played.
pub struct Script<T> {
    state: Arc<Mutex<State<T>>>,
}

struct State<T> {
    steps: Vec<T>,
    played: usize,
}

impl<T> Clone for Script<T> {
    fn clone(&self) -> Self {
        Self {
            state: Arc::clone(&self.state),
        }
    }
}

impl<T> fmt::Debug for Script<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Script")
            .field("steps", &state.steps.len())
            .field("played", &state.played)
            .finish()
    }
}

impl<T> Script<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Clone> Script<T> {
    /// A script of `steps`; `next` on an empty one is `None`.
    pub fn new(steps: impl IntoIterator<Item = T>) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                steps: steps.into_iter().collect(),
                played: 0,
            })),
        }
    }

    /// The next step (the last one again once all were played); `None` for an empty script.
    pub fn next(&self) -> Option<T> {
        let mut state = self.lock();
        let step = state
            .steps
            .get(state.played)
            .or_else(|| state.steps.last())
            .cloned();
        state.played += 1;
        step
    }

    /// How many times [`next`](Self::next) was called.
    pub fn played(&self) -> usize {
        self.lock().played
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_steps_in_order_then_repeats_the_last() {
        let script = Script::new(["creating", "creating", "available"]);
        let seen = script.clone();
        let played: Vec<_> = (0..5).map(|_| script.next().unwrap()).collect();
        assert_eq!(
            played,
            [
                "creating",
                "creating",
                "available",
                "available",
                "available"
            ]
        );
        assert_eq!(seen.played(), 5);
        assert_eq!(Script::<u8>::new([]).next(), None);
    }
}
