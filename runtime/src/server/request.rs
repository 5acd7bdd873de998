//! Reading a form-urlencoded request into a key tree, and from the tree into
//! a generated input through [`ReadQuery`].

use std::fmt;
use std::hash::Hash;

use base64::Engine as _;
use indexmap::IndexMap;

use crate::{DateTime, TimestampFormat};

/// Most pairs a request body may hold.
pub const MAX_PARAMS: usize = 100_000;
/// Most dot-separated segments in one key.
pub const MAX_KEY_DEPTH: usize = 64;

/// Why a request body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The key the problem is about (`""` for the body as a whole).
    pub key: String,
    /// What is wrong.
    pub reason: String,
}

impl QueryError {
    /// An error about `key`.
    pub fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "`{}`: {}", self.key, self.reason)
        }
    }
}

impl std::error::Error for QueryError {}

/// A form body as a tree of key segments: `A.member.1.B=x` is `A` → `member` → `1` → `B` = `x`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryTree {
    key: String,
    value: Option<String>,
    children: IndexMap<String, QueryTree>,
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one form component (`+` is a space, as botocore sends it).
pub fn percent_decode(text: &str) -> Result<String, QueryError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.get(i + 1).copied().and_then(hex_value);
                let low = bytes.get(i + 2).copied().and_then(hex_value);
                match (high, low) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(QueryError::new(text, "bad percent-escape")),
                }
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| QueryError::new(text, "decodes to invalid UTF-8"))
}

impl QueryTree {
    /// Parses a form body.
    pub fn parse(body: &[u8]) -> Result<Self, QueryError> {
        let text =
            std::str::from_utf8(body).map_err(|_| QueryError::new("", "the body is not UTF-8"))?;
        let mut root = QueryTree::default();
        for (count, pair) in text.split('&').filter(|p| !p.is_empty()).enumerate() {
            if count >= MAX_PARAMS {
                return Err(QueryError::new(
                    "",
                    format!("more than {MAX_PARAMS} parameters"),
                ));
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(key)?;
            let value = percent_decode(value)?;
            let mut node = &mut root;
            for (depth, segment) in key.split('.').enumerate() {
                if depth >= MAX_KEY_DEPTH {
                    return Err(QueryError::new(
                        &key,
                        format!("more than {MAX_KEY_DEPTH} segments"),
                    ));
                }
                let path = if node.key.is_empty() {
                    segment.to_owned()
                } else {
                    format!("{}.{segment}", node.key)
                };
                node = node
                    .children
                    .entry(segment.to_owned())
                    .or_insert_with(|| QueryTree {
                        key: path,
                        ..QueryTree::default()
                    });
            }
            if node.value.replace(value).is_some() {
                return Err(QueryError::new(&key, "given twice"));
            }
        }
        Ok(root)
    }

    /// The full key of this node (`A.member.1`).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// A child by segment.
    pub fn child(&self, segment: &str) -> Option<&QueryTree> {
        self.children.get(segment)
    }

    /// Whether the node has children.
    pub fn has_children(&self) -> bool {
        !self.children.is_empty()
    }

    /// The value at this key; an error if the key only has children.
    pub fn text(&self) -> Result<&str, QueryError> {
        self.value
            .as_deref()
            .ok_or_else(|| QueryError::new(&self.key, "expected a value"))
    }

    /// The text parsed with `FromStr`; `expected` names the type in errors.
    pub fn parsed<T: std::str::FromStr>(&self, expected: &str) -> Result<T, QueryError> {
        let text = self.text()?;
        text.parse()
            .map_err(|_| QueryError::new(&self.key, format!("expected {expected}, found {text:?}")))
    }

    /// A float: decimal, `NaN`, `Infinity` or `-Infinity`.
    pub fn float<T: std::str::FromStr>(&self) -> Result<T, QueryError> {
        self.parsed("a number")
    }

    /// A base64 blob.
    pub fn blob(&self) -> Result<Vec<u8>, QueryError> {
        let text = self.text()?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| QueryError::new(&self.key, "expected base64"))
    }

    /// A timestamp in `format`.
    pub fn timestamp(&self, format: TimestampFormat) -> Result<DateTime, QueryError> {
        let text = self.text()?;
        let parsed = match format {
            TimestampFormat::DateTime => DateTime::parse_rfc3339(text),
            TimestampFormat::EpochSeconds => DateTime::parse_epoch_seconds(text),
            TimestampFormat::HttpDate => DateTime::parse_http_date(text),
        };
        parsed.ok_or_else(|| {
            QueryError::new(&self.key, format!("expected a timestamp, found {text:?}"))
        })
    }

    /// The numbered children (`1`, `2`, …) in index order; an empty list is `Key=` with no children.
    ///
    /// A missing index is read as an empty element: a client writes nothing at all
    /// for a list element that is a structure with no member set, so
    /// `L.member.2.A=x` alone is a list whose first element is empty (the AWS SDKs
    /// and our serializer do this). An element that cannot be empty (a string, a map
    /// entry without a key) then fails with its own key. Indices above
    /// [`MAX_PARAMS`], `0`, and one index written twice (`1` and `01`) are errors.
    pub fn items(&self) -> Result<Vec<std::borrow::Cow<'_, QueryTree>>, QueryError> {
        let mut items = Vec::with_capacity(self.children.len());
        for (segment, child) in &self.children {
            let index: usize = segment
                .parse()
                .ok()
                .filter(|i| (1..=MAX_PARAMS).contains(i))
                .ok_or_else(|| {
                    QueryError::new(
                        &child.key,
                        format!("expected a list index from 1 to {MAX_PARAMS}"),
                    )
                })?;
            items.push((index, child));
        }
        items.sort_by_key(|(index, _)| *index);
        let mut out = Vec::with_capacity(items.last().map_or(0, |(index, _)| *index));
        for (index, child) in items {
            if index <= out.len() {
                return Err(QueryError::new(&child.key, "list index given twice"));
            }
            while out.len() + 1 < index {
                let key = format!("{}.{}", self.key, out.len() + 1);
                out.push(std::borrow::Cow::Owned(QueryTree {
                    key,
                    ..QueryTree::default()
                }));
            }
            out.push(std::borrow::Cow::Borrowed(child));
        }
        Ok(out)
    }

    /// Member `key` of the structure under this node, read as `T`, if present.
    pub fn member<T: ReadQuery>(&self, key: &str) -> Result<Option<T>, QueryError> {
        self.child(key).map(T::read_query).transpose()
    }

    /// A list member, if present: the numbered children of `key.item`
    /// (`item` is `member` unless the model renames it); `key=` alone is empty.
    pub fn list<T: ReadQuery>(&self, key: &str, item: &str) -> Result<Option<Vec<T>>, QueryError> {
        let Some(list) = self.child(key) else {
            return Ok(None);
        };
        match list.child(item) {
            Some(items) => items.read_items().map(Some),
            None => Ok(Some(Vec::new())),
        }
    }

    /// A flattened list member, if present: the numbered children of `key`.
    pub fn flat_list<T: ReadQuery>(&self, key: &str) -> Result<Option<Vec<T>>, QueryError> {
        self.child(key).map(QueryTree::read_items).transpose()
    }

    fn read_items<T: ReadQuery>(&self) -> Result<Vec<T>, QueryError> {
        self.items()?
            .iter()
            .map(|item| T::read_query(item))
            .collect()
    }

    /// A map member, if present: `key.entry.N.key_name` and
    /// `key.entry.N.value_name`.
    pub fn map<K: ReadQuery + Hash + Eq, V: ReadQuery>(
        &self,
        key: &str,
        key_name: &str,
        value_name: &str,
    ) -> Result<Option<IndexMap<K, V>>, QueryError> {
        let Some(map) = self.child(key) else {
            return Ok(None);
        };
        match map.child("entry") {
            Some(entries) => entries.read_entries(key_name, value_name).map(Some),
            None => Ok(Some(IndexMap::new())),
        }
    }

    /// A flattened map member, if present: `key.N.key_name` and `key.N.value_name`.
    pub fn flat_map<K: ReadQuery + Hash + Eq, V: ReadQuery>(
        &self,
        key: &str,
        key_name: &str,
        value_name: &str,
    ) -> Result<Option<IndexMap<K, V>>, QueryError> {
        self.child(key)
            .map(|entries| entries.read_entries(key_name, value_name))
            .transpose()
    }

    fn read_entries<K: ReadQuery + Hash + Eq, V: ReadQuery>(
        &self,
        key_name: &str,
        value_name: &str,
    ) -> Result<IndexMap<K, V>, QueryError> {
        let mut map = IndexMap::new();
        for entry in self.items()? {
            let key = entry
                .child(key_name)
                .ok_or_else(|| QueryError::new(entry.key(), "map entry without a key"))?;
            let value = entry
                .child(value_name)
                .ok_or_else(|| QueryError::new(entry.key(), "map entry without a value"))?;
            map.insert(K::read_query(key)?, V::read_query(value)?);
        }
        Ok(map)
    }

    /// The error for a structure that lacks a required member.
    pub fn missing(&self, problem: crate::BuildError) -> QueryError {
        QueryError::new(self.key(), problem.to_string())
    }

    /// Checks `Action` and `Version`.
    pub fn expect_action(&self, action: &str, version: &str) -> Result<(), QueryError> {
        for (key, expected) in [("Action", action), ("Version", version)] {
            let found = self.child(key).and_then(|n| n.value.as_deref());
            if found != Some(expected) {
                return Err(QueryError::new(
                    key,
                    format!("expected {expected:?}, found {found:?}"),
                ));
            }
        }
        Ok(())
    }
}

/// A value that generated request readers read from one request node: a
/// structure or union (from the keys under it), an enum, or a leaf (the
/// server side of [`WriteQuery`](crate::query::WriteQuery)).
pub trait ReadQuery: Sized {
    /// Reads the value at `node`.
    fn read_query(node: &QueryTree) -> Result<Self, QueryError>;
}

impl ReadQuery for String {
    fn read_query(node: &QueryTree) -> Result<Self, QueryError> {
        node.text().map(str::to_owned)
    }
}

/// Leaves read with `FromStr`; the text names the type in errors.
macro_rules! read_query_parsed {
    ($($ty:ty => $expected:literal),* $(,)?) => {$(
        impl ReadQuery for $ty {
            fn read_query(node: &QueryTree) -> Result<Self, QueryError> {
                node.parsed($expected)
            }
        }
    )*};
}

read_query_parsed! {
    bool => "a boolean",
    i8 => "an 8-bit integer",
    i16 => "a 16-bit integer",
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    f32 => "a number",
    f64 => "a number",
    crate::BigInteger => "an integer",
    crate::BigDecimal => "a decimal",
}

impl ReadQuery for Vec<u8> {
    fn read_query(node: &QueryTree) -> Result<Self, QueryError> {
        node.blob()
    }
}

impl ReadQuery for DateTime {
    fn read_query(node: &QueryTree) -> Result<Self, QueryError> {
        node.timestamp(TimestampFormat::DateTime)
    }
}

impl<T: crate::StringEnum> ReadQuery for T {
    fn read_query(node: &QueryTree) -> Result<Self, QueryError> {
        node.text().map(T::from)
    }
}

/// Parses a request body for `action` (checking `Action` and `Version`) into `T`.
pub fn read_request<T: ReadQuery>(
    body: &[u8],
    action: &str,
    version: &str,
) -> Result<T, QueryError> {
    let tree = QueryTree::parse(body)?;
    tree.expect_action(action, version)?;
    T::read_query(&tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_into_a_tree() {
        let body = b"Action=Op&Version=1&L.member.2=b%20c&L.member.1=a+b&E=&M.entry.1.key=k&M.entry.1.value=%C3%A9";
        let tree = QueryTree::parse(body).unwrap();
        tree.expect_action("Op", "1").unwrap();
        assert!(tree.expect_action("Other", "1").is_err());
        let items = tree
            .child("L")
            .unwrap()
            .child("member")
            .unwrap()
            .items()
            .unwrap();
        let texts: Vec<&str> = items.iter().map(|i| i.text().unwrap()).collect();
        assert_eq!(texts, ["a b", "b c"]);
        assert_eq!(items[0].key(), "L.member.1");
        assert_eq!(tree.child("E").unwrap().text().unwrap(), "");
        assert!(tree.child("E").unwrap().items().unwrap().is_empty());
        let entry = &tree
            .child("M")
            .unwrap()
            .child("entry")
            .unwrap()
            .items()
            .unwrap()[0];
        assert_eq!(entry.child("value").unwrap().text().unwrap(), "é");
    }

    #[test]
    fn missing_list_indices_are_empty_elements() {
        // What a client writes for [{}, {A: x}]: nothing for the empty structure.
        let tree = QueryTree::parse(b"L.member.3.A=x&L.member.1.A=y").unwrap();
        let items = tree
            .child("L")
            .unwrap()
            .child("member")
            .unwrap()
            .items()
            .unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].child("A").unwrap().text().unwrap(), "y");
        assert_eq!(items[1].key(), "L.member.2");
        assert!(items[1].child("A").is_none());
        // An element that must have a value says which one is missing.
        assert_eq!(
            items[1].text().unwrap_err().to_string(),
            "`L.member.2`: expected a value"
        );
        assert_eq!(items[2].child("A").unwrap().text().unwrap(), "x");
    }

    #[test]
    fn rejects_bad_bodies() {
        assert!(QueryTree::parse(b"A=%zz").is_err());
        assert!(QueryTree::parse(b"A=1&A=2").is_err());
        assert!(QueryTree::parse(&[0xff]).is_err());
        let twice = QueryTree::parse(b"L.1=a&L.01=b").unwrap();
        assert_eq!(
            twice.child("L").unwrap().items().unwrap_err().to_string(),
            "`L.01`: list index given twice"
        );
        for bad in [
            "L.0=a",
            "L.x=a",
            "L.100001=a",
            "L.99999999999999999999999=a",
        ] {
            let tree = QueryTree::parse(bad.as_bytes()).unwrap();
            let error = tree.child("L").unwrap().items().unwrap_err();
            assert_eq!(
                error.reason, "expected a list index from 1 to 100000",
                "{bad}"
            );
        }
        let deep = vec!["a"; 100].join(".") + "=x";
        assert!(QueryTree::parse(deep.as_bytes()).is_err());
        let n = QueryTree::parse(b"N=abc").unwrap();
        assert_eq!(
            n.child("N")
                .unwrap()
                .parsed::<i32>("an integer")
                .unwrap_err()
                .to_string(),
            "`N`: expected an integer, found \"abc\""
        );
    }

    #[test]
    fn scoped_readers_read_members_lists_and_maps() {
        let body = b"Action=Op&Version=1&Name=a%20b&Ids.Id.1=x&Ids.Id.2=y&Empty=\
                     &Flat.1=1&Flat.2=2&Tags.entry.1.key=k&Tags.entry.1.value=true\
                     &Flat2.1.K=k&Flat2.1.V=false";
        let tree = QueryTree::parse(body).unwrap();
        assert_eq!(
            tree.member::<String>("Name").unwrap().as_deref(),
            Some("a b")
        );
        assert_eq!(tree.member::<String>("Unset").unwrap(), None);
        let ids: Option<Vec<String>> = tree.list("Ids", "Id").unwrap();
        assert_eq!(ids, Some(vec!["x".to_owned(), "y".to_owned()]));
        assert_eq!(
            tree.list::<String>("Empty", "member").unwrap(),
            Some(vec![])
        );
        assert_eq!(tree.flat_list::<i32>("Flat").unwrap(), Some(vec![1, 2]));
        let tags: IndexMap<String, bool> = tree.map("Tags", "key", "value").unwrap().unwrap();
        assert_eq!(tags.get("k"), Some(&true));
        let flat: IndexMap<String, bool> = tree.flat_map("Flat2", "K", "V").unwrap().unwrap();
        assert_eq!(flat.get("k"), Some(&false));
        let bad = tree.member::<i32>("Name").unwrap_err();
        assert_eq!(bad.key, "Name");

        let tree = QueryTree::parse(b"Tags.entry.1.key=k").unwrap();
        let err = tree
            .map::<String, String>("Tags", "key", "value")
            .unwrap_err();
        assert_eq!(err.reason, "map entry without a value");
    }
}
