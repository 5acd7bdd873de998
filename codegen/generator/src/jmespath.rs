//! Waiter matchers: JMESPath expressions compiled at generation time.
//!
//! A `smithy.waiters#waitable` acceptor's `output` or `inputOutput` matcher
//! names a JMESPath `path`, a comparator and an expected value. [`compile_matcher`]
//! turns the three into one Rust `bool` expression over the generated output
//! (and input) types, the way the endpoint rules are compiled: no interpreter
//! runs in the generated crate.
//!
//! Supported: identifiers and sub-expressions (`a.b`), flatten and list
//! projections (`a[]`, `a[*]`, `a[].b`), object projections over maps
//! (`a.*.b`), filter projections (`a[?b == 'x']`), multi-select lists
//! (`[a, b]`) of one type, pipes, comparisons (`==`, `!=`, `<`, `<=`, `>`,
//! `>=`), `&&`, `||` and `!` on booleans, JSON and raw-string literals, and the
//! functions `length` and `contains`. Everything else (index expressions,
//! slices, multi-select hashes, other functions) is refused with an error
//! that names it, as is anything the shapes contradict (a member that does
//! not exist, `length` of a number, comparing a string with a number).
//!
//! Semantics are JMESPath's, typed by the shapes: a missing member is null,
//! projections drop nulls, and null matches no comparator. One difference:
//! where JMESPath raises an invalid-type error at run time (a function given
//! null), the compiled code gives null, so the matcher does not match.

mod compile;
mod parse;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

/// The comparator of a path matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// The result is a string equal to the expected value.
    StringEquals,
    /// The result is a boolean equal to the expected value (`true` or `false`).
    BooleanEquals,
    /// The result is a non-empty list whose every element is a string equal to the expected value.
    AllStringEquals,
    /// The result is a list with some element a string equal to the expected value.
    AnyStringEquals,
}

impl Comparator {
    /// The comparator named as in the waiters trait (`stringEquals`, …).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "stringEquals" => Some(Self::StringEquals),
            "booleanEquals" => Some(Self::BooleanEquals),
            "allStringEquals" => Some(Self::AllStringEquals),
            "anyStringEquals" => Some(Self::AnyStringEquals),
            _ => None,
        }
    }

    /// The name in the waiters trait.
    pub fn name(self) -> &'static str {
        match self {
            Self::StringEquals => "stringEquals",
            Self::BooleanEquals => "booleanEquals",
            Self::AllStringEquals => "allStringEquals",
            Self::AnyStringEquals => "anyStringEquals",
        }
    }
}

/// Compiles `path` with `comparator` against `expected` into a Rust expression of type `bool`.
/// `output` is the operation's output structure (a variable `output: &OutputType` is in scope);
/// for an `inputOutput` matcher `input` is `Some(input structure)` and a variable `input: &InputType`
/// is in scope too, and the JMESPath root is the object `{"input": …, "output": …}`; otherwise the
/// root is the output itself. `types` are the service's named types (to follow structures, enums,
/// unions by id). The error (a plain String) says what in the expression is not supported or does
/// not fit the shapes, e.g. "`Foo` is not a member of `DescribeXOutput`", "function `sort_by` is not supported".
///
/// The expression uses fully qualified paths, no `unwrap`, `expect`, panics or
/// indexing, and refers to named types as `crate::types::…`.
pub fn compile_matcher(
    path: &str,
    comparator: Comparator,
    expected: &str,
    output: &crate::ir::Struct,
    input: Option<&crate::ir::Struct>,
    types: &[crate::ir::TypeDef],
) -> Result<TokenStream, String> {
    let ast = parse::parse(path)?;
    compile::Compiler::new(types).matcher(&ast, comparator, expected, output, input)
}
