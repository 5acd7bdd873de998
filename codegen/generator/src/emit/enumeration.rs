//! Enums (string and int) and unions: open types with a variant for values
//! this version of the model does not know.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rt;
use super::{code, deprecated_note, doc_attrs, doc_line, ident, rust_type, shape_note};
use crate::ir::{Enum, Union};

/// `Debug` for a `@sensitive` enum or union: the value never shows.
fn redacted_debug(name: &proc_macro2::Ident) -> TokenStream {
    let redacted = rt::root::redacted();
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#redacted)
            }
        }
    }
}

const UNKNOWN_DOC: &str = "A value this version of the model does not know, kept as received.";

/// A string enum or intEnum with its conversions.
pub fn enum_item(e: &Enum) -> TokenStream {
    let name = ident(&e.rust_name);
    let docs = doc_attrs(
        &e.docs,
        &format!("The `{}` enum.", e.rust_name),
        &[deprecated_note(&e.deprecated), shape_note(&e.id)],
    );
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let docs = doc_attrs(
            &v.docs,
            &format!("The value {}.", code(&v.value)),
            &[
                deprecated_note(&v.deprecated),
                format!("Wire value: {}.", code(&v.value)),
            ],
        );
        quote!(#docs #variant,)
    });
    let names: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let mut derives = vec![
        quote!(Clone),
        quote!(PartialEq),
        quote!(Eq),
        quote!(Hash),
        quote!(PartialOrd),
        quote!(Ord),
    ];
    if !e.sensitive {
        derives.push(quote!(Debug));
    }
    let debug = e.sensitive.then(|| redacted_debug(&name));
    let body = if e.int {
        int_enum_impls(e, &name, &names)
    } else {
        string_enum_impls(e, &name, &names)
    };
    let unknown_doc = doc_line(UNKNOWN_DOC);
    let serde = super::serde::enum_impls(e);
    // The protocol traits of the runtime take string enums through this one marker.
    let string_enum = (!e.int).then(|| {
        let marker = rt::root::string_enum();
        quote!(impl #marker for #name {})
    });
    let unknown = rt::root::unknown_variant();
    let unknown_ty = if e.int {
        quote!(#unknown<i32>)
    } else {
        unknown.clone()
    };
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            Unknown(#unknown_ty),
        }

        #body
        #string_enum
        #debug
        #serde
    }
}

fn string_enum_impls(
    e: &Enum,
    name: &proc_macro2::Ident,
    names: &[proc_macro2::Ident],
) -> TokenStream {
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let unknown = rt::root::unknown_variant();
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the model knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(#unknown::new(ToOwned::to_owned(other))),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn int_enum_impls(
    e: &Enum,
    name: &proc_macro2::Ident,
    names: &[proc_macro2::Ident],
) -> TokenStream {
    let unknown = rt::root::unknown_variant();
    // Values were checked to fit i32 when lowering.
    let values: Vec<Literal> = e
        .variants
        .iter()
        .map(|v| Literal::i32_unsuffixed(v.value.parse().unwrap_or_default()))
        .collect();
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(value) => *value.get(),
                }
            }

            /// Every value this version of the model knows, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(#unknown::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::num::ParseIntError;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                value.parse::<i32>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }
    }
}

/// A union: one variant per member, plus `Unknown` for members added later.
pub fn union_item(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let docs = doc_attrs(
        &u.docs,
        &format!("The `{}` union.", u.rust_name),
        &[deprecated_note(&u.deprecated), shape_note(&u.id)],
    );
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let docs = doc_attrs(&v.docs, &format!("The {} member.", code(&v.wire_name)), &[]);
        match &v.ty {
            None => quote!(#docs #variant,),
            Some(ty) => {
                let ty = rust_type(ty);
                let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
                quote!(#docs #variant(#ty),)
            }
        }
    });
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    if !u.sensitive {
        derives.push(quote!(Debug));
    }
    let debug = u.sensitive.then(|| redacted_debug(&name));
    let unknown_doc = doc_line("A member this version of the model does not know.");
    let serde = super::serde::union_impls(u);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            Unknown,
        }

        #debug
        #serde
    }
}
