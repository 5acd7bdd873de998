//! awsQuery request serializers: `write_query` on every structure and union
//! an operation input can reach, and one `serialize_query_body` per operation.
//!
//! Key rules (Smithy awsQuery): a member's key is its `xmlName` or its name;
//! list items are `Key.member.N` (or `Key.<list member xmlName>.N`), flattened
//! lists drop that segment; maps are `Key.entry.N.key`/`.value` (renamable);
//! an empty list is `Key=`, an empty map writes nothing; indices are 1-based.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::structure::{field_init, slot};
use super::{doc_line, ident};
use crate::ir::{Field, HostPrefixPart, NamedKind, NamedRef, Operation, Struct, TypeRef, Union};
use crate::traits::TimestampFormat;

fn writer_type() -> TokenStream {
    quote!(::querygen_runtime::query::QueryWriter)
}

/// `impl S { pub fn write_query(..) }`.
pub fn struct_writer(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let writer = writer_type();
    let doc = doc_line("Writes this value's awsQuery pairs under the writer's current key.");
    if s.fields.is_empty() {
        return quote! {
            impl #name {
                #doc
                pub fn write_query(&self, _writer: &mut #writer) {}
            }
        };
    }
    let members = s.fields.iter().map(field_writer);
    quote! {
        impl #name {
            #doc
            pub fn write_query(&self, writer: &mut #writer) {
                let mark = writer.mark();
                #(#members)*
            }
        }
    }
}

/// Whether a member's list or map is flattened (on the member, or on the shape in legacy models).
pub(crate) fn uses_flattening(f: &Field) -> bool {
    f.flattened
        || matches!(&f.ty, TypeRef::List(l) if l.flattened)
        || matches!(&f.ty, TypeRef::Map(m) if m.flattened)
}

/// The key (or element name) a member is written under.
pub(crate) fn member_key(f: &Field) -> String {
    match &f.ty {
        // Legacy (botocore) models flatten on the list shape: the list member's name wins there.
        TypeRef::List(list) if list.flattened && !f.flattened => list
            .item_xml_name
            .clone()
            .or_else(|| f.xml_name.clone())
            .unwrap_or_else(|| f.wire_name.clone()),
        _ => f.xml_name.clone().unwrap_or_else(|| f.wire_name.clone()),
    }
}

fn field_writer(f: &Field) -> TokenStream {
    let field = ident(&f.rust_name);
    let key = member_key(f);
    let flattened = uses_flattening(f);
    let value = format_ident!("value");
    let write = value_writer(&f.ty, &value, flattened, 0);
    if f.optional {
        quote! {
            if let ::std::option::Option::Some(value) = &self.#field {
                writer.push(#key);
                #write
                writer.truncate(mark);
            }
        }
    } else {
        quote! {
            {
                let value = &self.#field;
                writer.push(#key);
                #write
                writer.truncate(mark);
            }
        }
    }
}

pub(crate) fn timestamp_format(format: Option<TimestampFormat>) -> TokenStream {
    match format.unwrap_or(TimestampFormat::DateTime) {
        TimestampFormat::DateTime => quote!(::querygen_runtime::query::TimestampFormat::DateTime),
        TimestampFormat::EpochSeconds => {
            quote!(::querygen_runtime::query::TimestampFormat::EpochSeconds)
        }
        TimestampFormat::HttpDate => quote!(::querygen_runtime::query::TimestampFormat::HttpDate),
    }
}

/// Code writing `value` (a reference to a value of type `ty`) at the writer's current key.
fn value_writer(ty: &TypeRef, value: &Ident, flattened: bool, depth: usize) -> TokenStream {
    match ty {
        TypeRef::String => quote!(writer.string(#value);),
        TypeRef::Bool => quote!(writer.boolean(*#value);),
        TypeRef::Byte | TypeRef::Short | TypeRef::Integer => {
            quote!(writer.integer(i64::from(*#value));)
        }
        TypeRef::Long => quote!(writer.integer(*#value);),
        TypeRef::Float => quote!(writer.float(*#value);),
        TypeRef::Double => quote!(writer.double(*#value);),
        TypeRef::BigInteger | TypeRef::BigDecimal => quote!(writer.string(#value.as_str());),
        TypeRef::Blob => quote!(writer.blob(#value);),
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(writer.timestamp(#value, #format);)
        }
        // awsQuery has no document encoding; lowering rejects documents in awsQuery inputs.
        TypeRef::Document => TokenStream::new(),
        TypeRef::Named(named) => match named.kind {
            NamedKind::Enum => quote!(writer.string(#value.as_str());),
            NamedKind::IntEnum => quote!(writer.integer(i64::from(#value.value()));),
            NamedKind::Struct | NamedKind::Union => quote!(#value.write_query(writer);),
        },
        TypeRef::List(list) => {
            let item = format_ident!("item{}", depth);
            let items_mark = format_ident!("items_mark{}", depth);
            let segment = (!flattened).then(|| {
                let name = list.item_xml_name.as_deref().unwrap_or("member");
                quote!(writer.push(#name);)
            });
            let write_item = if list.sparse {
                let inner = format_ident!("present{}", depth);
                let write = value_writer(&list.item, &inner, false, depth + 1);
                quote! {
                    match #item {
                        ::std::option::Option::Some(#inner) => { #write }
                        ::std::option::Option::None => writer.empty(),
                    }
                }
            } else {
                value_writer(&list.item, &item, false, depth + 1)
            };
            let index = format_ident!("index{}", depth);
            quote! {
                if #value.is_empty() {
                    writer.empty();
                } else {
                    #segment
                    let #items_mark = writer.mark();
                    for (#index, #item) in #value.iter().enumerate() {
                        writer.push_index(#index + 1);
                        #write_item
                        writer.truncate(#items_mark);
                    }
                }
            }
        }
        TypeRef::Map(map) => {
            let key = format_ident!("key{}", depth);
            let entry = format_ident!("entry{}", depth);
            let entries_mark = format_ident!("entries_mark{}", depth);
            let entry_mark = format_ident!("entry_mark{}", depth);
            let index = format_ident!("index{}", depth);
            let segment = (!flattened).then(|| quote!(writer.push("entry");));
            let key_name = map.key_xml_name.as_deref().unwrap_or("key");
            let value_name = map.value_xml_name.as_deref().unwrap_or("value");
            let write_key = value_writer(&map.key, &key, false, depth + 1);
            let write_value = if map.sparse {
                let inner = format_ident!("present{}", depth);
                let write = value_writer(&map.value, &inner, false, depth + 1);
                quote! {
                    match #entry {
                        ::std::option::Option::Some(#inner) => { #write }
                        ::std::option::Option::None => writer.empty(),
                    }
                }
            } else {
                value_writer(&map.value, &entry, false, depth + 1)
            };
            quote! {
                if !#value.is_empty() {
                    #segment
                    let #entries_mark = writer.mark();
                    for (#index, (#key, #entry)) in #value.iter().enumerate() {
                        writer.push_index(#index + 1);
                        let #entry_mark = writer.mark();
                        writer.push(#key_name);
                        #write_key
                        writer.truncate(#entry_mark);
                        writer.push(#value_name);
                        #write_value
                        writer.truncate(#entries_mark);
                    }
                }
            }
        }
    }
}

/// `impl U { pub fn write_query(..) }`: the set member's pairs.
pub fn union_writer(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let writer = writer_type();
    let doc = doc_line("Writes the set member's awsQuery pairs under the writer's current key.");
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote!(Self::#variant => {
                writer.push(#key);
                writer.empty();
                writer.truncate(mark);
            }),
            Some(ty) => {
                let value = format_ident!("value");
                let write = value_writer(ty, &value, v.flattened, 0);
                quote!(Self::#variant(value) => {
                    writer.push(#key);
                    #write
                    writer.truncate(mark);
                })
            }
        }
    });
    quote! {
        impl #name {
            #doc
            pub fn write_query(&self, writer: &mut #writer) {
                let mark = writer.mark();
                match self {
                    #(#arms)*
                    Self::Unknown => {}
                }
            }
        }
    }
}

/// `fill_idempotency_tokens` on an input with `@idempotencyToken` members (nothing otherwise).
pub fn idempotency_filler(input: &Struct) -> TokenStream {
    let tokens: Vec<&Field> = input
        .fields
        .iter()
        .filter(|f| f.idempotency_token && f.ty == TypeRef::String)
        .collect();
    if tokens.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&input.rust_name);
    let members: Vec<String> = tokens
        .iter()
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    let doc = doc_line(&format!(
        "Sets each idempotency token member ({}) that is unset to `token()`; clients pass a UUID v4 source.",
        members.join(", ")
    ));
    let fills = tokens.iter().map(|f| {
        let field = ident(&f.rust_name);
        quote! {
            if self.#field.is_none() {
                self.#field = ::std::option::Option::Some(token());
            }
        }
    });
    quote! {
        impl #name {
            #doc
            pub fn fill_idempotency_tokens(&mut self, mut token: impl ::std::ops::FnMut() -> ::std::string::String) {
                #(#fills)*
            }
        }
    }
}

/// The operation's body serializer.
pub fn operation_serializer(op: &Operation, version: &str) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let action = &op.wire_name;
    let writer = writer_type();
    let doc = doc_line(&format!(
        "Serializes the input as the awsQuery request body: `Action={action}&Version={version}` then the members, form-urlencoded."
    ));
    quote! {
        #doc
        pub fn serialize_query_body(input: &#input) -> ::std::string::String {
            let mut writer = #writer::new(#action, #version);
            input.write_query(&mut writer);
            writer.finish()
        }
    }
}

// ---------------------------------------------------------------------------
// Response side: `read_xml` on structures and unions, per-operation parsers.

fn reader_types() -> (TokenStream, TokenStream, TokenStream) {
    (
        quote!(::querygen_runtime::xml::XmlReader<'_>),
        quote!(::querygen_runtime::xml::Node),
        quote!(::querygen_runtime::xml::XmlError),
    )
}

/// `impl S { pub fn read_xml(..) }`: reads the members from the children of `node`.
pub fn struct_reader(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let (reader_ty, node_ty, error_ty) = reader_types();
    let doc = doc_line(
        "Reads this structure from the child elements of `node`; unknown elements are skipped.",
    );
    let slots = s.fields.iter().map(|f| {
        let slot = slot(f);
        let ty = super::rust_type(&f.ty);
        quote!(let mut #slot: ::std::option::Option<#ty> = ::std::option::Option::None;)
    });
    let arms = s.fields.iter().map(|f| {
        let slot = slot(f);
        let key = member_key(f);
        let flattened = uses_flattening(f);
        let child = format_ident!("child");
        // Each arm is a `Result<(), XmlError>`, checked once after the match.
        let step = match (&f.ty, flattened) {
            (TypeRef::List(list), true) => match item_reader(&list.item, list.sparse) {
                Some(read) => quote!(reader.push_into(&child, &mut #slot, #read)),
                None => {
                    let item = read_item(&list.item, list.sparse, &child, 0);
                    quote!({
                        #slot.get_or_insert_with(::std::vec::Vec::new).push(#item);
                        ::std::result::Result::Ok(())
                    })
                }
            },
            (TypeRef::Map(map), true) => {
                let entry = read_map_entry(map, &child, 0);
                quote!({
                    let (key, value) = #entry;
                    #slot.get_or_insert_with(::std::default::Default::default).insert(key, value);
                    ::std::result::Result::Ok(())
                })
            }
            _ => read_into_slot(&f.ty, &child, &slot),
        };
        quote!(#key => #step,)
    });
    // Built directly rather than through the by-value builder, which would move the
    // whole builder once per member: measurable on large responses.
    let missing: Vec<&Field> = s.required_fields().filter(|f| !f.optional).collect();
    let type_name = &s.rust_name;
    let check_missing = missing.iter().map(|f| {
        let slot = slot(f);
        let name = crate::naming::unraw(&f.rust_name);
        quote! {
            let ::std::option::Option::Some(#slot) = #slot else {
                let missing = ::querygen_runtime::BuildError::missing_members(#type_name, ::std::vec![#name]);
                return ::std::result::Result::Err(reader.fail(::querygen_runtime::xml::XmlErrorKind::Missing { detail: missing.to_string() }));
            };
        }
    });
    // Required members without a default were unwrapped into their slots just above.
    let inits = s.fields.iter().map(|f| {
        let slot = slot(f);
        field_init(f, quote!(#slot))
    });
    let build = quote! {
        #(#check_missing)*
        ::std::result::Result::Ok(Self { #(#inits)* })
    };
    let body = if s.fields.is_empty() {
        quote! {
            reader.skip(node)?;
            #build
        }
    } else {
        quote! {
            #(#slots)*
            while let ::std::option::Option::Some(child) = reader.next_child(node)? {
                match reader.name() {
                    #(#arms)*
                    _ => reader.skip(&child),
                }?;
            }
            #build
        }
    };
    quote! {
        impl #name {
            #doc
            pub fn read_xml(reader: &mut #reader_ty, node: &#node_ty) -> ::std::result::Result<Self, #error_ty> {
                #body
            }
        }
    }
}

/// `impl U { pub fn read_xml(..) }`: the first known member element sets the variant.
pub fn union_reader(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let (reader_ty, node_ty, error_ty) = reader_types();
    let doc = doc_line(
        "Reads this union from the child elements of `node`: the first known member wins.",
    );
    let child = format_ident!("child");
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote!(#key => { reader.skip(&child)?; Self::#variant }),
            Some(ty) => {
                let value = read_value(ty, &child, 0);
                let value = if v.boxed {
                    quote!(::std::boxed::Box::new(#value))
                } else {
                    value
                };
                quote!(#key => Self::#variant(#value),)
            }
        }
    });
    quote! {
        impl #name {
            #doc
            pub fn read_xml(reader: &mut #reader_ty, node: &#node_ty) -> ::std::result::Result<Self, #error_ty> {
                let mut value = ::std::option::Option::None;
                while let ::std::option::Option::Some(child) = reader.next_child(node)? {
                    if value.is_some() {
                        reader.skip(&child)?;
                        continue;
                    }
                    value = ::std::option::Option::Some(match reader.name() {
                        #(#arms)*
                        _ => {
                            reader.skip(&child)?;
                            Self::Unknown
                        }
                    });
                }
                ::std::result::Result::Ok(value.unwrap_or(Self::Unknown))
            }
        }
    }
}

/// A `Result<(), XmlError>` expression reading element `node` into `slot`: a call
/// to one of the reader's `*_into` methods, so that each member costs a call
/// rather than its own copy of the read and its error path.
fn read_into_slot(ty: &TypeRef, node: &Ident, slot: &Ident) -> TokenStream {
    let parsed = |rust: TokenStream, expected: &str| quote!(reader.read_parsed_into::<#rust>(&#node, #expected, &mut #slot));
    match ty {
        TypeRef::String => quote!(reader.read_string_into(&#node, &mut #slot)),
        TypeRef::Bool => parsed(quote!(bool), "a boolean"),
        TypeRef::Byte => parsed(quote!(i8), "an 8-bit integer"),
        TypeRef::Short => parsed(quote!(i16), "a 16-bit integer"),
        TypeRef::Integer => parsed(quote!(i32), "a 32-bit integer"),
        TypeRef::Long => parsed(quote!(i64), "a 64-bit integer"),
        TypeRef::Float => parsed(quote!(f32), "a float"),
        TypeRef::Double => parsed(quote!(f64), "a double"),
        TypeRef::BigInteger => parsed(quote!(::querygen_runtime::BigInteger), "an integer"),
        TypeRef::BigDecimal => parsed(quote!(::querygen_runtime::BigDecimal), "a decimal"),
        TypeRef::Blob => quote!(reader.read_blob_into(&#node, &mut #slot)),
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(reader.read_timestamp_into(&#node, #format, &mut #slot))
        }
        TypeRef::Named(named) => {
            let path = super::named_path(named);
            match named.kind {
                NamedKind::Enum => quote!(reader.read_enum_into(&#node, &mut #slot)),
                NamedKind::IntEnum => quote!(reader.read_int_enum_into(&#node, &mut #slot)),
                NamedKind::Struct | NamedKind::Union => {
                    quote!(reader.read_into(&#node, &mut #slot, #path::read_xml))
                }
            }
        }
        TypeRef::List(list) => match item_reader(&list.item, list.sparse) {
            Some(read) => {
                let item_name = list.item_xml_name.as_deref().unwrap_or("member");
                quote!(reader.read_list_into(&#node, #item_name, &mut #slot, #read))
            }
            None => inline_into_slot(ty, node, slot),
        },
        TypeRef::Document | TypeRef::Map(_) => inline_into_slot(ty, node, slot),
    }
}

/// The general form of [`read_into_slot`]: the value read in place.
fn inline_into_slot(ty: &TypeRef, node: &Ident, slot: &Ident) -> TokenStream {
    let value = read_value(ty, node, 0);
    quote!({
        #slot = ::std::option::Option::Some(#value);
        ::std::result::Result::Ok(())
    })
}

/// A function reading one list item of type `ty`, for the reader's list
/// methods; `None` for items read in place (sparse lists, nested lists and
/// maps, scalars other than strings).
fn item_reader(ty: &TypeRef, sparse: bool) -> Option<TokenStream> {
    if sparse {
        return None;
    }
    match ty {
        TypeRef::String => Some(quote!(::querygen_runtime::xml::XmlReader::read_string)),
        TypeRef::Named(named) => {
            let path = super::named_path(named);
            match named.kind {
                NamedKind::Enum => {
                    Some(quote!(::querygen_runtime::xml::XmlReader::read_enum::<#path>))
                }
                NamedKind::Struct | NamedKind::Union => Some(quote!(#path::read_xml)),
                NamedKind::IntEnum => None,
            }
        }
        _ => None,
    }
}

/// An expression reading a value of type `ty` from element `node` (consuming it).
fn read_value(ty: &TypeRef, node: &Ident, depth: usize) -> TokenStream {
    match ty {
        TypeRef::String => quote!(reader.read_string(&#node)?),
        TypeRef::Bool => quote!(reader.read_parsed::<bool>(&#node, "a boolean")?),
        TypeRef::Byte => quote!(reader.read_parsed::<i8>(&#node, "an 8-bit integer")?),
        TypeRef::Short => quote!(reader.read_parsed::<i16>(&#node, "a 16-bit integer")?),
        TypeRef::Integer => quote!(reader.read_parsed::<i32>(&#node, "a 32-bit integer")?),
        TypeRef::Long => quote!(reader.read_parsed::<i64>(&#node, "a 64-bit integer")?),
        TypeRef::Float => quote!(reader.read_parsed::<f32>(&#node, "a float")?),
        TypeRef::Double => quote!(reader.read_parsed::<f64>(&#node, "a double")?),
        TypeRef::BigInteger => {
            quote!(reader.read_parsed::<::querygen_runtime::BigInteger>(&#node, "an integer")?)
        }
        TypeRef::BigDecimal => {
            quote!(reader.read_parsed::<::querygen_runtime::BigDecimal>(&#node, "a decimal")?)
        }
        TypeRef::Blob => quote!(reader.read_blob(&#node)?),
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(reader.read_timestamp(&#node, #format)?)
        }
        // Rejected for awsQuery services when lowering.
        TypeRef::Document => quote!({
            reader.skip(&#node)?;
            ::querygen_runtime::Document::Null
        }),
        TypeRef::Named(named) => {
            let path = super::named_path(named);
            match named.kind {
                NamedKind::Enum => quote!(#path::from(reader.text(&#node)?.as_ref())),
                NamedKind::IntEnum => {
                    quote!(#path::from(reader.read_parsed::<i32>(&#node, "a 32-bit integer")?))
                }
                NamedKind::Struct | NamedKind::Union => quote!(#path::read_xml(reader, &#node)?),
            }
        }
        TypeRef::List(list) => {
            let item_node = format_ident!("item{}", depth);
            let items = format_ident!("items{}", depth);
            let item_name = list.item_xml_name.as_deref().unwrap_or("member");
            let item = read_item(&list.item, list.sparse, &item_node, depth + 1);
            quote!({
                let mut #items = ::std::vec::Vec::new();
                while let ::std::option::Option::Some(#item_node) = reader.next_child(&#node)? {
                    if reader.name() == #item_name {
                        #items.push(#item);
                    } else {
                        reader.skip(&#item_node)?;
                    }
                }
                #items
            })
        }
        TypeRef::Map(map) => {
            let entry_node = format_ident!("entry{}", depth);
            let entries = format_ident!("entries{}", depth);
            let entry = read_map_entry(map, &entry_node, depth + 1);
            quote!({
                let mut #entries = ::querygen_runtime::IndexMap::new();
                while let ::std::option::Option::Some(#entry_node) = reader.next_child(&#node)? {
                    if reader.name() == "entry" {
                        let (key, value) = #entry;
                        #entries.insert(key, value);
                    } else {
                        reader.skip(&#entry_node)?;
                    }
                }
                #entries
            })
        }
    }
}

fn read_item(ty: &TypeRef, sparse: bool, node: &Ident, depth: usize) -> TokenStream {
    let value = read_value(ty, node, depth);
    if sparse {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}

/// An expression reading one map entry element (`<key>`/`<value>` children) into `(key, value)`.
fn read_map_entry(map: &crate::ir::Map, node: &Ident, depth: usize) -> TokenStream {
    let part = format_ident!("part{}", depth);
    let key_name = map.key_xml_name.as_deref().unwrap_or("key");
    let value_name = map.value_xml_name.as_deref().unwrap_or("value");
    let read_key = read_value(&map.key, &part, depth + 1);
    let read_val = read_item(&map.value, map.sparse, &part, depth + 1);
    quote!({
        let mut key = ::std::option::Option::None;
        let mut value = ::std::option::Option::None;
        while let ::std::option::Option::Some(#part) = reader.next_child(&#node)? {
            match reader.name() {
                #key_name => key = ::std::option::Option::Some(#read_key),
                #value_name => value = ::std::option::Option::Some(#read_val),
                _ => reader.skip(&#part)?,
            }
        }
        match (key, value) {
            (::std::option::Option::Some(key), ::std::option::Option::Some(value)) => (key, value),
            _ => {
                return ::std::result::Result::Err(reader.fail(::querygen_runtime::xml::XmlErrorKind::Missing {
                    detail: ::std::string::String::from("a map entry without a key or a value"),
                }))
            }
        }
    })
}

/// `deserialize_response`: a 2xx body into the output and the request id.
pub fn response_parser(op: &Operation) -> TokenStream {
    let output = ident(&op.output.rust_name);
    let action = &op.wire_name;
    let doc = doc_line(&format!(
        "Parses a successful (2xx) `{action}` response: `<{action}Response><{action}Result>` into the output, and the request id."
    ));
    let ret = quote!(::std::result::Result<::querygen_runtime::query::QueryResponse<#output>, ::querygen_runtime::xml::XmlError>);
    if op.output.fields.is_empty() {
        // Nothing to read: the body may be empty or hold only ResponseMetadata.
        return quote! {
            #doc
            pub fn deserialize_response(body: &[u8]) -> #ret {
                let request_id = if body.iter().all(u8::is_ascii_whitespace) {
                    ::std::option::Option::None
                } else {
                    ::querygen_runtime::query::ResponseDocument::open(body, #action)?.finish()?
                };
                ::std::result::Result::Ok(::querygen_runtime::query::QueryResponse { output: #output::builder().build(), request_id })
            }
        };
    }
    let empty = if op.output.required_fields().next().is_none() {
        quote!(#output::builder().build())
    } else {
        quote!(#output::builder().build().map_err(|missing| {
            ::querygen_runtime::xml::XmlError::new(
                ::querygen_runtime::xml::XmlErrorKind::Missing { detail: missing.to_string() },
                0,
            )
        })?)
    };
    quote! {
        #doc
        pub fn deserialize_response(body: &[u8]) -> #ret {
            let mut document = ::querygen_runtime::query::ResponseDocument::open(body, #action)?;
            let output = match document.result()? {
                ::std::option::Option::Some(node) => #output::read_xml(document.reader(), &node)?,
                ::std::option::Option::None => #empty,
            };
            let request_id = document.finish()?;
            ::std::result::Result::Ok(::querygen_runtime::query::QueryResponse { output, request_id })
        }
    }
}

/// An error enum (one variant per error plus `Unhandled`) and the function that parses into it.
///
/// `errors` pairs each error with its wire code. When several errors share a code
/// (CloudWatch has two `ResourceNotFound`s), parsing picks the one named like the
/// code, else the first by name; the others keep their variants for callers who
/// build them, and say so in their docs.
///
/// `gates`, when given, holds one `#[cfg]` per error (empty for none), for the
/// service-wide enum of a crate with per-operation features.
pub fn error_enum(
    enum_name: &Ident,
    doc: &str,
    errors: &[(NamedRef, String)],
    gates: Option<&[TokenStream]>,
) -> TokenStream {
    let no_gates = vec![TokenStream::new(); errors.len()];
    let gates: &[TokenStream] = gates.unwrap_or(&no_gates);
    let gate_of = |id: &str| {
        errors
            .iter()
            .position(|(e, _)| e.id == id)
            .and_then(|i| gates.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let doc = doc_line(doc);
    let parsed_by_code = |code: &str| -> Option<&NamedRef> {
        let sharing: Vec<&NamedRef> = errors
            .iter()
            .filter(|(_, c)| c == code)
            .map(|(e, _)| e)
            .collect();
        sharing
            .iter()
            .find(|e| e.rust_name == crate::naming::type_name(code))
            .or(sharing.first())
            .copied()
    };
    let variants = errors.iter().map(|(e, code)| {
        let variant = ident(&e.rust_name);
        let path = super::named_path(e);
        let mut text = format!(
            "The service answered with [`{}`].",
            path.to_string().replace(' ', "")
        );
        if let Some(winner) = parsed_by_code(code).filter(|w| w.id != e.id) {
            text.push_str(&format!(
                " It shares the code `{code}` with `{}`, which parsing yields.",
                winner.rust_name
            ));
        }
        let doc = doc_line(&text);
        let gate = gate_of(&e.id);
        quote!(#doc #gate #variant(#path),)
    });
    // The errors a code can select (one per code).
    let parsed: Vec<&NamedRef> = errors
        .iter()
        .filter(|(e, code)| parsed_by_code(code).is_some_and(|w| w.id == e.id))
        .map(|(e, _)| e)
        .collect();
    let errors: Vec<&NamedRef> = errors.iter().map(|(e, _)| e).collect();
    let names: Vec<Ident> = errors.iter().map(|e| ident(&e.rust_name)).collect();
    let paths: Vec<TokenStream> = errors.iter().map(|e| super::named_path(e)).collect();
    let all_gates: Vec<TokenStream> = errors.iter().map(|e| gate_of(&e.id)).collect();
    let arms = parsed.iter().map(|e| {
        let variant = ident(&e.rust_name);
        let path = super::named_path(e);
        let gate = gate_of(&e.id);
        quote! {
            #gate
            ::std::option::Option::Some(#path::CODE) => #path::read_error_body(body, &envelope).map(Self::#variant),
        }
    });
    let unhandled_doc =
        doc_line("An error the model does not list here, or a body that is not an error document.");
    let parse_doc = doc_line(
        "Parses a non-2xx response: the `Code` picks the variant; anything else is `Unhandled`.",
    );
    let code_doc = doc_line("The error code, if known.");
    let response_doc = doc_line(
        "Server side: the HTTP status and `<ErrorResponse>` body the service answers with.",
    );
    let parse_body = if errors.is_empty() {
        quote!(Self::Unhandled(
            ::querygen_runtime::query::UnhandledError::boxed(
                status,
                body,
                ::querygen_runtime::query::ErrorEnvelope::parse(body)
            )
        ))
    } else {
        quote! {
            let envelope = match ::querygen_runtime::query::ErrorEnvelope::parse(body) {
                ::std::result::Result::Ok(envelope) => envelope,
                ::std::result::Result::Err(problem) => {
                    return Self::Unhandled(::querygen_runtime::query::UnhandledError::boxed(status, body, ::std::result::Result::Err(problem)));
                }
            };
            // One place turns an unreadable modeled error into `Unhandled`.
            let read: ::std::result::Result<Self, ::querygen_runtime::xml::XmlError> = match envelope.code.as_deref() {
                #(#arms)*
                _ => ::std::result::Result::Ok(Self::Unhandled(::querygen_runtime::query::UnhandledError::boxed(status, body, ::std::result::Result::Ok(envelope)))),
            };
            read.unwrap_or_else(|problem| Self::Unhandled(::querygen_runtime::query::UnhandledError::boxed(status, body, ::std::result::Result::Err(problem))))
        }
    };
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #enum_name {
            #(#variants)*
            #unhandled_doc
            Unhandled(::std::boxed::Box<::querygen_runtime::query::UnhandledError>),
        }

        impl #enum_name {
            #parse_doc
            pub fn parse(status: u16, body: &[u8]) -> Self {
                #parse_body
            }

            #code_doc
            pub fn code(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#all_gates Self::#names(_) => ::std::option::Option::Some(#paths::CODE),)*
                    Self::Unhandled(error) => error.code.as_deref(),
                }
            }
        }

        #[cfg(feature = "server")]
        impl #enum_name {
            #response_doc
            pub fn to_response(&self, request_id: &str) -> (u16, ::std::string::String) {
                match self {
                    #(#all_gates Self::#names(error) => (#paths::HTTP_STATUS, error.write_error_response(request_id)),)*
                    Self::Unhandled(error) => (error.status, error.to_response_body(request_id)),
                }
            }
        }

        impl ::querygen_runtime::query::ErrorCode for #enum_name {
            fn code(&self) -> ::std::option::Option<&str> {
                #enum_name::code(self)
            }
        }

        impl ::std::fmt::Display for #enum_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#all_gates Self::#names(error) => ::std::fmt::Display::fmt(error, f),)*
                    Self::Unhandled(error) => ::std::fmt::Display::fmt(error, f),
                }
            }
        }

        impl ::std::error::Error for #enum_name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#all_gates Self::#names(error) => ::std::option::Option::Some(error),)*
                    Self::Unhandled(error) => ::std::option::Option::Some(&**error),
                }
            }
        }
    }
}

/// `impl E { pub fn read_error_body(..) }`: an error shape's members from an error body,
/// its message filled from the envelope's `<Message>` when the shape's own element is absent.
pub fn error_body_reader(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = doc_line("Reads this error from an error body whose envelope was already read.");
    let body = match message_slot(s) {
        Some(field) => quote! {
            let (mut reader, node) = ::querygen_runtime::query::error_element(body)?;
            let mut error = Self::read_xml(&mut reader, &node)?;
            if error.#field.is_none() {
                error.#field = envelope.message.clone();
            }
            ::std::result::Result::Ok(error)
        },
        None => quote! {
            let (mut reader, node) = ::querygen_runtime::query::error_element(body)?;
            Self::read_xml(&mut reader, &node)
        },
    };
    // Without a message member there is nothing to take from the envelope.
    let envelope = if message_slot(s).is_some() {
        quote!(envelope)
    } else {
        quote!(_envelope)
    };
    quote! {
        impl #name {
            #doc
            pub fn read_error_body(
                body: &[u8],
                #envelope: &::querygen_runtime::query::ErrorEnvelope,
            ) -> ::std::result::Result<Self, ::querygen_runtime::xml::XmlError> {
                #body
            }
        }
    }
}

/// The optional string member an error's generic `<Message>` fills when the shape's own element was absent.
fn message_slot(s: &Struct) -> Option<Ident> {
    s.fields
        .iter()
        .find(|f| {
            f.wire_name.eq_ignore_ascii_case("message") && f.ty == TypeRef::String && f.optional
        })
        .map(|f| ident(&f.rust_name))
}

/// `build_request` and `parse_response`: the operation over `http` types, sans IO.
pub fn http_functions(op: &Operation) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let output = ident(&op.output.rust_name);
    let error = ident(&op.error_name);
    let action = &op.wire_name;
    // The host prefix, with each `{label}` filled from its (checked) input member.
    // (the prefix expression, and how to pass it on: borrowed when it is an owned `String`)
    let (prefix, pass) = match &op.host_prefix {
        None => (quote!(::std::option::Option::None), quote!(host_prefix)),
        Some(parts) => {
            // `format` for `format!` (braces escaped); `literal` when there is no label.
            let (mut format, mut literal) = (String::new(), String::new());
            let mut checks = Vec::new();
            let mut args = Vec::new();
            for part in parts {
                match part {
                    HostPrefixPart::Literal(text) => {
                        format.push_str(&text.replace('{', "{{").replace('}', "}}"));
                        literal.push_str(text);
                    }
                    HostPrefixPart::Label {
                        wire_name,
                        rust_name,
                    } => {
                        format.push_str("{}");
                        let name = ident(rust_name);
                        let var = format_ident!("label_{}", crate::naming::unraw(rust_name));
                        checks.push(quote! {
                            let #var = input.#name.as_deref().unwrap_or_default();
                            ::querygen_runtime::http::check_host_label(#wire_name, #var)?;
                        });
                        args.push(var);
                    }
                }
            }
            if args.is_empty() {
                (
                    quote!(::std::option::Option::Some(#literal)),
                    quote!(host_prefix),
                )
            } else {
                let prefix = quote!({
                    #(#checks)*
                    ::std::option::Option::Some(::std::format!(#format, #(#args),*))
                });
                (prefix, quote!(host_prefix.as_deref()))
            }
        }
    };
    let build_doc = doc_line(&format!(
        "Builds the `{action}` HTTP request for `input` against a resolved endpoint URL: `POST`, the endpoint's path, `content-type`, `content-length` and the serialized body. Send it with any HTTP stack."
    ));
    let parse_doc = doc_line(&format!(
        "Reads the HTTP response of `{action}`: a 2xx status into the output (an unreadable body becomes `Unhandled`), anything else into [`{error}`]."
    ));
    quote! {
        #build_doc
        pub fn build_request(
            input: &#input,
            endpoint: &str,
        ) -> ::std::result::Result<::querygen_runtime::http::Request<::std::vec::Vec<u8>>, ::querygen_runtime::http::RequestError> {
            let host_prefix = #prefix;
            ::querygen_runtime::http::query_request(endpoint, #pass, serialize_query_body(input))
        }

        #parse_doc
        pub fn parse_response<B: ::std::convert::AsRef<[u8]>>(
            response: &::querygen_runtime::http::Response<B>,
        ) -> ::std::result::Result<::querygen_runtime::query::QueryResponse<#output>, #error> {
            let status = response.status().as_u16();
            let body = response.body().as_ref();
            if response.status().is_success() {
                deserialize_response(body).map_err(|problem| {
                    #error::Unhandled(::querygen_runtime::query::UnhandledError::boxed(status, body, ::std::result::Result::Err(problem)))
                })
            } else {
                ::std::result::Result::Err(deserialize_error(status, body))
            }
        }
    }
}
