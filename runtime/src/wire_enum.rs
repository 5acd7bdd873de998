//! What a generated string enum offers the protocol code.

/// A generated string enum: its wire text ([`AsRef<str>`]) and back (any
/// text, unknown values included). Implementing it is all a generated enum
/// does to be read and written by every protocol trait of this crate
/// ([`ReadXml`](crate::xml::ReadXml), [`WriteQuery`](crate::query::WriteQuery)
/// and, on the server side, `ReadQuery` and `WriteXml`).
pub trait StringEnum: AsRef<str> + for<'a> From<&'a str> {}
