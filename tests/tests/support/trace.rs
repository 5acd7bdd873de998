//! Capturing `tracing` output of one test while others run in parallel.
//!
//! Scoped subscribers (`tracing::subscriber::with_default`) in parallel tests
//! lose events: while only one of them is alive, tracing-core asks the
//! *registering thread's* default subscriber whether a callsite is of
//! interest, so a test without a subscriber that reaches a callsite first
//! caches it as never enabled, for every thread (tracing-core 0.1.36,
//! `Dispatchers::rebuilder`). Instead, each test binary gets one global
//! subscriber at TRACE, installed once, that writes into the buffer of the
//! thread that emitted the event, if that thread is capturing.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Once};

thread_local! {
    static CAPTURE: RefCell<Option<Arc<Mutex<Vec<u8>>>>> = const { RefCell::new(None) };
}

/// Writes into the current thread's capture, or nowhere.
struct ThreadCapture;

impl std::io::Write for ThreadCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(buffer) = &*capture.borrow() {
                buffer.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .without_time()
            .with_writer(|| ThreadCapture)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in this test binary");
    });
    // A callsite first reached before the subscriber existed is asked again.
    tracing::callsite::rebuild_interest_cache();
}

/// Runs `body` on this thread and returns what it traced at TRACE, one line per
/// event (no time, no colours), each with its spans and their fields. Code
/// that `body` runs on other threads is not captured: run async code on a
/// current-thread runtime inside `body`.
pub fn capture<R>(body: impl FnOnce() -> R) -> (R, String) {
    install();
    let buffer = Arc::new(Mutex::new(Vec::new()));
    CAPTURE.with(|capture| *capture.borrow_mut() = Some(Arc::clone(&buffer)));
    // Cleared even if `body` panics, so a failed test leaves no capture behind.
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            CAPTURE.with(|capture| *capture.borrow_mut() = None);
        }
    }
    let clear = Clear;
    let result = body();
    drop(clear);
    let logs = String::from_utf8(buffer.lock().unwrap().clone()).expect("UTF-8 logs");
    (result, logs)
}
