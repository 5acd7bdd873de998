//! Structures: the struct, its `Debug`/`Default`/error impls, and its builder.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::rt;
use super::{
    builder_path, code, deprecated_note, doc_attrs, doc_line, ident, rust_type, shape_note,
};
use crate::ir::{DefaultValue, Field, Module, NamedKind, Struct, StructRole, TypeRef};
use crate::naming::{setter_name, unraw};

/// Where a structure is emitted; decides the paths to it and its builder.
pub struct Place<'a> {
    /// Path of the module holding the struct, e.g. `crate::types`.
    pub module_path: TokenStream,
    /// `Some` for named types (whose builder path other code may need), `None` for operation I/O.
    pub module: Option<&'a Module>,
}

/// The struct and its impls (the builder is emitted separately, into the `builders` submodule).
pub fn struct_item(s: &Struct, place: &Place<'_>) -> TokenStream {
    let name = ident(&s.rust_name);
    let builder = builder_type(s, place);
    let docs = doc_attrs(
        &s.docs,
        &format!("The `{}` structure.", s.rust_name),
        &[deprecated_note(&s.deprecated), shape_note(&s.id)],
    );
    let serde = super::serde::struct_serde(s, &name);
    let fields = s.fields.iter().zip(&serde.fields).map(|(f, serde_attr)| {
        let field = ident(&f.rust_name);
        let ty = field_type(f);
        let docs = field_docs(f);
        quote!(#docs #serde_attr pub #field: #ty,)
    });
    let infallible = s.required_fields().next().is_none();
    let all_optional = s.fields.iter().all(|f| f.optional);
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if !s.redacts() {
        derives.push(quote!(Debug));
    }
    if all_optional {
        derives.push(quote!(Default));
    }
    let debug = (s.redacts()).then(|| debug_impl(s, &name));
    let default = (infallible && !all_optional).then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::builder().build()
                }
            }
        }
    });
    let (error_items, error_impls) = match &s.role {
        StructRole::Error(_) => error_impls(s, &name),
        _ => (TokenStream::new(), TokenStream::new()),
    };
    let builder_doc = doc_line(&format!("Creates a builder for [`{}`].", s.rust_name));
    let serde_container = &serde.container;
    let serde_defaults = &serde.defaults;
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        #serde_container
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #builder_doc
            pub fn builder() -> #builder {
                Default::default()
            }
            #error_items
        }

        #debug
        #default
        #error_impls
        #serde_defaults
    }
}

fn builder_type(s: &Struct, place: &Place<'_>) -> TokenStream {
    match place.module {
        Some(module) => builder_path(module, &s.rust_name),
        None => {
            let module = &place.module_path;
            let name = ident(&crate::naming::builder_name(&s.rust_name));
            quote!(#module::builders::#name)
        }
    }
}

fn field_type(f: &Field) -> TokenStream {
    let mut ty = rust_type(&f.ty);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.optional {
        ty = quote!(Option<#ty>);
    }
    ty
}

fn field_docs(f: &Field) -> TokenStream {
    let mut notes = vec![deprecated_note(&f.deprecated)];
    if let Some(default) = &f.default {
        notes.push(format!(
            "Defaults to {} when not set.",
            default_text(default)
        ));
    } else if f.required && f.optional {
        notes.push("Required by the service.".to_owned());
    } else if f.required {
        notes.push("Required: the builder's `build()` fails without it.".to_owned());
    }
    doc_attrs(
        &f.docs,
        &format!("The {} member.", code(&f.wire_name)),
        &notes,
    )
}

fn default_text(default: &DefaultValue) -> String {
    match default {
        DefaultValue::Bool(b) => code(&b.to_string()),
        DefaultValue::Int(i) => code(&i.to_string()),
        DefaultValue::Float(x) => code(&format!("{x:?}")),
        DefaultValue::String(s) => code(&format!("{s:?}")),
        DefaultValue::EpochSeconds(x) => {
            format!("{} seconds after the Unix epoch", code(&x.to_string()))
        }
        DefaultValue::Empty => "empty".to_owned(),
    }
}

/// `Debug` that prints sensitive members (or the whole struct) as redacted.
fn debug_impl(s: &Struct, name: &proc_macro2::Ident) -> TokenStream {
    let type_name = &s.rust_name;
    let redacted = rt::root::redacted();
    let body = if s.sensitive {
        quote!(f.write_str(#redacted))
    } else {
        let fields = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let label = unraw(&f.rust_name);
            if f.sensitive {
                quote!(.field(#label, &#redacted))
            } else {
                quote!(.field(#label, &self.#field))
            }
        });
        quote!(f.debug_struct(#type_name) #(#fields)* .finish())
    };
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

/// The error message member, if the shape has a plain string one.
fn message_field(s: &Struct) -> Option<&Field> {
    s.fields.iter().find(|f| {
        f.wire_name.eq_ignore_ascii_case("message") && f.ty == TypeRef::String && !f.sensitive
    })
}

/// An error structure's inherent items (`CODE`, `HTTP_STATUS`, `message()`),
/// which join `builder()` in the type's one `impl` block, and its `Display`
/// and `Error` impls.
fn error_impls(s: &Struct, name: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let StructRole::Error(info) = &s.role else {
        return (TokenStream::new(), TokenStream::new());
    };
    let code = &info.code;
    let status = info.http_status;
    let code_doc = doc_line("The error code the service sends (`Code` in the error document).");
    let status_doc = doc_line("The HTTP status the service answers with.");
    let (message, message_arg) = match message_field(s) {
        Some(f) => {
            let field = ident(&f.rust_name);
            let access = if f.optional {
                quote!(self.#field.as_deref())
            } else {
                quote!(Some(self.#field.as_str()))
            };
            let message_doc = doc_line("The error message, if the service sent one.");
            let method = quote! {
                #message_doc
                pub fn message(&self) -> Option<&str> {
                    #access
                }
            };
            (method, quote!(self.message()))
        }
        None => (TokenStream::new(), quote!(None)),
    };
    let fmt_error = rt::query::fmt_error();
    let items = quote! {
        #code_doc
        pub const CODE: &'static str = #code;
        #status_doc
        pub const HTTP_STATUS: u16 = #status;
        #message
    };
    let impls = quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #fmt_error(Self::CODE, #message_arg, f)
            }
        }

        impl ::std::error::Error for #name {}
    };
    (items, impls)
}

/// The builder for `s`, to be placed in a `builders` module.
pub fn builder_item(s: &Struct, place: &Place<'_>) -> TokenStream {
    let module = &place.module_path;
    let target_name = ident(&s.rust_name);
    let target = quote!(#module::#target_name);
    let name = ident(&crate::naming::builder_name(&s.rust_name));
    let doc = doc_line(&format!(
        "A builder for [`{}`]({}).",
        s.rust_name,
        intra_doc_path(place, &s.rust_name)
    ));
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = rust_type(&f.ty);
        // Crate-visible: the generated readers collect members into a builder.
        quote!(pub(crate) #field: Option<#ty>,)
    });
    let owner = intra_doc_path(place, &s.rust_name);
    let methods = s
        .fields
        .iter()
        .map(|f| setters(f, SetterTarget::Field, &owner));
    let mut derives = vec![quote!(Clone), quote!(PartialEq), quote!(Default)];
    if !s.redacts() {
        derives.push(quote!(Debug));
    }
    let debug = s.redacts().then(|| {
        // Same redaction as the built type: a builder holds the same secrets.
        let mut builder_view = s.clone();
        builder_view.rust_name = crate::naming::builder_name(&s.rust_name);
        for f in &mut builder_view.fields {
            f.optional = true;
        }
        debug_impl(&builder_view, &name)
    });
    let build = build_fn(s, &target, &intra_doc_path(place, &s.rust_name));
    quote! {
        #doc
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#methods)*
            #build
        }

        #debug
    }
}

/// Link target for the built type from its builder's docs. Shared types use their full
/// path (the builder may sit in a feature-gated submodule); operation types use a relative
/// one, because rustdoc cannot resolve paths through raw identifiers (`r#match`).
fn intra_doc_path(place: &Place<'_>, name: &str) -> String {
    match place.module {
        Some(Module::Types) => format!("crate::types::{name}"),
        Some(Module::Error) => format!("crate::error::{name}"),
        None => format!("super::{name}"),
    }
}

/// The fluent setter (appending for lists, inserting for maps) and the `set_` one.
/// How a setter stores what it is given.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetterTarget {
    /// In the builder's own field of the same name.
    Field,
    /// By calling the same setter of the builder in `self.inner` (fluent builders).
    Inner,
}

/// `owner` is the intra-doc path of the structure the member belongs to, seen
/// from where the setters are printed: a setter shows the first paragraph of a
/// long member doc and links to the member for the rest.
pub(crate) fn setters(f: &Field, target: SetterTarget, owner: &str) -> TokenStream {
    let field = ident(&f.rust_name);
    let set = format_ident!("{}", setter_name(&f.rust_name));
    let ty = rust_type(&f.ty);
    // rustdoc cannot resolve links through raw identifiers (`r#type`).
    let docs = match &f.docs_summary {
        Some(summary) if !f.rust_name.starts_with("r#") && !owner.contains("r#") => format!(
            "{summary}\n\nThe rest is on [`{name}`]({owner}::{name}).",
            name = f.rust_name
        ),
        _ => f.docs.clone(),
    };
    let member_doc = doc_attrs(
        &docs,
        &format!("The {} member.", code(&f.wire_name)),
        &[deprecated_note(&f.deprecated)],
    );
    let set_doc = doc_line(&format!(
        "Sets or clears the {} member.",
        code(&f.wire_name)
    ));
    let fluent = match &f.ty {
        TypeRef::List(list) => {
            let item = rust_type(&list.item);
            let item = if list.sparse {
                quote!(Option<#item>)
            } else {
                item
            };
            let append = doc_line(&format!(
                "Appends one item to the {} member.",
                code(&f.wire_name)
            ));
            let append_body = match target {
                SetterTarget::Field => {
                    quote!(self.#field.get_or_insert_with(Vec::new).push(item.into());)
                }
                SetterTarget::Inner => quote!(self.inner = self.inner.#field(item);),
            };
            quote! {
                #append
                #[doc = ""]
                #member_doc
                pub fn #field(mut self, item: impl Into<#item>) -> Self {
                    #append_body
                    self
                }
            }
        }
        TypeRef::Map(map) => {
            let key = rust_type(&map.key);
            let value = rust_type(&map.value);
            let value = if map.sparse {
                quote!(Option<#value>)
            } else {
                value
            };
            let insert = doc_line(&format!(
                "Inserts one entry into the {} member.",
                code(&f.wire_name)
            ));
            let insert_body = match target {
                SetterTarget::Field => {
                    quote!(self.#field.get_or_insert_with(Default::default).insert(key.into(), value.into());)
                }
                SetterTarget::Inner => quote!(self.inner = self.inner.#field(key, value);),
            };
            quote! {
                #insert
                #[doc = ""]
                #member_doc
                pub fn #field(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                    #insert_body
                    self
                }
            }
        }
        _ => {
            let store = match target {
                SetterTarget::Field => {
                    quote!(self.#field = Some(input.into());)
                }
                SetterTarget::Inner => quote!(self.inner = self.inner.#field(input);),
            };
            quote! {
                #member_doc
                pub fn #field(mut self, input: impl Into<#ty>) -> Self {
                    #store
                    self
                }
            }
        }
    };
    let replace = match target {
        SetterTarget::Field => quote!(self.#field = input;),
        SetterTarget::Inner => quote!(self.inner = self.inner.#set(input);),
    };
    quote! {
        #fluent
        #set_doc
        pub fn #set(mut self, input: Option<#ty>) -> Self {
            #replace
            self
        }
    }
}

/// Local variable holding a member while a structure is assembled (builders, parsers).
pub(crate) fn slot(f: &Field) -> proc_macro2::Ident {
    format_ident!("member_{}", unraw(&f.rust_name))
}

/// The `field: value,` initialiser of a member, shared by every place that assembles a
/// structure. `value` is an `Option<T>` expression, except for a required member without
/// a default (the only kind that is neither optional nor defaulted), where the caller has
/// already unwrapped it to `T`. Defaults are filled in and boxed members boxed here.
pub(crate) fn field_init(f: &Field, value: TokenStream) -> TokenStream {
    let field = ident(&f.rust_name);
    let value = match (&f.default, f.optional) {
        (Some(default), false) => default_expr(value, default, &f.ty),
        _ => value,
    };
    match (f.boxed, f.optional) {
        (false, _) => quote!(#field: #value,),
        (true, true) => quote!(#field: #value.map(Box::new),),
        (true, false) => quote!(#field: Box::new(#value),),
    }
}

/// `build()`: infallible unless some required member has no default.
fn build_fn(s: &Struct, target: &TokenStream, target_doc_path: &str) -> TokenStream {
    let type_name = &s.rust_name;
    let link = format!("[`{type_name}`]({target_doc_path})");
    let required: Vec<&Field> = s.required_fields().collect();
    // Required members that stay `Option` (input, `@clientOptional`) are checked but not unwrapped.
    let unwrapped: Vec<&Field> = required.iter().copied().filter(|f| !f.optional).collect();
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let slot = slot(f);
        let is_unwrapped = unwrapped.iter().any(|u| u.rust_name == f.rust_name);
        field_init(
            f,
            if is_unwrapped {
                quote!(#slot)
            } else {
                quote!(self.#field)
            },
        )
    });
    let built = quote!(#target { #(#inits)* });
    if required.is_empty() {
        let doc = doc_line(&format!(
            "Builds the {link}; every member is optional or has a default."
        ));
        return quote! {
            #doc
            pub fn build(self) -> #target {
                #built
            }
        };
    }
    let checks = required.iter().map(|f| {
        let field = ident(&f.rust_name);
        let name = unraw(&f.rust_name);
        quote! {
            if self.#field.is_none() {
                missing.push(#name);
            }
        }
    });
    let build_error = rt::root::build_error();
    let missing_err = quote!(Err(#build_error::missing_members(#type_name, missing)));
    let unwrap = match unwrapped.as_slice() {
        [] => TokenStream::new(),
        [one] => {
            let field = ident(&one.rust_name);
            let slot = slot(one);
            quote!(let Some(#slot) = self.#field else { return #missing_err; };)
        }
        many => {
            let names = many.iter().map(|f| ident(&f.rust_name));
            let pats = many.iter().map(|f| {
                let slot = slot(f);
                quote!(Some(#slot))
            });
            quote!(let (#(#pats),*) = (#(self.#names),*) else { return #missing_err; };)
        }
    };
    let names: Vec<String> = required
        .iter()
        .map(|f| format!("`{}`", unraw(&f.rust_name)))
        .collect();
    let doc = doc_line(&format!(
        "Builds the {link}, failing if any required member ({}) is not set.",
        names.join(", ")
    ));
    quote! {
        #doc
        pub fn build(self) -> Result<#target, #build_error> {
            let mut missing = Vec::new();
            #(#checks)*
            if !missing.is_empty() {
                return #missing_err;
            }
            #unwrap
            Ok(#built)
        }
    }
}

/// `value` (an `Option`) with the member's default filled in.
pub(crate) fn default_expr(
    value: TokenStream,
    default: &DefaultValue,
    ty: &TypeRef,
) -> TokenStream {
    match (default, ty) {
        (DefaultValue::Bool(b), _) => quote!(#value.unwrap_or(#b)),
        (DefaultValue::Int(i), TypeRef::Named(named)) if named.kind == NamedKind::IntEnum => {
            let path = super::named_path(named);
            let int = Literal::i64_unsuffixed(*i);
            quote!(#value.unwrap_or_else(|| #path::from(#int)))
        }
        (DefaultValue::Int(i), _) => {
            let int = Literal::i64_unsuffixed(*i);
            quote!(#value.unwrap_or(#int))
        }
        (DefaultValue::Float(x), _) => {
            let float = Literal::f64_unsuffixed(*x);
            quote!(#value.unwrap_or(#float))
        }
        (DefaultValue::String(s), TypeRef::Named(named)) => {
            let path = super::named_path(named);
            quote!(#value.unwrap_or_else(|| #path::from(#s)))
        }
        (DefaultValue::String(s), _) => {
            quote!(#value.unwrap_or_else(|| String::from(#s)))
        }
        (DefaultValue::EpochSeconds(x), _) => {
            // Whole seconds: sub-second timestamp defaults do not occur in practice.
            let secs = Literal::i64_unsuffixed(x.floor() as i64);
            let date_time = rt::root::date_time();
            quote!(#value.unwrap_or(#date_time::from_secs(#secs)))
        }
        (DefaultValue::Empty, _) => quote!(#value.unwrap_or_default()),
    }
}
