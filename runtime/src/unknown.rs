use std::fmt;

/// A value of an open enum that this version of the model does not know.
///
/// Smithy enums are open: a service may send a value added after the client
/// was generated. Such a value is kept here, as received, so it can be shown,
/// compared and sent back unchanged. It is constructed by the generated
/// `From` conversions, which first try every known value, so an
/// `UnknownVariant` never holds a value that has a variant of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariant<T = String>(T);

impl<T> UnknownVariant<T> {
    /// Used by generated code after every known value was ruled out.
    #[doc(hidden)]
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value as received.
    pub fn get(&self) -> &T {
        &self.0
    }
}

impl UnknownVariant<String> {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<T: fmt::Display> fmt::Display for UnknownVariant<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
