//! Which certificate authorities the default transport trusts for `https`.
//!
//! - [`TrustRoots::mozilla`] (the default): Mozilla's roots, compiled in from
//!   `webpki-roots`. The same everywhere, and no file to read at start-up.
//! - `TrustRoots::native()` (cargo feature `native-roots`): the operating
//!   system's store, read with `rustls-native-certs` (`SSL_CERT_FILE` and
//!   `SSL_CERT_DIR` replace it, as with OpenSSL).
//! - [`TrustRoots::from_pem_file`] and [`TrustRoots::from_pem`]: a CA bundle, one or
//!   more PEM certificates, that replaces the defaults (as `AWS_CA_BUNDLE` does in
//!   the AWS CLI and botocore). [`ConfigBuilder::from_env`](crate::ConfigBuilder::from_env)
//!   reads the file named by `AWS_CA_BUNDLE`, else by the profile's `ca_bundle`.
//!
//! A bundle that cannot be read, holds no certificate or holds one that is not a
//! valid X.509 certificate is a [`ConfigError`] naming the file.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::CertificateDer;

use crate::env::{ConfigError, ConfigErrorKind};

/// The certificate authorities that `https` servers' certificates must chain to.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TrustRoots {
    roots: Roots,
}

#[derive(Clone, Default, PartialEq, Eq)]
enum Roots {
    #[default]
    Mozilla,
    /// A bundle or the system's store, already read.
    Certificates {
        /// Where they came from, for `Debug` and errors.
        source: String,
        certificates: Arc<[CertificateDer<'static>]>,
    },
}

impl TrustRoots {
    /// Mozilla's root certificates (`webpki-roots`), compiled in. The default.
    pub fn mozilla() -> Self {
        Self::default()
    }

    /// The operating system's trusted certificates, read now. An error if none
    /// can be read.
    #[cfg(feature = "native-roots")]
    pub fn native() -> Result<Self, ConfigError> {
        let found = rustls_native_certs::load_native_certs();
        if found.certs.is_empty() {
            let reasons: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
            return Err(ConfigError::new(
                ConfigErrorKind::Io,
                format!(
                    "no trusted certificate found in the system's store{}",
                    if reasons.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", reasons.join("; "))
                    }
                ),
            ));
        }
        Ok(Self {
            roots: Roots::Certificates {
                source: "the system's store".to_owned(),
                certificates: found.certs.into(),
            },
        })
    }

    /// The certificates of a PEM bundle given in code, instead of the defaults.
    pub fn from_pem(pem: &[u8]) -> Result<Self, ConfigError> {
        Self::parse(pem, "the CA bundle given in code".to_owned())
            .map_err(|message| ConfigError::new(ConfigErrorKind::InvalidValue, message))
    }

    /// The certificates of the PEM file at `path`, instead of the defaults. The error
    /// names the file.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let source = format!("the CA bundle {}", path.display());
        let pem = std::fs::read(path).map_err(|e| {
            ConfigError::new(ConfigErrorKind::Io, format!("cannot read {source}: {e}"))
                .in_file(path, None)
        })?;
        Self::parse(&pem, source).map_err(|message| {
            ConfigError::new(ConfigErrorKind::InvalidValue, message).in_file(path, None)
        })
    }

    fn parse(pem: &[u8], source: String) -> Result<Self, String> {
        let certificates = CertificateDer::pem_slice_iter(pem)
            .enumerate()
            .map(|(index, certificate)| {
                let certificate = certificate.map_err(|e| {
                    format!("{source} is not valid PEM (certificate {}): {e}", index + 1)
                })?;
                check(&certificate).map_err(|e| {
                    format!(
                        "certificate {} of {source} is not a usable X.509 CA certificate: {e}",
                        index + 1
                    )
                })?;
                Ok(certificate)
            })
            .collect::<Result<Vec<_>, String>>()?;
        if certificates.is_empty() {
            return Err(format!(
                "{source} holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)"
            ));
        }
        Ok(Self {
            roots: Roots::Certificates {
                source,
                certificates: certificates.into(),
            },
        })
    }

    /// The roots as rustls takes them.
    #[cfg(feature = "rustls")]
    pub(crate) fn root_store(&self) -> Result<rustls::RootCertStore, String> {
        match &self.roots {
            Roots::Mozilla => Ok(rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            }),
            Roots::Certificates {
                source,
                certificates,
            } => {
                let mut store = rustls::RootCertStore::empty();
                for certificate in certificates.iter() {
                    store
                        .add(certificate.clone())
                        .map_err(|e| format!("a certificate of {source} is not usable: {e}"))?;
                }
                Ok(store)
            }
        }
    }
}

/// Whether rustls will take `certificate` as a root.
#[cfg(feature = "rustls")]
fn check(certificate: &CertificateDer<'static>) -> Result<(), String> {
    rustls::RootCertStore::empty()
        .add(certificate.clone())
        .map_err(|e| e.to_string())
}

/// Without rustls nothing uses the roots; the PEM syntax was checked.
#[cfg(not(feature = "rustls"))]
fn check(_certificate: &CertificateDer<'static>) -> Result<(), String> {
    Ok(())
}

impl fmt::Debug for TrustRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.roots {
            Roots::Mozilla => f.write_str("TrustRoots(Mozilla)"),
            Roots::Certificates {
                source,
                certificates,
            } => write!(
                f,
                "TrustRoots({} certificates from {source})",
                certificates.len()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_bundle_is_an_io_error_naming_the_file() {
        let path = std::env::temp_dir().join("querygen-no-such-bundle.pem");
        let error = TrustRoots::from_pem_file(&path).unwrap_err();
        assert_eq!(error.kind(), ConfigErrorKind::Io);
        assert_eq!(error.path(), Some(path.as_path()));
        assert!(
            error.to_string().contains("querygen-no-such-bundle.pem"),
            "{error}"
        );
    }

    #[test]
    fn a_bundle_without_certificates_is_invalid() {
        for pem in [
            &b""[..],
            b"not pem at all\n",
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ] {
            let error = TrustRoots::from_pem(pem).unwrap_err();
            assert_eq!(error.kind(), ConfigErrorKind::InvalidValue);
            assert!(
                error.to_string().contains("holds no PEM certificate"),
                "{error}"
            );
        }
    }

    #[test]
    fn broken_pem_and_non_certificates_are_invalid() {
        let error =
            TrustRoots::from_pem(b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
                .unwrap_err();
        assert!(
            error.to_string().contains("not valid PEM (certificate 1)"),
            "{error}"
        );
        let error = TrustRoots::from_pem(b"-----BEGIN CERTIFICATE-----\nAAAA\n").unwrap_err();
        assert!(error.to_string().contains("not valid PEM"), "{error}");
        #[cfg(feature = "rustls")]
        {
            // Valid base64 of bytes that are no certificate.
            let error = TrustRoots::from_pem(
                b"-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n",
            )
            .unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains("certificate 1 of the CA bundle given in code is not a usable"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_default_is_mozilla() {
        assert_eq!(TrustRoots::default(), TrustRoots::mozilla());
        assert_eq!(
            format!("{:?}", TrustRoots::default()),
            "TrustRoots(Mozilla)"
        );
        #[cfg(feature = "rustls")]
        assert!(TrustRoots::mozilla().root_store().unwrap().len() > 100);
    }
}
