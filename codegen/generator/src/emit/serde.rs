//! The `serde` feature: `Serialize` and `Deserialize` on every structure,
//! enum and union, in the JSON form of the AWS CLI and boto3 (keys are the
//! Smithy member names; see `querygen_runtime::serde_support` for timestamps,
//! blobs and floats).
//!
//! Structures derive the traits; the attributes are kept short: one
//! `rename_all` per structure (the rule that matches most member names), a
//! `rename` only for the members that rule misses. Enums and unions get
//! hand-written impls (open values and the one-member object form are not
//! what serde's derive does); enums through a one-line runtime macro.
//! Everything sits behind `#[cfg(feature = "serde")]` or `cfg_attr`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, rt, rust_type};
use crate::ir::{DefaultValue, Enum, Field, Struct, TypeRef, Union};
use crate::naming::{unraw, SerdeCase};

const WIRE: &str = rt::serde::WIRE;

/// Whether a value needs `querygen_runtime::serde_support::wire` (blobs, floats, and what holds them).
fn needs_wire(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Blob | TypeRef::Float | TypeRef::Double => true,
        TypeRef::List(list) => needs_wire(&list.item),
        TypeRef::Map(map) => needs_wire(&map.value),
        _ => false,
    }
}

/// The rule that gives the most members their Smithy name (no rule on a tie).
fn case_for(fields: &[Field]) -> SerdeCase {
    let misses = |case: SerdeCase| {
        fields
            .iter()
            .filter(|f| case.key(&f.rust_name) != f.wire_name)
            .count()
    };
    [SerdeCase::Field, SerdeCase::Pascal, SerdeCase::Camel]
        .into_iter()
        .min_by_key(|case| misses(*case))
        .unwrap_or(SerdeCase::Field)
}

/// What a structure needs for `serde`: the container attribute, one attribute
/// per field (empty where none is needed), and the default functions of members
/// whose model default is not their type's `Default`.
pub struct StructSerde {
    /// `#[cfg_attr(feature = "serde", derive(..), serde(..))]` for the struct.
    pub container: TokenStream,
    /// Per field, in order: its `cfg_attr`, or nothing.
    pub fields: Vec<TokenStream>,
    /// `impl Struct { fn serde_default_x() }`, behind the feature, if any member needs one.
    pub defaults: TokenStream,
}

/// The `serde` attributes of structure `s` (named `name`).
pub fn struct_serde(s: &Struct, name: &Ident) -> StructSerde {
    let case = case_for(&s.fields);
    // Two short attributes rather than one: prettyplease would spread a long one over five lines.
    let rename_all = case
        .rule()
        .map(|rule| quote!(#[cfg_attr(feature = "serde", serde(rename_all = #rule))]));
    let container = quote! {
        #[cfg_attr(feature = "serde", derive(::serde::Serialize, ::serde::Deserialize))]
        #rename_all
    };
    let mut default_fns = Vec::new();
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let mut args = Vec::new();
            if case.key(&f.rust_name) != f.wire_name {
                let key = &f.wire_name;
                args.push(quote!(rename = #key));
            }
            if needs_wire(&f.ty) {
                args.push(quote!(with = #WIRE));
            }
            if f.optional {
                // The AWS CLI prints no key for an absent member, rather than `null`. The
                // prelude's `Option` keeps the attribute on one line (no generated type is
                // named `Option`: see naming).
                args.push(quote!(skip_serializing_if = "Option::is_none"));
                if needs_wire(&f.ty) {
                    // With `with`, serde no longer treats a missing key as `None` by itself.
                    args.push(quote!(default));
                }
            } else if let Some(default) = &f.default {
                match default_value(default, &f.ty) {
                    None => args.push(quote!(default)),
                    Some(value) => {
                        let function = format_ident!("serde_default_{}", unraw(&f.rust_name));
                        let path = format!("{}::{function}", s.rust_name);
                        let ty = rust_type(&f.ty);
                        let ty = if f.boxed { quote!(Box<#ty>) } else { ty };
                        let value = if f.boxed {
                            quote!(Box::new(#value))
                        } else {
                            value
                        };
                        default_fns.push(quote!(fn #function() -> #ty { #value }));
                        args.push(quote!(default = #path));
                    }
                }
            }
            if args.is_empty() {
                TokenStream::new()
            } else {
                quote!(#[cfg_attr(feature = "serde", serde(#(#args),*))])
            }
        })
        .collect();
    let defaults = if default_fns.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            /// The model defaults of members a JSON document may leave out.
            #[cfg(feature = "serde")]
            impl #name {
                #(#default_fns)*
            }
        }
    };
    StructSerde {
        container,
        fields,
        defaults,
    }
}

/// The model default as an expression, or `None` when it is the type's own `Default`.
fn default_value(default: &DefaultValue, ty: &TypeRef) -> Option<TokenStream> {
    let named = match ty {
        TypeRef::Named(named) => Some(super::named_path(named)),
        _ => None,
    };
    Some(match (default, named) {
        (DefaultValue::Empty, _) | (DefaultValue::Bool(false), _) => return None,
        (DefaultValue::Int(0), None) => return None,
        (DefaultValue::String(s), None) if s.is_empty() => return None,
        (DefaultValue::Bool(b), _) => quote!(#b),
        (DefaultValue::Int(i), Some(path)) => {
            let int = Literal::i64_unsuffixed(*i);
            quote!(#path::from(#int))
        }
        (DefaultValue::Int(i), None) => {
            let int = Literal::i64_unsuffixed(*i);
            quote!(#int)
        }
        (DefaultValue::Float(x), _) => {
            if *x == 0.0 {
                return None;
            }
            let float = Literal::f64_unsuffixed(*x);
            quote!(#float)
        }
        (DefaultValue::String(s), Some(path)) => quote!(#path::from(#s)),
        (DefaultValue::String(s), None) => quote!(String::from(#s)),
        (DefaultValue::EpochSeconds(x), _) => {
            // Whole seconds, as the builder's default (see structure::default_expr).
            let secs = Literal::i64_unsuffixed(x.floor() as i64);
            let date_time = rt::root::date_time();
            quote!(#date_time::from_secs(#secs))
        }
    })
}

/// `Serialize` and `Deserialize` for an enum: the wire value, unknown values kept.
pub fn enum_impls(e: &Enum) -> TokenStream {
    let name = ident(&e.rust_name);
    let implement = if e.int {
        rt::serde::int_enum_macro()
    } else {
        rt::serde::string_enum_macro()
    };
    quote! {
        #[cfg(feature = "serde")]
        #implement!(#name);
    }
}

/// `Serialize` and `Deserialize` for a union: an object with one member, named
/// as in the model. An unknown member reads as `Unknown`, which cannot be written.
pub fn union_impls(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let type_name = &u.rust_name;
    let support = rt::serde::support();
    let writes = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = &v.wire_name;
        match &v.ty {
            None => quote! {
                Self::#variant => #support::serialize_union_member(serializer, #key, &#support::UnitMember),
            },
            Some(ty) if needs_wire(ty) => quote! {
                Self::#variant(value) => #support::serialize_union_member(serializer, #key, &#support::wire::AsWire(value)),
            },
            Some(_) => quote! {
                Self::#variant(value) => #support::serialize_union_member(serializer, #key, value),
            },
        }
    });
    let reads = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = &v.wire_name;
        match &v.ty {
            None => quote! {
                #key => {
                    map.next_value::<#support::UnitMember>()?;
                    #name::#variant
                }
            },
            Some(ty) => {
                let mut ty_tokens = rust_type(ty);
                if v.boxed {
                    ty_tokens = quote!(Box<#ty_tokens>);
                }
                if needs_wire(ty) {
                    quote!(#key => #name::#variant(map.next_value::<#support::wire::FromWire<#ty_tokens>>()?.0),)
                } else {
                    quote!(#key => #name::#variant(map.next_value::<#ty_tokens>()?),)
                }
            }
        }
    });
    let expecting = format!("the union `{type_name}`: an object with one member");
    let none_set = format!("the union `{type_name}` has no member set");
    let many_set = format!("the union `{type_name}` has more than one member set");
    quote! {
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    Self::Unknown => Err(#support::unknown_union_member(#type_name)),
                }
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct UnionVisitor;
                impl<'de> ::serde::de::Visitor<'de> for UnionVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let Some(member) = map.next_key::<String>()? else {
                            return Err(::serde::de::Error::custom(#none_set));
                        };
                        let value = match member.as_str() {
                            #(#reads)*
                            _ => {
                                map.next_value::<::serde::de::IgnoredAny>()?;
                                #name::Unknown
                            }
                        };
                        if map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                            return Err(::serde::de::Error::custom(#many_set));
                        }
                        Ok(value)
                    }
                }
                deserializer.deserialize_map(UnionVisitor)
            }
        }
    }
}
