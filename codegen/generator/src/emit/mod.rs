//! Pass 3, emit: [`crate::ir::Service`] → Rust token streams, one per file.
//!
//! One module per output kind: [`structure`] (structs and their builders),
//! [`aws_query`] (the awsQuery protocol's serializers and parsers),
//! [`aws_query_server`] (the server side), [`endpoint`] (the endpoint
//! resolver compiled from the rule set), [`enumeration`] (enums and unions),
//! [`serde`] (the `serde` feature), [`client`], [`pagination`], [`waiters`],
//! [`fake`], and [`crate_files`] (the crate root, module files and the
//! manifest). This module holds what they share: type paths and doc
//! attributes. Emitted code names everything by its full path except the
//! standard prelude's names (which [`crate::naming`] never gives to a
//! generated item), so no emitter manages imports; the format pass
//! ([`crate::shorten`]) imports runtime names per module.

pub mod aws_query;
pub mod aws_query_server;
pub mod client;
pub mod crate_files;
pub mod endpoint;
pub mod enumeration;
pub mod fake;
pub mod pagination;
pub mod rt;
pub mod serde;
pub mod structure;
pub mod waiters;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

pub use crate::docs::code;
use crate::docs::doc_lines;
use crate::ir::{Module, NamedRef, TypeRef};

/// An identifier from an IR name, raw (`r#type`) when the IR says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// Path of a named type from anywhere in the crate.
pub fn named_path(named: &NamedRef) -> TokenStream {
    let name = ident(&named.rust_name);
    match named.module {
        Module::Types => quote!(crate::types::#name),
        Module::Error => quote!(crate::error::#name),
    }
}

/// Path of a named type's builder.
pub fn builder_path(module: &Module, rust_name: &str) -> TokenStream {
    let name = ident(&crate::naming::builder_name(rust_name));
    match module {
        Module::Types => quote!(crate::types::builders::#name),
        Module::Error => quote!(crate::error::builders::#name),
    }
}

/// The Rust type of a value.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::Byte => quote!(i8),
        TypeRef::Short => quote!(i16),
        TypeRef::Integer => quote!(i32),
        TypeRef::Long => quote!(i64),
        TypeRef::Float => quote!(f32),
        TypeRef::Double => quote!(f64),
        TypeRef::BigInteger => rt::root::big_integer(),
        TypeRef::BigDecimal => rt::root::big_decimal(),
        TypeRef::String => quote!(String),
        TypeRef::Blob => quote!(Vec<u8>),
        TypeRef::Timestamp(_) => rt::root::date_time(),
        TypeRef::Document => rt::root::document(),
        TypeRef::Named(named) => named_path(named),
        TypeRef::List(list) => {
            let item = element(&list.item, list.sparse);
            quote!(Vec<#item>)
        }
        TypeRef::Map(map) => {
            let key = rust_type(&map.key);
            let value = element(&map.value, map.sparse);
            let map = rt::root::index_map();
            quote!(#map<#key, #value>)
        }
    }
}

pub(crate) fn element(ty: &TypeRef, sparse: bool) -> TokenStream {
    let inner = rust_type(ty);
    if sparse {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// `#[doc]` attributes: the Markdown docs, then extra paragraphs (shape id and notes).
///
/// Falls back to `fallback` when the model has no docs, so every public item
/// is documented.
pub fn doc_attrs(docs: &str, fallback: &str, extra: &[String]) -> TokenStream {
    let mut text = if docs.trim().is_empty() {
        fallback.to_owned()
    } else {
        docs.to_owned()
    };
    for paragraph in extra.iter().filter(|p| !p.is_empty()) {
        text.push_str("\n\n");
        text.push_str(paragraph);
    }
    let lines = doc_lines(&text);
    quote!(#(#[doc = #lines])*)
}

/// `Some("text")` or `None`, as an expression of type `Option<&'static str>`.
pub fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// One `#[doc]` line of plain text (rustdoc wants the leading space for `/// text`).
pub fn doc_line(text: &str) -> TokenStream {
    let line = format!(" {text}");
    quote!(#[doc = #line])
}

/// `#[cfg(...)]` for something any of `features` compiles; nothing for none
/// (lowering leaves them out when every operation reaches it).
pub fn feature_gate(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// Gates a type's items (struct, impls, or its builder) as one unit: they go into a
/// private module under `gate`, re-exported under the same gate. One `cfg` per type
/// instead of one per item keeps the generated code short; the public paths and the
/// rendered docs are unchanged.
pub fn gate_items(tokens: TokenStream, gate: &TokenStream, module: &str) -> TokenStream {
    if gate.is_empty() {
        return tokens;
    }
    let module = format_ident!("{}", module);
    quote! {
        #gate
        mod #module {
            #tokens
        }
        #gate
        pub use self::#module::*;
    }
}

/// The paragraph that names the Smithy shape a type comes from.
pub fn shape_note(id: &str) -> String {
    format!("Smithy shape: {}.", code(id))
}

/// The paragraph that says an item is deprecated.
pub fn deprecated_note(deprecated: &Option<String>) -> String {
    match deprecated {
        Some(why) => format!("**Deprecated:** {why}"),
        None => String::new(),
    }
}
