//! awsQuery, server side: read a request body into an input (`read_query`,
//! `deserialize_request`) and write outputs and errors as the service does
//! (`write_xml`, `serialize_response`, `write_error_response`). Generated from
//! the same IR as the client side, so round-trip tests can pit one against
//! the other, and a server stub can be built on them. Everything here is
//! behind the generated crate's `server` feature, so clients do not compile it.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::aws_query::{member_key, timestamp_format, uses_flattening};
use super::structure::{field_init, slot};
use super::{doc_line, ident};
use crate::ir::{Field, NamedKind, Operation, Struct, StructRole, TypeRef, Union};
use crate::traits::ErrorFault;

fn tree_type() -> TokenStream {
    quote!(::querygen_runtime::server::QueryTree)
}

fn query_error() -> TokenStream {
    quote!(::querygen_runtime::server::QueryError)
}

/// `impl S { pub fn read_query(..) }`: the members from the request keys under `node`.
pub fn struct_query_reader(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let (tree, error) = (tree_type(), query_error());
    let doc = doc_line("Reads this structure from the request keys under `node` (the server side of `write_query`).");
    let node_param = if s.fields.is_empty() {
        quote!(_node)
    } else {
        quote!(node)
    };
    let slots = s.fields.iter().map(|f| {
        let slot = slot(f);
        let key = member_key(f);
        let read = read_query_value(&f.ty, &format_ident!("child"), uses_flattening(f), 0);
        quote! {
            let #slot = match node.child(#key) {
                ::std::option::Option::Some(child) => ::std::option::Option::Some(#read),
                ::std::option::Option::None => ::std::option::Option::None,
            };
        }
    });
    let type_name = &s.rust_name;
    let missing = s.required_fields().filter(|f| !f.optional).map(|f| {
        let slot = slot(f);
        let member = crate::naming::unraw(&f.rust_name);
        quote! {
            let ::std::option::Option::Some(#slot) = #slot else {
                return ::std::result::Result::Err(#error::new(
                    node.key(),
                    ::std::format!("{}: required member `{}` is missing", #type_name, #member),
                ));
            };
        }
    });
    // Required members without a default were unwrapped into their slots just above.
    let inits = s.fields.iter().map(|f| {
        let slot = slot(f);
        field_init(f, quote!(#slot))
    });
    quote! {
        #[cfg(feature = "server")]
        impl #name {
            #doc
            pub fn read_query(#node_param: &#tree) -> ::std::result::Result<Self, #error> {
                #(#slots)*
                #(#missing)*
                ::std::result::Result::Ok(Self { #(#inits)* })
            }
        }
    }
}

/// `impl U { pub fn read_query(..) }`: the first known member key sets the variant.
pub fn union_query_reader(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let (tree, error) = (tree_type(), query_error());
    let doc = doc_line(
        "Reads this union from the request keys under `node`: the first known member wins.",
    );
    let child = format_ident!("child");
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote! {
                if node.child(#key).is_some() {
                    return ::std::result::Result::Ok(Self::#variant);
                }
            },
            Some(ty) => {
                let read = read_query_value(ty, &child, v.flattened, 0);
                let read = if v.boxed {
                    quote!(::std::boxed::Box::new(#read))
                } else {
                    read
                };
                quote! {
                    if let ::std::option::Option::Some(child) = node.child(#key) {
                        return ::std::result::Result::Ok(Self::#variant(#read));
                    }
                }
            }
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #name {
            #doc
            pub fn read_query(node: &#tree) -> ::std::result::Result<Self, #error> {
                #(#arms)*
                ::std::result::Result::Ok(Self::Unknown)
            }
        }
    }
}

/// An expression reading a value of `ty` at request node `node`.
fn read_query_value(ty: &TypeRef, node: &Ident, flattened: bool, depth: usize) -> TokenStream {
    let error = query_error();
    match ty {
        TypeRef::String => quote!(#node.text()?.to_owned()),
        TypeRef::Bool => quote!(#node.parsed::<bool>("a boolean")?),
        TypeRef::Byte => quote!(#node.parsed::<i8>("an 8-bit integer")?),
        TypeRef::Short => quote!(#node.parsed::<i16>("a 16-bit integer")?),
        TypeRef::Integer => quote!(#node.parsed::<i32>("a 32-bit integer")?),
        TypeRef::Long => quote!(#node.parsed::<i64>("a 64-bit integer")?),
        TypeRef::Float => quote!(#node.float::<f32>()?),
        TypeRef::Double => quote!(#node.float::<f64>()?),
        TypeRef::BigInteger => {
            quote!(#node.parsed::<::querygen_runtime::BigInteger>("an integer")?)
        }
        TypeRef::BigDecimal => quote!(#node.parsed::<::querygen_runtime::BigDecimal>("a decimal")?),
        TypeRef::Blob => quote!(#node.blob()?),
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(#node.timestamp(#format)?)
        }
        // Rejected for awsQuery services when lowering.
        TypeRef::Document => quote!(::querygen_runtime::Document::Null),
        TypeRef::Named(named) => {
            let path = super::named_path(named);
            match named.kind {
                NamedKind::Enum => quote!(#path::from(#node.text()?)),
                NamedKind::IntEnum => quote!(#path::from(#node.parsed::<i32>("a 32-bit integer")?)),
                NamedKind::Struct | NamedKind::Union => quote!(#path::read_query(#node)?),
            }
        }
        TypeRef::List(list) => {
            let item = format_ident!("item{}", depth);
            let read = read_query_value(&list.item, &item, false, depth + 1);
            let read = if list.sparse {
                quote!(::std::option::Option::Some(#read))
            } else {
                read
            };
            let items = if flattened {
                quote!(::std::option::Option::Some(#node))
            } else {
                let name = list.item_xml_name.as_deref().unwrap_or("member");
                quote!(#node.child(#name))
            };
            quote! {
                match #items {
                    ::std::option::Option::Some(items) => {
                        let mut list = ::std::vec::Vec::new();
                        for #item in items.items()?.iter() {
                            list.push(#read);
                        }
                        list
                    }
                    ::std::option::Option::None => ::std::vec::Vec::new(),
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
                quote!(::std::option::Option::Some(#read_value))
            } else {
                read_value
            };
            let entries = if flattened {
                quote!(::std::option::Option::Some(#node))
            } else {
                quote!(#node.child("entry"))
            };
            quote! {
                match #entries {
                    ::std::option::Option::Some(entries) => {
                        let mut map = ::querygen_runtime::IndexMap::new();
                        for #entry in entries.items()? {
                            let #key_node = #entry.child(#key_name).ok_or_else(|| #error::new(#entry.key(), "map entry without a key"))?;
                            let #value_node = #entry.child(#value_name).ok_or_else(|| #error::new(#entry.key(), "map entry without a value"))?;
                            map.insert(#read_key, #read_value);
                        }
                        map
                    }
                    ::std::option::Option::None => ::querygen_runtime::IndexMap::new(),
                }
            }
        }
    }
}

/// `impl S { pub fn write_xml(..) }`: the members as child elements, as the service writes them.
pub fn struct_xml_writer(s: &Struct, skip_message: bool) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = doc_line(
        "Writes this structure's members as child elements (the server side of `read_xml`).",
    );
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
        let field = ident(&f.rust_name);
        let key = member_key(f);
        let write = write_xml_value(
            &f.ty,
            &quote!(#key),
            &format_ident!("value"),
            uses_flattening(f),
            0,
        );
        if f.optional {
            quote!(if let ::std::option::Option::Some(value) = &self.#field { #write })
        } else {
            quote!({ let value = &self.#field; #write })
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #name {
            #doc
            pub fn write_xml(&self, #writer_param: &mut ::querygen_runtime::server::XmlWriter) {
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

/// `impl U { pub fn write_xml(..) }`.
pub fn union_xml_writer(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let doc = doc_line("Writes the set member as a child element.");
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote!(Self::#variant => writer.element(#key, ""),),
            Some(ty) => {
                let write =
                    write_xml_value(ty, &quote!(#key), &format_ident!("value"), v.flattened, 0);
                quote!(Self::#variant(value) => { #write })
            }
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #name {
            #doc
            pub fn write_xml(&self, writer: &mut ::querygen_runtime::server::XmlWriter) {
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
        TypeRef::String => quote!(writer.element(#name, #value);),
        TypeRef::Bool => quote!(writer.boolean(#name, *#value);),
        TypeRef::Byte | TypeRef::Short | TypeRef::Integer => {
            quote!(writer.integer(#name, i64::from(*#value));)
        }
        TypeRef::Long => quote!(writer.integer(#name, *#value);),
        TypeRef::Float => quote!(writer.float(#name, *#value);),
        TypeRef::Double => quote!(writer.double(#name, *#value);),
        TypeRef::BigInteger | TypeRef::BigDecimal => {
            quote!(writer.element(#name, #value.as_str());)
        }
        TypeRef::Blob => quote!(writer.blob(#name, #value);),
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(writer.timestamp(#name, #value, #format);)
        }
        TypeRef::Document => TokenStream::new(),
        TypeRef::Named(named) => match named.kind {
            NamedKind::Enum => quote!(writer.element(#name, #value.as_str());),
            NamedKind::IntEnum => quote!(writer.integer(#name, i64::from(#value.value()));),
            NamedKind::Struct | NamedKind::Union => quote! {
                writer.start(#name, ::std::option::Option::None);
                #value.write_xml(writer);
                writer.end(#name);
            },
        },
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
                quote!(if let ::std::option::Option::Some(#item) = #item { #write })
            } else {
                write
            };
            let body = quote!(for #item in #value.iter() { #write });
            if flattened {
                body
            } else {
                quote! {
                    writer.start(#name, ::std::option::Option::None);
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
                quote!(if let ::std::option::Option::Some(#entry) = #entry { #write_value })
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
                    writer.start(#entry_element, ::std::option::Option::None);
                    #write_key
                    #write_value
                    writer.end(#entry_element);
                }
            };
            if flattened {
                body
            } else {
                quote! {
                    writer.start(#name, ::std::option::Option::None);
                    #body
                    writer.end(#name);
                }
            }
        }
    }
}

/// `impl E { pub fn write_error_response(..) }`: the `<ErrorResponse>` document for this error.
pub fn error_response_writer(s: &Struct, namespace: Option<&str>) -> TokenStream {
    let name = ident(&s.rust_name);
    let StructRole::Error(info) = &s.role else {
        return TokenStream::new();
    };
    let fault = match info.fault {
        ErrorFault::Client => "Sender",
        ErrorFault::Server => "Receiver",
    };
    let doc = doc_line("The `<ErrorResponse>` document the service answers this error with (status `HTTP_STATUS`).");
    let ns = match namespace {
        Some(ns) => quote!(::std::option::Option::Some(#ns)),
        None => quote!(::std::option::Option::None),
    };
    let message = s.fields.iter().find(|f| is_message(s, f)).map(|f| {
        let field = ident(&f.rust_name);
        if f.optional {
            quote!(if let ::std::option::Option::Some(message) = &self.#field { writer.element("Message", message); })
        } else {
            quote!(writer.element("Message", &self.#field);)
        }
    });
    quote! {
        #[cfg(feature = "server")]
        impl #name {
            #doc
            pub fn write_error_response(&self, request_id: &str) -> ::std::string::String {
                let mut writer = ::querygen_runtime::server::XmlWriter::new();
                writer.start("ErrorResponse", #ns);
                writer.start("Error", ::std::option::Option::None);
                writer.element("Type", #fault);
                writer.element("Code", Self::CODE);
                #message
                self.write_xml(&mut writer);
                writer.end("Error");
                writer.element("RequestId", request_id);
                writer.end("ErrorResponse");
                writer.finish()
            }
        }
    }
}

/// The operation's server-side functions.
pub fn operation_server(op: &Operation, version: &str, namespace: Option<&str>) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let action = &op.wire_name;
    let response = format!("{action}Response");
    let result = format!("{action}Result");
    let ns = match namespace {
        Some(ns) => quote!(::std::option::Option::Some(#ns)),
        None => quote!(::std::option::Option::None),
    };
    let parse_doc = doc_line(&format!("Server side: parses the request body of `{action}` (checking `Action` and `Version`) into the input."));
    let write_doc = doc_line(&format!(
        "Server side: the `<{response}>` document for `output`."
    ));
    quote! {
        #parse_doc
        #[cfg(feature = "server")]
        pub fn deserialize_request(body: &[u8]) -> ::std::result::Result<#input, ::querygen_runtime::server::QueryError> {
            let tree = ::querygen_runtime::server::QueryTree::parse(body)?;
            tree.expect_action(#action, #version)?;
            #input::read_query(&tree)
        }

        #write_doc
        #[cfg(feature = "server")]
        pub fn serialize_response(output: &#output, request_id: &str) -> ::std::string::String {
            let mut writer = ::querygen_runtime::server::XmlWriter::new();
            writer.start(#response, #ns);
            writer.start(#result, ::std::option::Option::None);
            output.write_xml(&mut writer);
            writer.end(#result);
            writer.response_metadata(request_id);
            writer.end(#response);
            writer.finish()
        }
    }
}
