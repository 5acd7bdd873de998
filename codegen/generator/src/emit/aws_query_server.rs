//! awsQuery, server side: read a request body into an input (`ReadQuery`,
//! `deserialize_request`) and write outputs and errors as the service does
//! (`WriteXml`, `serialize_response`, `ErrorResponse`). Generated from the
//! same IR as the client side, so round-trip tests can pit one against the
//! other, and a server stub can be built on them. Everything here is behind
//! the generated crate's `server` feature, so clients do not compile it.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::aws_query::{
    borrowed, collection, finish_from_builder, is_plain, timestamp_format, Collection,
};
use super::structure::field_init;
use super::{ident, rt};
use crate::ir::{Field, NamedKind, Operation, Struct, StructRole, TypeRef, Union};
use crate::traits::ErrorFault;

/// `impl ReadQuery for S`: the members from the request keys under `node`,
/// into the structure (through its builder when required members are checked).
pub fn struct_query_reader(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let (trait_path, tree, error) = (
        rt::server::read_query(),
        rt::server::query_tree(),
        rt::server::query_error(),
    );
    if s.fields.is_empty() {
        return quote! {
            #[cfg(feature = "server")]
            impl #trait_path for #name {
                fn read_query(_node: &#tree) -> Result<Self, #error> {
                    Ok(Self {})
                }
            }
        };
    }
    let reads = s.fields.iter().map(|f| {
        let key = f.wire_key.as_str();
        let flattened = f.wire_flattened;
        let read = match collection(&f.ty, flattened) {
            Some(Collection::Value) => quote!(node.member(#key)?),
            Some(Collection::List { item }) => quote!(node.list(#key, #item)?),
            Some(Collection::FlatList) => quote!(node.flat_list(#key)?),
            Some(Collection::Map {
                key: k,
                value: v,
                flat,
            }) => {
                let method = if flat { quote!(flat_map) } else { quote!(map) };
                quote!(node.#method(#key, #k, #v)?)
            }
            None => {
                let read = read_query_value(&f.ty, &format_ident!("child"), flattened, 0);
                quote! {
                    match node.child(#key) {
                        Some(child) => Some(#read),
                        None => None,
                    }
                }
            }
        };
        (f, read)
    });
    // Unless a required member must be unwrapped (and reported when missing),
    // the members go straight into the structure, with no builder in between.
    let body = if s.required_fields().all(|f| f.optional) {
        let inits = reads.map(|(f, read)| field_init(f, read));
        quote!(Ok(Self { #(#inits)* }))
    } else {
        let members = reads.map(|(f, read)| {
            let field = ident(&f.rust_name);
            quote!(out.#field = #read;)
        });
        let finish = finish_from_builder(s, quote!(node.missing(problem)));
        quote! {
            let mut out = Self::builder();
            #(#members)*
            #finish
        }
    };
    quote! {
        #[cfg(feature = "server")]
        impl #trait_path for #name {
            fn read_query(node: &#tree) -> Result<Self, #error> {
                #body
            }
        }
    }
}

/// `impl ReadQuery for U`: the first known member key sets the variant.
pub fn union_query_reader(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let (trait_path, tree, error) = (
        rt::server::read_query(),
        rt::server::query_tree(),
        rt::server::query_error(),
    );
    let child = format_ident!("child");
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote! {
                if node.child(#key).is_some() {
                    return Ok(Self::#variant);
                }
            },
            Some(ty) => {
                let read = read_query_value(ty, &child, v.flattened, 0);
                let read = if v.boxed {
                    quote!(Box::new(#read))
                } else {
                    read
                };
                quote! {
                    if let Some(child) = node.child(#key) {
                        return Ok(Self::#variant(#read));
                    }
                }
            }
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #trait_path for #name {
            fn read_query(node: &#tree) -> Result<Self, #error> {
                #(#arms)*
                Ok(Self::Unknown)
            }
        }
    }
}

/// An expression reading a value of `ty` at request node `node`.
fn read_query_value(ty: &TypeRef, node: &Ident, flattened: bool, depth: usize) -> TokenStream {
    let error = rt::server::query_error();
    match ty {
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(#node.timestamp(#format)?)
        }
        TypeRef::Named(named) if named.kind == NamedKind::IntEnum => {
            let path = super::named_path(named);
            quote!(#path::from(#node.parsed::<i32>("a 32-bit integer")?))
        }
        ty if is_plain(ty) => {
            let trait_path = rt::server::read_query();
            quote!(#trait_path::read_query(#node)?)
        }
        // Rejected for awsQuery services when lowering.
        TypeRef::Document => {
            let document = rt::root::document();
            quote!(#document::Null)
        }
        TypeRef::List(list) => {
            let item = format_ident!("item{}", depth);
            let read = read_query_value(&list.item, &item, false, depth + 1);
            let read = if list.sparse {
                quote!(Some(#read))
            } else {
                read
            };
            let items = if flattened {
                quote!(Some(#node))
            } else {
                let name = list.item_xml_name.as_deref().unwrap_or("member");
                quote!(#node.child(#name))
            };
            quote! {
                match #items {
                    Some(items) => {
                        let mut list = Vec::new();
                        for #item in items.items()?.iter() {
                            list.push(#read);
                        }
                        list
                    }
                    None => Vec::new(),
                }
            }
        }
        TypeRef::Map(map) => {
            let entry = format_ident!("entry{}", depth);
            let key_node = format_ident!("key{}", depth);
            let value_node = format_ident!("value{}", depth);
            let key_name = map.key_xml_name.as_deref().unwrap_or("key");
            let value_name = map.value_xml_name.as_deref().unwrap_or("value");
            let read_key = read_query_value(&map.key, &key_node, false, depth + 1);
            let read_value = read_query_value(&map.value, &value_node, false, depth + 1);
            let read_value = if map.sparse {
                quote!(Some(#read_value))
            } else {
                read_value
            };
            let entries = if flattened {
                quote!(Some(#node))
            } else {
                quote!(#node.child("entry"))
            };
            let index_map = rt::root::index_map();
            quote! {
                match #entries {
                    Some(entries) => {
                        let mut map = #index_map::new();
                        for #entry in entries.items()? {
                            let #key_node = #entry.child(#key_name).ok_or_else(|| #error::new(#entry.key(), "map entry without a key"))?;
                            let #value_node = #entry.child(#value_name).ok_or_else(|| #error::new(#entry.key(), "map entry without a value"))?;
                            map.insert(#read_key, #read_value);
                        }
                        map
                    }
                    None => #index_map::new(),
                }
            }
        }
        // Every other type is plain (handled above).
        _ => TokenStream::new(),
    }
}

/// `impl WriteXml for S`: the members as child elements, as the service
/// writes them. An error's message travels in the envelope's `<Message>`, so
/// `skip_message` leaves it out.
pub fn struct_xml_writer(s: &Struct, skip_message: bool) -> TokenStream {
    let name = ident(&s.rust_name);
    let (trait_path, writer) = (rt::server::write_xml(), rt::server::writer());
    let fields: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| !(skip_message && is_message(s, f)))
        .collect();
    let writer_param = if fields.is_empty() {
        quote!(_writer)
    } else {
        quote!(writer)
    };
    let members = fields.iter().map(|f| {
        let key = f.wire_key.as_str();
        let flattened = f.wire_flattened;
        let value = borrowed(f);
        match collection(&f.ty, flattened) {
            Some(Collection::Value) => quote!(writer.member(#key, #value);),
            Some(Collection::List { item }) => quote!(writer.list(#key, #item, #value);),
            Some(Collection::FlatList) => quote!(writer.flat_list(#key, #value);),
            Some(Collection::Map {
                key: k,
                value: v,
                flat,
            }) => {
                let method = if flat { quote!(flat_map) } else { quote!(map) };
                quote!(writer.#method(#key, #k, #v, #value);)
            }
            None => {
                let write =
                    write_xml_value(&f.ty, &quote!(#key), &format_ident!("value"), flattened, 0);
                quote!(if let Some(value) = #value { #write })
            }
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #trait_path for #name {
            fn write_xml(&self, #writer_param: &mut #writer) {
                #(#members)*
            }
        }
    }
}

fn is_message(s: &Struct, f: &Field) -> bool {
    matches!(s.role, StructRole::Error(_))
        && f.wire_name.eq_ignore_ascii_case("message")
        && f.ty == TypeRef::String
}

/// `impl WriteXml for U`: the set member as a child element.
pub fn union_xml_writer(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let (trait_path, writer) = (rt::server::write_xml(), rt::server::writer());
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote!(Self::#variant => writer.element(#key, ""),),
            Some(ty) => {
                let write =
                    write_xml_value(ty, &quote!(#key), &format_ident!("value"), v.flattened, 0);
                let value = if v.boxed {
                    quote!(&**value)
                } else {
                    quote!(value)
                };
                quote!(Self::#variant(value) => {
                    let value = #value;
                    #write
                })
            }
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #trait_path for #name {
            fn write_xml(&self, writer: &mut #writer) {
                match self {
                    #(#arms)*
                    Self::Unknown => {}
                }
            }
        }
    }
}

/// Code writing `value` (a reference) as element(s) named `name`.
fn write_xml_value(
    ty: &TypeRef,
    name: &TokenStream,
    value: &Ident,
    flattened: bool,
    depth: usize,
) -> TokenStream {
    match ty {
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(writer.timestamp(#name, #value, #format);)
        }
        TypeRef::Document => TokenStream::new(),
        TypeRef::Named(named) if named.kind == NamedKind::IntEnum => {
            quote!(writer.integer(#name, i64::from(#value.value()));)
        }
        ty if is_plain(ty) => quote!(writer.member(#name, Some(#value));),
        TypeRef::List(list) => {
            let item = format_ident!("item{}", depth);
            let item_name = list.item_xml_name.as_deref().unwrap_or("member");
            let element = if flattened {
                name.clone()
            } else {
                quote!(#item_name)
            };
            let write = write_xml_value(&list.item, &element, &item, false, depth + 1);
            let write = if list.sparse {
                quote!(if let Some(#item) = #item { #write })
            } else {
                write
            };
            let body = quote!(for #item in #value.iter() { #write });
            if flattened {
                body
            } else {
                quote! {
                    writer.start(#name, None);
                    #body
                    writer.end(#name);
                }
            }
        }
        TypeRef::Map(map) => {
            let key = format_ident!("key{}", depth);
            let entry = format_ident!("entry{}", depth);
            let key_name = map.key_xml_name.as_deref().unwrap_or("key");
            let value_name = map.value_xml_name.as_deref().unwrap_or("value");
            let write_key = write_xml_value(&map.key, &quote!(#key_name), &key, false, depth + 1);
            let write_value =
                write_xml_value(&map.value, &quote!(#value_name), &entry, false, depth + 1);
            let write_value = if map.sparse {
                quote!(if let Some(#entry) = #entry { #write_value })
            } else {
                write_value
            };
            let entry_element = if flattened {
                name.clone()
            } else {
                quote!("entry")
            };
            let body = quote! {
                for (#key, #entry) in #value.iter() {
                    writer.start(#entry_element, None);
                    #write_key
                    #write_value
                    writer.end(#entry_element);
                }
            };
            if flattened {
                body
            } else {
                quote! {
                    writer.start(#name, None);
                    #body
                    writer.end(#name);
                }
            }
        }
        // Every other type is plain (handled above).
        _ => TokenStream::new(),
    }
}

/// `impl ServerError for E`: its fault, status and message, from which the
/// runtime writes the `<ErrorResponse>` document.
pub fn server_error(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let StructRole::Error(info) = &s.role else {
        return TokenStream::new();
    };
    let fault = match info.fault {
        ErrorFault::Client => "Sender",
        ErrorFault::Server => "Receiver",
    };
    let status = info.http_status;
    let message = s.fields.iter().find(|f| is_message(s, f)).map(|f| {
        let field = ident(&f.rust_name);
        let value = if f.optional {
            quote!(self.#field.as_deref())
        } else {
            quote!(Some(self.#field.as_str()))
        };
        quote! {
            fn message(&self) -> Option<&str> {
                #value
            }
        }
    });
    let trait_path = rt::server::server_error();
    quote! {
        #[cfg(feature = "server")]
        impl #trait_path for #name {
            const FAULT: &'static str = #fault;
            const HTTP_STATUS: u16 = #status;
            #message
        }
    }
}

/// The operation's server-side functions.
pub fn operation_server(op: &Operation, version: &str, namespace: Option<&str>) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let action = &op.wire_name;
    let response = format!("{action}Response");
    let ns = super::option_str(namespace);
    let parse_doc = super::doc_line(&format!("Server side: parses the request body of `{action}` (checking `Action` and `Version`) into the input."));
    let write_doc = super::doc_line(&format!(
        "Server side: the `<{response}>` document for `output`."
    ));
    let (query_error, read_request, write_response) = (
        rt::server::query_error(),
        rt::server::read_request_fn(),
        rt::server::response_fn(),
    );
    quote! {
        #parse_doc
        #[cfg(feature = "server")]
        pub fn deserialize_request(body: &[u8]) -> Result<#input, #query_error> {
            #read_request(body, #action, #version)
        }

        #write_doc
        #[cfg(feature = "server")]
        pub fn serialize_response(output: &#output, request_id: &str) -> String {
            #write_response(#action, #ns, output, request_id)
        }
    }
}
