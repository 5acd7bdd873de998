use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment the loader reads: variables, and the home directory that `~` and the
/// default file locations (`~/.aws/config`, `~/.aws/credentials`) refer to.
///
/// [`Env::from_process`] reads the real process environment;
/// [`Env::from_pairs`] is a fixed map, so that tests never depend on, or change,
/// the variables of the process running them.
#[derive(Clone)]
pub struct Env {
    vars: Vars,
    home: Option<PathBuf>,
}

#[derive(Clone)]
enum Vars {
    Process,
    Map(HashMap<String, String>),
}

impl Env {
    /// The process environment (`std::env::var`). The home directory is `HOME`; on
    /// Windows, then `USERPROFILE`, then `HOMEDRIVE` with `HOMEPATH`.
    pub fn from_process() -> Self {
        let home = home_dir(|name| std::env::var_os(name));
        Self {
            vars: Vars::Process,
            home,
        }
    }

    /// A fixed set of variables. The home directory comes from the pairs as in
    /// [`from_process`](Self::from_process) (`HOME`, then on Windows `USERPROFILE` or `HOMEDRIVE` with `HOMEPATH`);
    /// [`with_home`](Self::with_home) sets it directly.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let home = home_dir(|name| map.get(name).map(OsString::from));
        Self {
            vars: Vars::Map(map),
            home,
        }
    }

    /// The same variables with `home` as the home directory.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The value of the variable `name`; an empty value counts as unset, and so does a
    /// process variable that is not valid Unicode.
    pub fn var(&self, name: &str) -> Option<String> {
        let value = match &self.vars {
            Vars::Process => std::env::var(name).ok(),
            Vars::Map(map) => map.get(name).cloned(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// A variable holding a path: like [`var`](Self::var), but a process variable need
    /// not be Unicode.
    pub(crate) fn path_var(&self, name: &str) -> Option<PathBuf> {
        self.raw_path_var(name)
            .filter(|v| !v.as_os_str().is_empty())
    }

    /// A variable holding a path as set, empty or not (for the settings where an
    /// empty value is an error rather than unset); need not be Unicode.
    pub(crate) fn raw_path_var(&self, name: &str) -> Option<PathBuf> {
        let value = match &self.vars {
            Vars::Process => std::env::var_os(name),
            Vars::Map(map) => map.get(name).map(OsString::from),
        };
        value.map(PathBuf::from)
    }

    /// The home directory, if one is known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }
}

/// The home directory as the AWS SDKs' shared file-location tests define it:
/// `HOME`; on Windows, then `USERPROFILE`, then `HOMEDRIVE` followed by
/// `HOMEPATH`. Empty values count as unset.
fn home_dir(lookup: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    home_dir_for(cfg!(windows), lookup)
}

fn home_dir_for(windows: bool, lookup: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
    if let Some(home) = var("HOME") {
        return Some(PathBuf::from(home));
    }
    if !windows {
        return None;
    }
    if let Some(profile) = var("USERPROFILE") {
        return Some(PathBuf::from(profile));
    }
    let mut drive = var("HOMEDRIVE")?;
    drive.push(var("HOMEPATH")?);
    Some(PathBuf::from(drive))
}

/// Lists the variable names only: their values may be secrets.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Env");
        match &self.vars {
            Vars::Process => s.field("vars", &"process environment"),
            Vars::Map(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                s.field("vars", &names)
            }
        };
        s.field("home", &self.home).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(windows: bool, vars: &[(&str, &str)]) -> Option<String> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        };
        home_dir_for(windows, lookup).map(|p| p.display().to_string())
    }

    #[test]
    fn home_is_home_then_userprofile_then_drive_and_path_on_windows() {
        let all = [
            ("HOME", "/home/h"),
            ("USERPROFILE", "C:\\Users\\u"),
            ("HOMEDRIVE", "D:"),
            ("HOMEPATH", "\\p"),
        ];
        assert_eq!(home(true, &all).as_deref(), Some("/home/h"));
        assert_eq!(home(true, &all[1..]).as_deref(), Some("C:\\Users\\u"));
        assert_eq!(home(true, &all[2..]).as_deref(), Some("D:\\p"));
        assert_eq!(home(true, &all[3..]), None);
        assert_eq!(
            home(true, &[("HOME", ""), ("USERPROFILE", "U")]).as_deref(),
            Some("U")
        );
        // Elsewhere only HOME counts.
        assert_eq!(home(false, &all).as_deref(), Some("/home/h"));
        assert_eq!(home(false, &all[1..]), None);
    }
}

/// The AWS SDKs' shared cases for where the files are (`file-location-tests.json`,
/// shipped in the `aws-runtime` crate; `cargo xtask sdk-test-data` fetches it and
/// prints its folder, which `AWS_SDK_TEST_DATA_DIR` names).
#[cfg(test)]
mod shared_cases {
    use super::*;

    /// `\` and `/` compared alike: the cases spell Windows paths, and joining on
    /// this machine uses its own separator.
    fn normalized(path: &str) -> String {
        path.replace('\\', "/")
    }

    #[test]
    fn the_aws_sdks_file_location_cases_pass() {
        let dir = std::env::var_os("AWS_SDK_TEST_DATA_DIR").unwrap_or_else(|| {
            panic!("AWS_SDK_TEST_DATA_DIR is not set: export AWS_SDK_TEST_DATA_DIR=$(cargo xtask sdk-test-data) (see the README)")
        });
        let path = PathBuf::from(dir).join("file-location-tests.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let suite: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cases = suite["tests"].as_array().unwrap();
        assert!(cases.len() >= 9, "{} cases", cases.len());
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let vars: HashMap<String, String> = case["environment"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            let windows = case["platform"] == "windows";
            let home = home_dir_for(windows, |name| vars.get(name).map(OsString::from));
            let env = Env {
                vars: Vars::Map(vars),
                home,
            };
            let config = crate::env::profile::config_file_path(&env)
                .unwrap()
                .unwrap();
            let credentials = crate::env::profile::credentials_file_path(&env)
                .unwrap()
                .unwrap();
            assert_eq!(
                normalized(&config.display().to_string()),
                normalized(case["configLocation"].as_str().unwrap()),
                "{name}"
            );
            assert_eq!(
                normalized(&credentials.display().to_string()),
                normalized(case["credentialsLocation"].as_str().unwrap()),
                "{name}"
            );
            if let Some(profile) = case["profile"].as_str() {
                let selected = env.var("AWS_PROFILE").unwrap_or_else(|| "default".into());
                assert_eq!(selected, profile, "{name}");
            }
        }
    }
}
