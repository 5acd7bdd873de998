//! Reading a response body whole, with a size limit and stalled-stream protection.
//!
//! Stalled-stream protection, as the AWS SDKs define it for downloads: once the
//! headers are in, a body that makes no progress (throughput zero) for the grace
//! period fails the attempt with a retryable I/O error, instead of hanging until a
//! read timeout, if one was set at all. The SDKs measure throughput over a one-second
//! window against a minimum of 1 byte/s and then wait out the grace period; for the
//! small buffered bodies of awsQuery, "no byte for the grace period" is the same test
//! without the bookkeeping.
//!
//! Per chunk it costs one clock read; the timer is armed once per body and pushed
//! back only when it fires.

use std::future::{poll_fn, Future as _};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use hyper::body::Body as _;
use tokio::time::Instant;

use crate::transport::{TransportError, TransportErrorKind};

/// The whole of `body`: at most `limit` bytes, failing if no byte arrives for
/// `grace` (when set).
pub(super) async fn read_body(
    body: hyper::body::Incoming,
    limit: usize,
    grace: Option<Duration>,
) -> Result<Bytes, TransportError> {
    let expected = body.size_hint().exact();
    let mut body = pin!(body);
    let mut timer = pin!(grace.map(tokio::time::sleep));
    let mut last_progress = Instant::now();
    let mut received = 0usize;
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    loop {
        // `None`: the stall timer fired.
        let next = poll_fn(|cx| {
            if let Poll::Ready(frame) = body.as_mut().poll_frame(cx) {
                return Poll::Ready(Some(frame));
            }
            match timer.as_mut().as_pin_mut().map(|timer| timer.poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(None),
                _ => Poll::Pending,
            }
        })
        .await;
        let frame = match next {
            Some(Some(frame)) => frame,
            Some(None) => break,
            None => {
                let grace = grace.unwrap_or_default();
                let deadline = last_progress + grace;
                if Instant::now() < deadline {
                    if let Some(timer) = timer.as_mut().as_pin_mut() {
                        timer.reset(deadline);
                    }
                    continue;
                }
                return Err(stalled(grace, received, expected));
            }
        };
        let frame = frame.map_err(|e| {
            TransportError::new(
                TransportErrorKind::Io,
                format!("the response body was cut short: {}", super::describe(&e)),
            )
            .with_source(e)
        })?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        if data.is_empty() {
            continue;
        }
        if grace.is_some() {
            last_progress = Instant::now();
        }
        received = received.saturating_add(data.len());
        if received > limit {
            return Err(TransportError::new(
                TransportErrorKind::Response,
                format!("the response body is larger than the limit of {limit} bytes"),
            ));
        }
        // One chunk is kept as it came; more are joined into one buffer.
        match (&mut joined, first.take()) {
            (Some(buffer), _) => buffer.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (None, Some(earlier)) => {
                let capacity = expected
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0)
                    .clamp(
                        earlier.len() + data.len(),
                        limit.max(earlier.len() + data.len()),
                    );
                let mut buffer = BytesMut::with_capacity(capacity);
                buffer.extend_from_slice(&earlier);
                buffer.extend_from_slice(&data);
                joined = Some(buffer);
            }
        }
    }
    Ok(match joined {
        Some(buffer) => buffer.freeze(),
        None => first.unwrap_or_default(),
    })
}

fn stalled(grace: Duration, received: usize, expected: Option<u64>) -> TransportError {
    let of = expected.map(|n| format!(" of {n}")).unwrap_or_default();
    TransportError::new(
        TransportErrorKind::Io,
        format!(
            "the response body stalled: no data for {grace:?} after {received}{of} bytes (stalled-stream protection)"
        ),
    )
}
