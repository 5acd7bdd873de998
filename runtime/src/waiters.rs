//! Waiters, sans-IO: what an answer means for a wait.
//!
//! Each generated waiter has a `classify(input, result)` function that runs the
//! model's acceptors in order over one answer and says which state the first
//! that matches reaches; a loop of your own can poll with it. The generated
//! client's `wait_until_…` builders run the AWS SDKs' loop around it.

/// The state an acceptor leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: the resource got there.
    Success,
    /// The wait is over: the resource will not get there.
    Failure,
    /// Poll again.
    Retry,
}
