//! The adaptive retry mode against a loopback service that throttles: the
//! client's request rate, as the service counts it, falls to near what the
//! service accepts. Everything runs in simulated time on a `ManualClock` (the
//! service takes 10 ms of it per request, and the client's waits move it), so
//! the counts do not depend on the machine's speed.

mod ping;
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use querygen_client::config::RetryMode;
use querygen_client::credentials::{Clock, ManualClock};
use querygen_client::RetryConfig;
use support::{serve, Reply};

/// Requests per second the service accepts; it throttles the rest.
const CAPACITY: usize = 20;
/// Simulated time the service takes per request: 100 requests/s flat out.
const SERVICE_TIME: Duration = Duration::from_millis(10);
/// Simulated seconds each run lasts.
const SECONDS: usize = 30;

/// What the service saw in one second of simulated time.
#[derive(Debug, Default, Clone, Copy)]
struct Window {
    requests: usize,
    throttled: usize,
}

/// Runs sequential one-attempt calls for `SECONDS` simulated seconds in `mode`
/// against a service that accepts `CAPACITY` requests per second; what the
/// service saw, second by second.
async fn run(mode: RetryMode) -> Vec<Window> {
    let start = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    let clock = ManualClock::new(start);
    let windows = Arc::new(Mutex::new(vec![Window::default(); SECONDS + 1]));
    let seen = Arc::clone(&windows);
    let service_clock = clock.clone();
    let server = serve(move |_| {
        let second = second_of(service_clock.now(), start).min(SECONDS);
        service_clock.advance(SERVICE_TIME);
        let mut windows = seen.lock().unwrap();
        let window = &mut windows[second];
        window.requests += 1;
        if window.requests > CAPACITY {
            window.throttled += 1;
            Reply::new(400, ping::error_body("Throttling"))
        } else {
            Reply::ok("")
        }
    })
    .await;
    let mut retry = RetryConfig::default();
    retry.max_attempts = 1;
    let handle = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .retry_config(retry)
            .retry_mode(mode)
            .build(),
    );
    while second_of(clock.now(), start) < SECONDS {
        let _ = ping::ping(&handle).await;
    }
    let seen = windows.lock().unwrap()[..SECONDS].to_vec();
    seen
}

fn second_of(now: SystemTime, start: SystemTime) -> usize {
    now.duration_since(start).unwrap().as_secs() as usize
}

#[tokio::test]
async fn a_throttling_service_sees_the_adaptive_clients_rate_fall() {
    let standard = run(RetryMode::Standard).await;
    let adaptive = run(RetryMode::Adaptive).await;
    let counts = |w: &[Window]| {
        w.iter()
            .map(|w| format!("{}/{}", w.requests, w.throttled))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let report = format!(
        "requests/throttled per second\nstandard: {}\nadaptive: {}",
        counts(&standard),
        counts(&adaptive)
    );

    eprintln!("{report}");

    // Standard mode never slows down: 100 requests a second, 80 of them throttled.
    for window in &standard {
        assert_eq!((window.requests, window.throttled), (100, 80), "{report}");
    }

    // Adaptive mode sends flat out until the first throttle...
    assert!(adaptive[0].requests > CAPACITY, "{report}");
    assert_eq!(
        adaptive[0].throttled, 1,
        "paced from the first throttle on; {report}"
    );
    // ...then never again at the rate it started with: once its measurements
    // have settled, it sends at about the service's capacity, and is rarely throttled.
    let settled = &adaptive[10..];
    let requests: usize = settled.iter().map(|w| w.requests).sum();
    let throttled: usize = settled.iter().map(|w| w.throttled).sum();
    let per_second = requests as f64 / settled.len() as f64;
    assert!(adaptive[1..].iter().all(|w| w.requests < 100), "{report}");
    assert!(
        (0.5 * CAPACITY as f64..=1.5 * CAPACITY as f64).contains(&per_second),
        "{per_second} requests/s once settled; {report}"
    );
    assert!(
        throttled * 5 < requests,
        "{throttled} of {requests} throttled once settled; {report}"
    );
}

#[tokio::test]
async fn clones_of_a_client_share_one_rate_limiter() {
    // A service that throttles everything: once one clone has been throttled,
    // the other's next attempt waits for a token (at the floor rate of 0.5/s).
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_767_225_600));
    let server = serve(|_| Reply::new(400, ping::error_body("Throttling"))).await;
    let mut retry = RetryConfig::default();
    retry.max_attempts = 1;
    let handle = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .retry_config(retry)
            .retry_mode(RetryMode::Adaptive)
            .build(),
    );
    let clone = Arc::clone(&handle);
    let before = clock.now();
    ping::ping(&handle).await.unwrap_err();
    assert_eq!(clock.now(), before, "no wait before the first throttle");
    ping::ping(&clone).await.unwrap_err();
    let waited = clock.now().duration_since(before).unwrap();
    assert!(waited > Duration::ZERO, "the clone waited {waited:?}");
    // A client of its own is not slowed by the first one's throttling.
    let other = ping::handle(
        ping::config(&server.url)
            .clock(clock.clone())
            .sleep(clock.clone())
            .retry_config(retry)
            .retry_mode(RetryMode::Adaptive)
            .build(),
    );
    let before = clock.now();
    ping::ping(&other).await.unwrap_err();
    assert_eq!(clock.now(), before);
    assert_eq!(server.requests().len(), 3);
}
