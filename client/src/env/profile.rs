//! The shared `config` and `credentials` files: where they are, their syntax, and
//! how their profiles merge.
//!
//! The format is the one every AWS SDK reads (the cross-SDK profile parser tests
//! define it):
//! - A section header is a line starting with `[`: `[default]`, `[profile name]`,
//!   `[sso-session name]`, `[services name]` in the config file; `[name]` in the
//!   credentials file. The config file ignores `[name]` sections other than
//!   `[default]`, and a `[profile default]` there replaces any `[default]`; the
//!   credentials file ignores sections with a prefix. Names are case-sensitive and
//!   made of `A-Z a-z 0-9 _ - / . % @ : +`; sections with other names are ignored.
//! - A property is `key = value`. Keys are case-insensitive (kept lower-case here);
//!   keys that are not valid names are ignored. Spaces and tabs around keys and values
//!   are trimmed, and a value may contain `=`.
//! - A line whose first non-blank character is `#` or `;` is a comment. After a
//!   section header a comment may follow directly (`[default]# note`); after a value
//!   the `#` or `;` must follow a space or tab (`url = http://h/#x` keeps its `#x`).
//! - An indented line continues the property above it: its text is appended to the
//!   value after a newline. If that property's value was empty, the indented lines are
//!   instead its sub-properties, `key = value` each (used by `[services name]`
//!   sections: `elasticache =` then `  endpoint_url = http://localhost:4566`).
//! - Sections that appear twice merge, and a key set twice keeps its last value; a
//!   profile in both files merges too, the credentials file winning for a key set in
//!   both.
//!
//! A line that fits none of these is a [`ConfigError`] with the file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ConfigError, ConfigErrorKind, Env};

/// Spaces and tabs: the only characters the format treats as blank.
const BLANK: [char; 2] = [' ', '\t'];
const COMMENT: [char; 2] = ['#', ';'];

/// Which of the two shared files a text is; they name profile sections differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// The config file (`~/.aws/config`, `AWS_CONFIG_FILE`): `[default]`, `[profile name]`
    /// and other prefixed sections.
    Config,
    /// The credentials file (`~/.aws/credentials`, `AWS_SHARED_CREDENTIALS_FILE`):
    /// `[name]` sections only.
    Credentials,
}

impl FileKind {
    fn noun(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }
}

/// One `key = value` of a section, with where it was written.
///
/// `Debug` redacts the value when the key names a secret (contains `secret`, `token`
/// or `password`).
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    key: String,
    value: String,
    path: Arc<Path>,
    line: usize,
    sub_properties: Vec<SubProperty>,
}

/// One indented `key = value` under a property with an empty value.
#[derive(Clone, PartialEq, Eq)]
pub struct SubProperty {
    key: String,
    value: String,
    line: usize,
}

impl Property {
    /// The key, lower-case.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value, trimmed; continuation lines are joined with `\n`. A property with
    /// sub-properties has a value of `\n` followed by its indented lines, as in the
    /// other SDKs; read those with [`sub_property`](Self::sub_property).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The file the property was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line of its `key = value`.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The value of the sub-property `key` (case-insensitive); the last one if repeated.
    pub fn sub_property(&self, key: &str) -> Option<&str> {
        let key = key.to_ascii_lowercase();
        self.sub_properties
            .iter()
            .rev()
            .find(|s| s.key == key)
            .map(|s| s.value.as_str())
    }

    /// All sub-properties in file order.
    pub fn sub_properties(&self) -> &[SubProperty] {
        &self.sub_properties
    }

    /// `path line N`, for messages.
    pub(crate) fn location(&self) -> String {
        format!("{} line {}", self.path.display(), self.line)
    }
}

impl SubProperty {
    /// The key, lower-case.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value, trimmed.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The 1-based line it is on.
    pub fn line(&self) -> usize {
        self.line
    }
}

fn is_sensitive(key: &str) -> bool {
    ["secret", "token", "password"]
        .iter()
        .any(|word| key.contains(word))
}

fn shown<'a>(key: &str, value: &'a str) -> &'a str {
    if is_sensitive(key) {
        crate::REDACTED
    } else {
        value
    }
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Property");
        s.field("key", &self.key);
        // A value starting with a newline is a block of sub-properties, shown (and
        // redacted) one by one instead.
        if !self.value.starts_with('\n') {
            s.field("value", &shown(&self.key, &self.value));
        }
        s.field("path", &self.path).field("line", &self.line);
        if !self.sub_properties.is_empty() {
            s.field("sub_properties", &self.sub_properties);
        }
        s.finish()
    }
}

impl fmt::Debug for SubProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubProperty")
            .field("key", &self.key)
            .field("value", &shown(&self.key, &self.value))
            .field("line", &self.line)
            .finish()
    }
}

/// A named set of properties: a profile, or a `[services name]`, `[sso-session name]`
/// or other prefixed section of the config file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Section {
    name: String,
    properties: BTreeMap<String, Property>,
}

/// A profile: a [`Section`] named by `[default]`, `[profile name]` or (credentials file) `[name]`.
pub type Profile = Section;

impl Section {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            properties: BTreeMap::new(),
        }
    }

    /// The name (`dev` for `[profile dev]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    /// The property `key` (case-insensitive), with where it was written.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(&key.to_ascii_lowercase())
    }

    /// All properties, by key.
    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.properties.values()
    }

    /// Whether the section has no properties.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }
}

/// A section header the file has but that does not count (see [`ProfileFile::ignored_sections`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredSection {
    header: String,
    line: usize,
}

impl IgnoredSection {
    /// What was between the brackets, trimmed (`dev` for `[dev]`).
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The 1-based line of the header.
    pub fn line(&self) -> usize {
        self.line
    }
}

/// One parsed shared file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFile {
    kind: FileKind,
    path: Arc<Path>,
    profiles: BTreeMap<String, Section>,
    sections: BTreeMap<(String, String), Section>,
    ignored: Vec<IgnoredSection>,
}

impl ProfileFile {
    /// Which file this is.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// Where it was read from (or the path given to the parse function).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profile `name`, as this file alone defines it.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of its profiles.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// A prefixed non-profile section such as `[services name]` (`prefix` is `services`)
    /// or `[sso-session name]`. The credentials file has none.
    pub fn section(&self, prefix: &str, name: &str) -> Option<&Section> {
        self.sections.get(&(prefix.to_owned(), name.to_owned()))
    }

    /// The names of its sections with this prefix (`sso-session`, `services`).
    pub fn section_names<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.sections
            .keys()
            .filter(move |(p, _)| p == prefix)
            .map(|(_, name)| name.as_str())
    }

    /// The section headers that were ignored: invalid names, `[name]` other than
    /// `[default]` in the config file, prefixed sections in the credentials file,
    /// and `[default]` when the config file also has `[profile default]`.
    pub fn ignored_sections(&self) -> &[IgnoredSection] {
        &self.ignored
    }
}

/// Parses the text of a config file; `path` is only used in errors and in
/// [`Property::path`].
pub fn parse_config_file(path: &Path, text: &str) -> Result<ProfileFile, ConfigError> {
    parse_file(FileKind::Config, path, text)
}

/// Parses the text of a credentials file; `path` is only used in errors and in
/// [`Property::path`].
pub fn parse_credentials_file(path: &Path, text: &str) -> Result<ProfileFile, ConfigError> {
    parse_file(FileKind::Credentials, path, text)
}

/// Parses the text of a shared file of the given kind.
pub fn parse_file(kind: FileKind, path: &Path, text: &str) -> Result<ProfileFile, ConfigError> {
    let path: Arc<Path> = Arc::from(path);
    let raw = Parser::new(&path).parse(text)?;
    Ok(normalize(kind, path, raw))
}

/// Reads and parses the file at `path`. A file that does not exist is `Ok(None)`;
/// one that exists but cannot be read, is not UTF-8 or has a syntax error is an error.
pub fn read_file(kind: FileKind, path: &Path) -> Result<Option<ProfileFile>, ConfigError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ConfigError::new(
                ConfigErrorKind::Io,
                format!(
                    "cannot read the {} file {}: {e}",
                    kind.noun(),
                    path.display()
                ),
            )
            .in_file(path, None))
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e
            .as_bytes()
            .get(..valid)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        ConfigError::new(
            ConfigErrorKind::Syntax,
            format!(
                "cannot read the {} file {}: line {line} is not valid UTF-8",
                kind.noun(),
                path.display()
            ),
        )
        .in_file(path, Some(line))
    })?;
    parse_file(kind, path, &text).map(Some)
}

/// Where the config file is: `AWS_CONFIG_FILE` (with `~` expanded), else
/// `~/.aws/config`. `Ok(None)` when it would be under the home directory and none is known.
pub fn config_file_path(env: &Env) -> Result<Option<PathBuf>, ConfigError> {
    file_path(env, "AWS_CONFIG_FILE", "config")
}

/// Where the credentials file is: `AWS_SHARED_CREDENTIALS_FILE` (with `~` expanded),
/// else `~/.aws/credentials`. `Ok(None)` when it would be under the home directory and
/// none is known.
pub fn credentials_file_path(env: &Env) -> Result<Option<PathBuf>, ConfigError> {
    file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

fn file_path(env: &Env, variable: &str, name: &str) -> Result<Option<PathBuf>, ConfigError> {
    match env.path_var(variable) {
        Some(path) => match expand_home(&path, env.home()) {
            Expanded::Path(p) => Ok(Some(p)),
            Expanded::NoHome => Err(ConfigError::new(
                ConfigErrorKind::NoHomeDirectory,
                format!(
                    "{variable} is {:?}, which starts with `~`, but no home directory is known (HOME is not set)",
                    path.display().to_string()
                ),
            )
            .for_variable(variable)),
        },
        None => Ok(env.home().map(|home| home.join(".aws").join(name))),
    }
}

enum Expanded {
    Path(PathBuf),
    NoHome,
}

/// A path from a profile value with a leading `~` expanded to `env`'s home directory.
pub(crate) fn expand_home_in(env: &Env, value: &str) -> Result<PathBuf, String> {
    match expand_home(Path::new(value), env.home()) {
        Expanded::Path(path) => Ok(path),
        Expanded::NoHome => Err(format!(
            "{value:?} starts with `~`, but no home directory is known (HOME is not set)"
        )),
    }
}

/// `~` alone or followed by a separator means the home directory; `~user` is left alone.
fn expand_home(path: &Path, home: Option<&Path>) -> Expanded {
    let Some(rest) = path.to_str().and_then(|s| s.strip_prefix('~')) else {
        return Expanded::Path(path.to_path_buf());
    };
    let is_separator = |c: char| c == '/' || (cfg!(windows) && c == '\\');
    if !rest.is_empty() && !rest.starts_with(is_separator) {
        return Expanded::Path(path.to_path_buf());
    }
    match home {
        Some(home) => {
            let rest = rest.trim_start_matches(is_separator);
            if rest.is_empty() {
                Expanded::Path(home.to_path_buf())
            } else {
                Expanded::Path(home.join(rest))
            }
        }
        None => Expanded::NoHome,
    }
}

/// Both shared files, read (or parsed) together, as the loader sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFiles {
    config_path: PathBuf,
    credentials_path: PathBuf,
    config: Option<ProfileFile>,
    credentials: Option<ProfileFile>,
}

impl ProfileFiles {
    /// Reads the files `env` points at ([`config_file_path`], [`credentials_file_path`]).
    /// Missing files are no error; they contribute no profiles.
    pub fn load(env: &Env) -> Result<Self, ConfigError> {
        let config_path = config_file_path(env)?;
        let credentials_path = credentials_file_path(env)?;
        let config = match &config_path {
            Some(p) => read_file(FileKind::Config, p)?,
            None => None,
        };
        let credentials = match &credentials_path {
            Some(p) => read_file(FileKind::Credentials, p)?,
            None => None,
        };
        Ok(Self {
            config_path: config_path.unwrap_or_else(|| PathBuf::from("~/.aws/config")),
            credentials_path: credentials_path
                .unwrap_or_else(|| PathBuf::from("~/.aws/credentials")),
            config,
            credentials,
        })
    }

    /// Reads the files at these paths; missing files contribute no profiles.
    pub fn read(
        config_path: impl Into<PathBuf>,
        credentials_path: impl Into<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let config_path = config_path.into();
        let credentials_path = credentials_path.into();
        Ok(Self {
            config: read_file(FileKind::Config, &config_path)?,
            credentials: read_file(FileKind::Credentials, &credentials_path)?,
            config_path,
            credentials_path,
        })
    }

    /// Parses texts held in memory; `None` stands for a missing file. The paths are
    /// used in messages only.
    pub fn parse(
        config_path: impl Into<PathBuf>,
        config_text: Option<&str>,
        credentials_path: impl Into<PathBuf>,
        credentials_text: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let config_path = config_path.into();
        let credentials_path = credentials_path.into();
        Ok(Self {
            config: config_text
                .map(|t| parse_config_file(&config_path, t))
                .transpose()?,
            credentials: credentials_text
                .map(|t| parse_credentials_file(&credentials_path, t))
                .transpose()?,
            config_path,
            credentials_path,
        })
    }

    /// Where the config file is (it need not exist). `~/.aws/config` literally when no
    /// home directory is known.
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// Where the credentials file is (it need not exist).
    pub fn credentials_path(&self) -> &Path {
        &self.credentials_path
    }

    /// The parsed config file, if it exists.
    pub fn config_file(&self) -> Option<&ProfileFile> {
        self.config.as_ref()
    }

    /// The parsed credentials file, if it exists.
    pub fn credentials_file(&self) -> Option<&ProfileFile> {
        self.credentials.as_ref()
    }

    /// The profile `name` from both files merged (the credentials file wins for a key
    /// in both), or `None` if neither file has it.
    pub fn profile(&self, name: &str) -> Option<Profile> {
        let in_config = self.config.as_ref().and_then(|f| f.profile(name));
        let in_credentials = self.credentials.as_ref().and_then(|f| f.profile(name));
        if in_config.is_none() && in_credentials.is_none() {
            return None;
        }
        let mut merged = in_config.cloned().unwrap_or_else(|| Section::new(name));
        if let Some(credentials) = in_credentials {
            for (key, property) in &credentials.properties {
                merged.properties.insert(key.clone(), property.clone());
            }
        }
        Some(merged)
    }

    /// The names of the profiles of both files.
    pub fn profile_names(&self) -> BTreeSet<&str> {
        self.config
            .iter()
            .chain(self.credentials.iter())
            .flat_map(ProfileFile::profile_names)
            .collect()
    }

    /// The config file's `[services name]` section.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.config.as_ref()?.section("services", name)
    }

    /// The config file's `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.config.as_ref()?.section("sso-session", name)
    }
}

/// A section as written, before the rules about names and prefixes apply.
struct RawSection<'t> {
    header: &'t str,
    line: usize,
    properties: Vec<Property>,
}

struct Parser<'p, 't> {
    path: &'p Arc<Path>,
    sections: Vec<RawSection<'t>>,
    /// Whether the last property of the last section takes sub-properties (its value
    /// was empty), or ordinary continuation lines.
    takes_sub_properties: bool,
    line: usize,
}

impl<'p, 't> Parser<'p, 't> {
    fn new(path: &'p Arc<Path>) -> Self {
        Self {
            path,
            sections: Vec::new(),
            takes_sub_properties: false,
            line: 0,
        }
    }

    fn parse(mut self, text: &'t str) -> Result<Vec<RawSection<'t>>, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, line) in text.split('\n').enumerate() {
            self.line = index + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            let trimmed = line.trim_matches(BLANK);
            if trimmed.is_empty() || trimmed.starts_with(COMMENT) {
                continue;
            }
            if line.starts_with('[') {
                self.section_header(line)?;
            } else if line.starts_with(BLANK) {
                self.continuation(trimmed)?;
            } else {
                self.property(line)?;
            }
        }
        Ok(self.sections)
    }

    fn error(&self, problem: &str) -> ConfigError {
        ConfigError::new(
            ConfigErrorKind::Syntax,
            format!(
                "syntax error in {} on line {}: {problem}",
                self.path.display(),
                self.line
            ),
        )
        .in_file(self.path, Some(self.line))
    }

    fn section_header(&mut self, line: &'t str) -> Result<(), ConfigError> {
        let line = strip_comment(line, false);
        let header = line
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .ok_or_else(|| self.error("a section header must end with `]`"))?;
        self.takes_sub_properties = false;
        self.sections.push(RawSection {
            header: header.trim_matches(BLANK),
            line: self.line,
            properties: Vec::new(),
        });
        Ok(())
    }

    fn property(&mut self, line: &str) -> Result<(), ConfigError> {
        if self.sections.is_empty() {
            return Err(self.error("a property must follow a section header such as `[default]`"));
        }
        let (key, value) = split_property(line).map_err(|problem| self.error(problem))?;
        self.takes_sub_properties = value.is_empty();
        let property = Property {
            key,
            value: value.to_owned(),
            path: self.path.clone(),
            line: self.line,
            sub_properties: Vec::new(),
        };
        if let Some(section) = self.sections.last_mut() {
            section.properties.push(property);
        }
        Ok(())
    }

    /// An indented line; `trimmed` is its text without the indent.
    fn continuation(&mut self, trimmed: &str) -> Result<(), ConfigError> {
        let has_property =
            match self.sections.last() {
                None => return Err(self.error(
                    "an indented line must continue a property, but no section header precedes it",
                )),
                Some(section) => !section.properties.is_empty(),
            };
        if !has_property {
            return Err(self.error(
                "an indented line must continue a property, but its section has none before it",
            ));
        }
        let sub = if self.takes_sub_properties {
            let (key, value) = split_property(trimmed)
                .map_err(|problem| self.error(&format!("{problem} (in a sub-property)")))?;
            Some(SubProperty {
                key,
                value: value.to_owned(),
                line: self.line,
            })
        } else {
            None
        };
        if let Some(property) = self
            .sections
            .last_mut()
            .and_then(|section| section.properties.last_mut())
        {
            property.value.push('\n');
            property.value.push_str(trimmed);
            property.sub_properties.extend(sub);
        }
        Ok(())
    }
}

/// Cuts `line` at the first `#` or `;`; on property lines (`need_blank`) only at one
/// that follows a space or tab. The result is trimmed.
fn strip_comment(line: &str, need_blank: bool) -> &str {
    let mut after_blank = false;
    for (index, c) in line.char_indices() {
        if COMMENT.contains(&c) && (after_blank || !need_blank) {
            return line.get(..index).unwrap_or(line).trim_matches(BLANK);
        }
        after_blank = BLANK.contains(&c);
    }
    line.trim_matches(BLANK)
}

/// `key = value # comment` into the lower-case key and the value.
fn split_property(line: &str) -> Result<(String, &str), &'static str> {
    let line = strip_comment(line, true);
    let (key, value) = line
        .split_once('=')
        .ok_or("expected `key = value`, found no `=`")?;
    let key = key.trim_matches(BLANK);
    if key.is_empty() {
        return Err("a property needs a name before its `=`");
    }
    Ok((key.to_ascii_lowercase(), value.trim_matches(BLANK)))
}

/// Names of profiles, sections and keys: `A-Z a-z 0-9 _ - / . % @ : +`.
fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

enum Target {
    Profile(String),
    Other(String, String),
    Ignored,
}

fn classify(kind: FileKind, header: &str, has_prefixed_default: bool) -> Target {
    let (prefix, name) = match header.split_once(BLANK) {
        Some((prefix, name)) => (Some(prefix), name.trim_matches(BLANK)),
        None => (None, header),
    };
    if !is_identifier(name) {
        return Target::Ignored;
    }
    match (kind, prefix) {
        (FileKind::Config, None) if name == "default" && !has_prefixed_default => {
            Target::Profile(name.to_owned())
        }
        (FileKind::Config, None) => Target::Ignored,
        (FileKind::Config, Some("profile")) => Target::Profile(name.to_owned()),
        (FileKind::Config, Some(prefix)) => Target::Other(prefix.to_owned(), name.to_owned()),
        (FileKind::Credentials, None) => Target::Profile(name.to_owned()),
        (FileKind::Credentials, Some(_)) => Target::Ignored,
    }
}

fn normalize(kind: FileKind, path: Arc<Path>, raw: Vec<RawSection<'_>>) -> ProfileFile {
    let has_prefixed_default = kind == FileKind::Config
        && raw.iter().any(|s| {
            s.header
                .split_once(BLANK)
                .is_some_and(|(p, n)| p == "profile" && n.trim_matches(BLANK) == "default")
        });
    let mut file = ProfileFile {
        kind,
        path,
        profiles: BTreeMap::new(),
        sections: BTreeMap::new(),
        ignored: Vec::new(),
    };
    for section in raw {
        let target = match classify(kind, section.header, has_prefixed_default) {
            Target::Profile(name) => file
                .profiles
                .entry(name)
                .or_insert_with_key(|name| Section::new(name)),
            Target::Other(prefix, name) => file
                .sections
                .entry((prefix, name))
                .or_insert_with_key(|(_, name)| Section::new(name)),
            Target::Ignored => {
                file.ignored.push(IgnoredSection {
                    header: section.header.to_owned(),
                    line: section.line,
                });
                continue;
            }
        };
        for mut property in section.properties {
            if !is_identifier(&property.key) {
                continue;
            }
            property.sub_properties.retain(|s| is_identifier(&s.key));
            target.properties.insert(property.key.clone(), property);
        }
    }
    file
}

#[cfg(test)]
mod tests;
