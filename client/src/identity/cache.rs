//! The client's credentials cache: one refresh at a time, ahead of expiry.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::{Clock, Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};

/// When the cache refreshes and how close to expiry it still signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheSettings {
    /// Refresh this long before the expiry (default 5 minutes)…
    pub refresh_before: Duration,
    /// …plus a random part of this much, so that a fleet of clients does not
    /// refresh at the same instant (default 1 minute).
    pub refresh_jitter: Duration,
    /// Credentials this close to their expiry are not used to sign any more: a
    /// request signed now must still be valid when it arrives (default 10 seconds).
    pub expiry_margin: Duration,
    /// Credentials without an expiry are fetched again after this long, so that
    /// rotated keys are picked up; if that fails the old ones go on (default 15 minutes).
    pub no_expiry_reload: Duration,
    /// After a failed refresh, the next is tried no sooner than this (default 10 seconds).
    pub retry_after_failure: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            refresh_before: Duration::from_secs(300),
            refresh_jitter: Duration::from_secs(60),
            expiry_margin: Duration::from_secs(10),
            no_expiry_reload: Duration::from_secs(900),
            retry_after_failure: Duration::from_secs(10),
        }
    }
}

/// Caches what a provider returns and refreshes it before it expires.
///
/// - Fresh credentials are returned at once, without calling the provider.
/// - From [`CacheSettings::refresh_before`] (plus jitter) before the expiry, one
///   caller refreshes while the others go on with the cached credentials; if the
///   refresh fails, they are kept (and a `warn` event says why) until they expire.
/// - Missing or expired credentials make every caller wait on one provider call,
///   however many there are; if it fails, they all get its error.
/// - Credentials within [`CacheSettings::expiry_margin`] of their expiry are
///   never returned.
///
/// This keeps using credentials through a failed early refresh, as botocore's
/// advisory refresh does, where aws-config drops them first: a brief outage of
/// a metadata service then costs no failed calls.
#[derive(Debug, Clone)]
pub struct CredentialsCache {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    provider: SharedCredentialsProvider,
    clock: Arc<dyn Clock>,
    settings: CacheSettings,
    state: Mutex<Option<Cached>>,
    /// Held by the one caller that is calling the provider.
    loading: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone)]
struct Cached {
    credentials: Arc<Credentials>,
    /// From here on, one caller refreshes.
    refresh_at: SystemTime,
    /// From here on, the credentials are not used (`None`: never expire).
    unusable_at: Option<SystemTime>,
}

impl CredentialsCache {
    /// A cache in front of `provider`, reading time from `clock`.
    pub fn new(
        provider: impl ProvideCredentials + 'static,
        clock: Arc<dyn Clock>,
        settings: CacheSettings,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                provider: SharedCredentialsProvider::new(provider),
                clock,
                settings,
                state: Mutex::new(None),
                loading: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Credentials that are valid now, from the cache or the provider.
    pub async fn credentials(&self) -> Result<Arc<Credentials>, CredentialsError> {
        let inner = &self.inner;
        let now = inner.clock.now();
        if let Some(cached) = inner.cached() {
            if now < cached.refresh_at && cached.usable(now) {
                return Ok(cached.credentials);
            }
            if cached.usable(now) {
                // Early refresh: one caller does it; the others use what is cached.
                let Ok(_loading) = inner.loading.try_lock() else {
                    return Ok(cached.credentials);
                };
                return Ok(inner.refresh_keeping(cached).await);
            }
        }
        let _loading = inner.loading.lock().await;
        // Another caller may have loaded while this one waited.
        if let Some(cached) = inner.cached() {
            if cached.usable(inner.clock.now()) {
                return Ok(cached.credentials);
            }
        }
        inner.load().await
    }

    /// The provider the cache calls.
    pub fn provider(&self) -> &SharedCredentialsProvider {
        &self.inner.provider
    }
}

impl Inner {
    fn cached(&self) -> Option<Cached> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn store(&self, cached: Cached) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = Some(cached);
    }

    /// Calls the provider and caches what it returns.
    async fn load(&self) -> Result<Arc<Credentials>, CredentialsError> {
        let credentials = self.provider.provide_credentials().await?;
        let now = self.clock.now();
        let cached = self.entry(Arc::new(credentials), now);
        if !cached.usable(now) {
            return Err(CredentialsError::provider_error(format!(
                "{} returned credentials that expire at {}, too soon to sign with",
                cached.credentials.source(),
                cached
                    .credentials
                    .expiry()
                    .map(super::rfc3339)
                    .unwrap_or_default()
            )));
        }
        let credentials = Arc::clone(&cached.credentials);
        self.store(cached);
        Ok(credentials)
    }

    /// An early refresh: on failure, keeps `cached` and tries again later.
    async fn refresh_keeping(&self, cached: Cached) -> Arc<Credentials> {
        match self.load().await {
            Ok(credentials) => credentials,
            Err(error) => {
                let now = self.clock.now();
                tracing::warn!(
                    provider = self.provider.name(),
                    error = %error,
                    "refreshing credentials failed; going on with the cached ones until they expire"
                );
                let retry_at = now + self.settings.retry_after_failure;
                self.store(Cached {
                    refresh_at: retry_at,
                    ..cached.clone()
                });
                cached.credentials
            }
        }
    }

    fn entry(&self, credentials: Arc<Credentials>, now: SystemTime) -> Cached {
        let settings = &self.settings;
        match credentials.expiry() {
            None => Cached {
                credentials,
                refresh_at: now + settings.no_expiry_reload,
                unusable_at: None,
            },
            Some(expiry) => {
                let jitter = settings
                    .refresh_jitter
                    .mul_f64(crate::retry::random_unit().clamp(0.0, 1.0));
                let early = settings.refresh_before + jitter;
                Cached {
                    refresh_at: expiry.checked_sub(early).unwrap_or(SystemTime::UNIX_EPOCH),
                    unusable_at: Some(
                        expiry
                            .checked_sub(settings.expiry_margin)
                            .unwrap_or(SystemTime::UNIX_EPOCH),
                    ),
                    credentials,
                }
            }
        }
    }
}

impl Cached {
    fn usable(&self, now: SystemTime) -> bool {
        self.unusable_at.is_none_or(|at| now < at)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::identity::{CredentialsFuture, ManualClock};

    const START: Duration = Duration::from_secs(1_800_000_000);

    /// Answers from a script, counting calls; each call takes `delay`.
    #[derive(Debug)]
    struct Scripted {
        answers: Mutex<VecDeque<Result<Credentials, CredentialsError>>>,
        calls: AtomicUsize,
        delay: Duration,
    }

    impl Scripted {
        fn new(answers: Vec<Result<Credentials, CredentialsError>>) -> Arc<Self> {
            Arc::new(Self {
                answers: Mutex::new(answers.into()),
                calls: AtomicUsize::new(0),
                delay: Duration::ZERO,
            })
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                if !self.delay.is_zero() {
                    tokio::time::sleep(self.delay).await;
                }
                self.answers
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or_else(|| Err(CredentialsError::provider_error("script ran out")))
            })
        }
    }

    fn at(offset: Duration) -> SystemTime {
        SystemTime::UNIX_EPOCH + START + offset
    }

    fn expiring(key: &str, expiry: SystemTime) -> Result<Credentials, CredentialsError> {
        Ok(Credentials::new(key, "secret", Some("token".into())).with_expiry(expiry))
    }

    fn cache(provider: &Arc<Scripted>, clock: &ManualClock) -> CredentialsCache {
        CredentialsCache::new(
            Arc::clone(provider),
            Arc::new(clock.clone()),
            CacheSettings::default(),
        )
    }

    const HOUR: Duration = Duration::from_secs(3600);
    const MINUTE: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn fresh_credentials_are_served_without_calling_the_provider_again() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Scripted::new(vec![expiring("A", at(HOUR))]);
        let cache = cache(&provider, &clock);
        for minutes in [0, 10, 50] {
            clock.set(at(MINUTE * minutes));
            assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        }
        assert_eq!(provider.calls(), 1);
    }

    #[tokio::test]
    async fn two_hundred_callers_on_expired_credentials_make_one_provider_call() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Arc::new(Scripted {
            answers: Mutex::new(
                vec![expiring("OLD", at(HOUR)), expiring("NEW", at(HOUR * 3))].into(),
            ),
            calls: AtomicUsize::new(0),
            delay: Duration::from_millis(50),
        });
        let cache = cache(&provider, &clock);
        cache.credentials().await.unwrap();
        clock.set(at(HOUR * 2)); // long expired
        let callers: Vec<_> = (0..200)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.credentials().await })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap().access_key_id(), "NEW");
        }
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test]
    async fn a_failed_load_is_returned_and_not_cached() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Scripted::new(vec![
            Err(CredentialsError::provider_error("metadata service down")),
            expiring("A", at(HOUR)),
        ]);
        let cache = cache(&provider, &clock);
        let e = cache.credentials().await.unwrap_err();
        assert_eq!(e.to_string(), "metadata service down");
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        assert_eq!(provider.calls(), 2);
    }

    #[tokio::test]
    async fn credentials_are_refreshed_ahead_of_expiry_and_kept_while_refreshing_fails() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Scripted::new(vec![
            expiring("A", at(HOUR)),
            Err(CredentialsError::provider_error("throttled")),
            Err(CredentialsError::provider_error("still throttled")),
            expiring("B", at(HOUR * 2)),
        ]);
        let cache = cache(&provider, &clock);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        // 5 to 6 minutes ahead of the expiry the refresh starts.
        clock.set(at(HOUR - MINUTE * 6 - Duration::from_secs(1)));
        cache.credentials().await.unwrap();
        assert_eq!(provider.calls(), 1);
        clock.set(at(HOUR - MINUTE * 5));
        // The refresh fails: the cached credentials go on.
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        assert_eq!(provider.calls(), 2);
        // Not again for the next 10 seconds...
        clock.advance(Duration::from_secs(5));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        assert_eq!(provider.calls(), 2);
        // ...then again (failing), then succeeding.
        clock.advance(Duration::from_secs(6));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        assert_eq!(provider.calls(), 3);
        clock.advance(Duration::from_secs(11));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "B");
        assert_eq!(provider.calls(), 4);
    }

    #[tokio::test]
    async fn expired_credentials_are_never_returned() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Scripted::new(vec![
            expiring("A", at(HOUR)),
            Err(CredentialsError::provider_error("down")),
            Err(CredentialsError::provider_error("down")),
        ]);
        let cache = cache(&provider, &clock);
        cache.credentials().await.unwrap();
        // Just before the margin: still A (a refresh was tried and failed).
        clock.set(at(HOUR - Duration::from_secs(11)));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        // From 10 seconds before the expiry on: the provider's error.
        clock.set(at(HOUR - Duration::from_secs(10)));
        let e = cache.credentials().await.unwrap_err();
        assert_eq!(e.to_string(), "down");
    }

    #[tokio::test]
    async fn credentials_that_expire_within_the_margin_are_refused() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Scripted::new(vec![
            expiring("A", at(Duration::from_secs(5))).map(|c| c.with_source("test provider"))
        ]);
        let e = cache(&provider, &clock).credentials().await.unwrap_err();
        assert!(
            e.to_string()
                .starts_with("test provider returned credentials that expire at"),
            "{e}"
        );
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_reloaded_after_fifteen_minutes_and_kept_on_failure() {
        let clock = ManualClock::new(at(Duration::ZERO));
        let provider = Scripted::new(vec![
            Ok(Credentials::new("A", "s", None)),
            Err(CredentialsError::provider_error("file gone")),
            Ok(Credentials::new("B", "s", None)),
        ]);
        let cache = cache(&provider, &clock);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        clock.set(at(MINUTE * 14));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        assert_eq!(provider.calls(), 1);
        clock.set(at(MINUTE * 15));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "A");
        assert_eq!(provider.calls(), 2);
        clock.advance(Duration::from_secs(10));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "B");
    }
}
