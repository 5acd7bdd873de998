//! awsQuery, client side: `WriteQuery` for every structure and union an
//! operation input can reach, `ReadXml` for what outputs and errors reach,
//! the error enums, and each operation's sans-IO functions.
//!
//! Key rules (Smithy awsQuery): a member's key is its `xmlName` or its name;
//! list items are `Key.member.N` (or `Key.<list member xmlName>.N`), flattened
//! lists drop that segment; maps are `Key.entry.N.key`/`.value` (renamable);
//! an empty list is `Key=`, an empty map writes nothing; indices are 1-based.
//! The runtime's scoped writers (`member`, `list`, `map` and their flattened
//! forms) apply them; what they cannot carry (sparse and nested collections,
//! timestamps in another format, int enums) is written here in place.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rt;
use super::structure::{field_init, slot};
use super::{doc_line, ident};
use crate::ir::{
    ErrorVariant, Field, HostPrefixPart, NamedKind, Operation, Struct, TypeRef, Union,
};
use crate::traits::TimestampFormat;

/// Whether values of `ty` implement the runtime's value traits (`WriteQuery`,
/// `ReadXml` and their server sides) with the protocol's defaults, so that a
/// scoped reader or writer can take them whole.
pub(crate) fn is_plain(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Timestamp(format) => {
            matches!(format, None | Some(TimestampFormat::DateTime))
        }
        TypeRef::Named(named) => named.kind != NamedKind::IntEnum,
        TypeRef::Document | TypeRef::List(_) | TypeRef::Map(_) => false,
        _ => true,
    }
}

/// How a scoped reader or writer takes a collection member whole: its
/// runtime method and the item (or key and value) names it needs.
pub(crate) enum Collection<'a> {
    /// A plain value.
    Value,
    /// A wrapped list of plain items, named `item`.
    List { item: &'a str },
    /// A flattened list of plain items.
    FlatList,
    /// A map of plain keys and values (wrapped in `entry` unless `flat`).
    Map {
        key: &'a str,
        value: &'a str,
        flat: bool,
    },
}

/// How `ty` is taken whole, or `None` when it is written or read in place.
pub(crate) fn collection(ty: &TypeRef, flattened: bool) -> Option<Collection<'_>> {
    match ty {
        TypeRef::List(list) if !list.sparse && is_plain(&list.item) => Some(if flattened {
            Collection::FlatList
        } else {
            Collection::List {
                item: list.item_xml_name.as_deref().unwrap_or("member"),
            }
        }),
        TypeRef::Map(map) if !map.sparse && is_plain(&map.key) && is_plain(&map.value) => {
            Some(Collection::Map {
                key: map.key_xml_name.as_deref().unwrap_or("key"),
                value: map.value_xml_name.as_deref().unwrap_or("value"),
                flat: flattened,
            })
        }
        ty if is_plain(ty) => Some(Collection::Value),
        _ => None,
    }
}

/// A member's value as the scoped writers take it: `Option<&T>`, a slice
/// for lists.
pub(crate) fn borrowed(f: &Field) -> TokenStream {
    let field = ident(&f.rust_name);
    let list = matches!(f.ty, TypeRef::List(_));
    match (f.optional, f.boxed || list) {
        (true, true) => quote!(self.#field.as_deref()),
        (true, false) => quote!(self.#field.as_ref()),
        (false, _) if list => quote!(Some(self.#field.as_slice())),
        (false, true) => quote!(Some(&*self.#field)),
        (false, false) => quote!(Some(&self.#field)),
    }
}

// ---------------------------------------------------------------------------
// Request side.

/// `impl WriteQuery for S`: each set member under its key.
pub fn struct_writer(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let (trait_path, writer) = (rt::query::write_query(), rt::query::writer());
    let param = if s.fields.is_empty() {
        quote!(_writer)
    } else {
        quote!(writer)
    };
    let members = s.fields.iter().map(field_writer);
    quote! {
        impl #trait_path for #name {
            fn write_query(&self, #param: &mut #writer) {
                #(#members)*
            }
        }
    }
}

fn field_writer(f: &Field) -> TokenStream {
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
            let write = value_writer(&f.ty, &format_ident!("value"), flattened, 0);
            quote! {
                if let Some(value) = #value {
                    let mark = writer.mark();
                    writer.push(#key);
                    #write
                    writer.truncate(mark);
                }
            }
        }
    }
}

pub(crate) fn timestamp_format(format: Option<TimestampFormat>) -> TokenStream {
    let path = rt::root::timestamp_format();
    match format.unwrap_or(TimestampFormat::DateTime) {
        TimestampFormat::DateTime => quote!(#path::DateTime),
        TimestampFormat::EpochSeconds => quote!(#path::EpochSeconds),
        TimestampFormat::HttpDate => quote!(#path::HttpDate),
    }
}

/// Code writing `value` (a reference to a value of type `ty`) at the writer's
/// current key, for what the scoped writers cannot take whole.
fn value_writer(ty: &TypeRef, value: &Ident, flattened: bool, depth: usize) -> TokenStream {
    match ty {
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(writer.timestamp(#value, #format);)
        }
        // awsQuery has no document encoding; lowering rejects documents in awsQuery inputs.
        TypeRef::Document => TokenStream::new(),
        TypeRef::Named(named) if named.kind == NamedKind::IntEnum => {
            quote!(writer.integer(i64::from(#value.value()));)
        }
        ty if is_plain(ty) => {
            let trait_path = rt::query::write_query();
            quote!(#trait_path::write_query(#value, writer);)
        }
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
                        Some(#inner) => { #write }
                        None => writer.empty(),
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
                        Some(#inner) => { #write }
                        None => writer.empty(),
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
        // Every other type is plain (handled above).
        _ => TokenStream::new(),
    }
}

/// `impl WriteQuery for U`: the set member's pairs.
pub fn union_writer(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let (trait_path, writer) = (rt::query::write_query(), rt::query::writer());
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            // A unit member is written as an empty value: `Key=`.
            None => quote!(Self::#variant => writer.member(#key, Some("")),),
            Some(ty) => {
                let value = format_ident!("value");
                let write = value_writer(ty, &value, v.flattened, 0);
                let value = if v.boxed {
                    quote!(&**value)
                } else {
                    quote!(value)
                };
                quote!(Self::#variant(value) => {
                    let value = #value;
                    let mark = writer.mark();
                    writer.push(#key);
                    #write
                    writer.truncate(mark);
                })
            }
        }
    });
    quote! {
        impl #trait_path for #name {
            fn write_query(&self, writer: &mut #writer) {
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
                self.#field = Some(token());
            }
        }
    });
    quote! {
        impl #name {
            #doc
            pub fn fill_idempotency_tokens(&mut self, mut token: impl ::std::ops::FnMut() -> String) {
                #(#fills)*
            }
        }
    }
}

/// The operation's body serializer.
pub fn operation_serializer(op: &Operation, version: &str) -> TokenStream {
    let input = ident(&op.input.rust_name);
    let action = &op.wire_name;
    let writer = rt::query::writer();
    let doc = doc_line(&format!(
        "Serializes the input as the awsQuery request body: `Action={action}&Version={version}` then the members, form-urlencoded."
    ));
    quote! {
        #doc
        pub fn serialize_query_body(input: &#input) -> String {
            #writer::body(#action, #version, input)
        }
    }
}

// ---------------------------------------------------------------------------
// Response side.

/// The end of a reader that collected the members into the builder `out`:
/// required members without a default must be there (`missing` makes the
/// error from a `BuildError`), then the structure is assembled. A builder
/// whose `build()` cannot fail is that assembly already.
pub(crate) fn finish_from_builder(s: &Struct, missing: TokenStream) -> TokenStream {
    if s.required_fields().next().is_none() {
        return quote!(Ok(out.build()));
    }
    let build_error = rt::root::build_error();
    let type_name = &s.rust_name;
    let checks = s.required_fields().filter(|f| !f.optional).map(|f| {
        let slot = slot(f);
        let field = ident(&f.rust_name);
        let name = crate::naming::unraw(&f.rust_name);
        quote! {
            let Some(#slot) = out.#field else {
                let problem = #build_error::missing_members(#type_name, ::std::vec![#name]);
                return Err(#missing);
            };
        }
    });
    // Required members without a default were unwrapped into their slots just above.
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        if f.unwrapped() {
            let slot = slot(f);
            field_init(f, quote!(#slot))
        } else {
            field_init(f, quote!(out.#field))
        }
    });
    quote! {
        #(#checks)*
        Ok(Self { #(#inits)* })
    }
}

/// `impl ReadXml for S`: the members from the children of `node`, into the
/// builder, then the structure.
pub fn struct_reader(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let trait_path = rt::xml::read_xml();
    let (reader_ty, node_ty, error_ty) = (rt::xml::reader(), rt::xml::node(), rt::xml::error());
    if s.fields.is_empty() {
        return quote! {
            impl #trait_path for #name {
                fn read_xml(reader: &mut #reader_ty, node: &#node_ty) -> Result<Self, #error_ty> {
                    reader.skip(node)?;
                    Ok(Self {})
                }
            }
        };
    }
    // A structure of one plain member (most errors: their message) needs no
    // builder and no loop of its own.
    if let [f] = &s.fields[..] {
        if !f.unwrapped() && matches!(collection(&f.ty, f.wire_flattened), Some(Collection::Value))
        {
            let key = f.wire_key.as_str();
            let init = super::structure::field_init(f, quote!(reader.only_member(node, #key)?));
            return quote! {
                impl #trait_path for #name {
                    fn read_xml(reader: &mut #reader_ty, node: &#node_ty) -> Result<Self, #error_ty> {
                        Ok(Self { #init })
                    }
                }
            };
        }
    }
    let arms = s.fields.iter().map(|f| {
        let key = f.wire_key.as_str();
        let step = read_member(f);
        quote!(#key => #step,)
    });
    let finish = finish_from_builder(s, quote!(reader.missing(problem)));
    quote! {
        impl #trait_path for #name {
            fn read_xml(reader: &mut #reader_ty, node: &#node_ty) -> Result<Self, #error_ty> {
                let mut out = Self::builder();
                while let Some(child) = reader.next_child(node)? {
                    match reader.name() {
                        #(#arms)*
                        _ => reader.skip(&child),
                    }?;
                }
                #finish
            }
        }
    }
}

/// A `Result<(), XmlError>` expression reading element `child` into the
/// member's builder field: one call to a reader method where the runtime
/// can take the value whole, so each member costs a call rather than its
/// own copy of the read and its error path.
fn read_member(f: &Field) -> TokenStream {
    let field = ident(&f.rust_name);
    let slot = quote!(out.#field);
    let flattened = f.wire_flattened;
    match (collection(&f.ty, flattened), &f.ty) {
        (Some(Collection::Value), _) => quote!(reader.read_into(&child, &mut #slot)),
        (Some(Collection::List { item }), _) => {
            quote!(reader.read_list_into(&child, #item, &mut #slot))
        }
        (Some(Collection::FlatList), _) => quote!(reader.push_into(&child, &mut #slot)),
        (Some(Collection::Map { key, value, flat }), _) => {
            let method = if flat {
                quote!(insert_into)
            } else {
                quote!(read_map_into)
            };
            quote!(reader.#method(&child, #key, #value, &mut #slot))
        }
        (None, TypeRef::Timestamp(format)) => {
            let format = timestamp_format(*format);
            quote!(reader.read_timestamp_into(&child, #format, &mut #slot))
        }
        (None, TypeRef::List(list)) if flattened => {
            let child = format_ident!("child");
            let item = read_item(&list.item, list.sparse, &child, 0);
            quote!({
                #slot.get_or_insert_with(Vec::new).push(#item);
                Ok(())
            })
        }
        (None, TypeRef::Map(map)) if flattened => {
            let entry = read_map_entry(map, &format_ident!("child"), 0);
            quote!({
                let (key, value) = #entry;
                #slot.get_or_insert_with(Default::default).insert(key, value);
                Ok(())
            })
        }
        (None, ty) => {
            let value = read_value(ty, &format_ident!("child"), 0);
            quote!({
                #slot = Some(#value);
                Ok(())
            })
        }
    }
}

/// `impl ReadXml for U`: the first known member element sets the variant.
pub fn union_reader(u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let trait_path = rt::xml::read_xml();
    let (reader_ty, node_ty, error_ty) = (rt::xml::reader(), rt::xml::node(), rt::xml::error());
    let child = format_ident!("child");
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let key = v.xml_name.clone().unwrap_or_else(|| v.wire_name.clone());
        match &v.ty {
            None => quote!(#key => { reader.skip(&child)?; Self::#variant }),
            Some(ty) => {
                let value = read_value(ty, &child, 0);
                let value = if v.boxed {
                    quote!(Box::new(#value))
                } else {
                    value
                };
                quote!(#key => Self::#variant(#value),)
            }
        }
    });
    quote! {
        impl #trait_path for #name {
            fn read_xml(reader: &mut #reader_ty, node: &#node_ty) -> Result<Self, #error_ty> {
                let mut value = None;
                while let Some(child) = reader.next_child(node)? {
                    if value.is_some() {
                        reader.skip(&child)?;
                        continue;
                    }
                    value = Some(match reader.name() {
                        #(#arms)*
                        _ => {
                            reader.skip(&child)?;
                            Self::Unknown
                        }
                    });
                }
                Ok(value.unwrap_or(Self::Unknown))
            }
        }
    }
}

/// An expression reading a value of type `ty` from element `node` (consuming it).
fn read_value(ty: &TypeRef, node: &Ident, depth: usize) -> TokenStream {
    match ty {
        TypeRef::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(reader.read_timestamp(&#node, #format)?)
        }
        // Rejected for awsQuery services when lowering.
        TypeRef::Document => {
            let document = rt::root::document();
            quote!({
                reader.skip(&#node)?;
                #document::Null
            })
        }
        TypeRef::Named(named) if named.kind == NamedKind::IntEnum => {
            let path = super::named_path(named);
            quote!(#path::from(reader.read_parsed::<i32>(&#node, "a 32-bit integer")?))
        }
        ty if is_plain(ty) => {
            let trait_path = rt::xml::read_xml();
            quote!(#trait_path::read_xml(reader, &#node)?)
        }
        TypeRef::List(list) => {
            let item_node = format_ident!("item{}", depth);
            let items = format_ident!("items{}", depth);
            let item_name = list.item_xml_name.as_deref().unwrap_or("member");
            let item = read_item(&list.item, list.sparse, &item_node, depth + 1);
            quote!({
                let mut #items = Vec::new();
                while let Some(#item_node) = reader.next_child(&#node)? {
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
            let index_map = rt::root::index_map();
            quote!({
                let mut #entries = #index_map::new();
                while let Some(#entry_node) = reader.next_child(&#node)? {
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
        // Every other type is plain (handled above).
        _ => TokenStream::new(),
    }
}

fn read_item(ty: &TypeRef, sparse: bool, node: &Ident, depth: usize) -> TokenStream {
    let value = read_value(ty, node, depth);
    if sparse {
        quote!(Some(#value))
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
    let error_kind = rt::xml::error_kind();
    quote!({
        let mut key = None;
        let mut value = None;
        while let Some(#part) = reader.next_child(&#node)? {
            match reader.name() {
                #key_name => key = Some(#read_key),
                #value_name => value = Some(#read_val),
                _ => reader.skip(&#part)?,
            }
        }
        match (key, value) {
            (Some(key), Some(value)) => (key, value),
            _ => {
                return Err(reader.fail(#error_kind::Missing {
                    detail: String::from("a map entry without a key or a value"),
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
    let (document, response) = (rt::query::response_document(), rt::query::query_response());
    let (xml_error, error_kind, read_xml) =
        (rt::xml::error(), rt::xml::error_kind(), rt::xml::read_xml());
    let ret = quote!(Result<#response<#output>, #xml_error>);
    if op.output.fields.is_empty() {
        // Nothing to read: the body may be empty or hold only ResponseMetadata.
        return quote! {
            #doc
            pub fn deserialize_response(body: &[u8]) -> #ret {
                let request_id = if body.iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    #document::open(body, #action)?.finish()?
                };
                Ok(#response { output: #output::builder().build(), request_id })
            }
        };
    }
    let empty = if op.output.required_fields().next().is_none() {
        quote!(#output::builder().build())
    } else {
        quote!(#output::builder().build().map_err(|missing| {
            #xml_error::new(#error_kind::Missing { detail: missing.to_string() }, 0)
        })?)
    };
    quote! {
        #doc
        pub fn deserialize_response(body: &[u8]) -> #ret {
            let mut document = #document::open(body, #action)?;
            let output: #output = match document.result()? {
                Some(node) => #read_xml::read_xml(document.reader(), &node)?,
                None => #empty,
            };
            let request_id = document.finish()?;
            Ok(#response { output, request_id })
        }
    }
}

/// An error enum (one variant per error plus `Unhandled`) and the function that parses into it.
///
/// Lowering decided each variant's code and, where errors share a code, which
/// one parsing yields; the others keep their variants for callers who build
/// them, and say so in their docs.
///
/// `gates`, when given, holds one `#[cfg]` per error (empty for none), for the
/// service-wide enum of a crate with per-operation features.
pub fn error_enum(
    enum_name: &Ident,
    doc: &str,
    errors: &[ErrorVariant],
    gates: Option<&[TokenStream]>,
    namespace: Option<&str>,
) -> TokenStream {
    let namespace = super::option_str(namespace);
    let no_gates = vec![TokenStream::new(); errors.len()];
    let gates: &[TokenStream] = gates.unwrap_or(&no_gates);
    let doc = doc_line(doc);
    let variants = errors.iter().zip(gates).map(|(v, gate)| {
        let variant = ident(&v.error.rust_name);
        let path = super::named_path(&v.error);
        let mut text = format!(
            "The service answered with [`{}`].",
            path.to_string().replace(' ', "")
        );
        if let Some(winner) = &v.parsed_as {
            text.push_str(&format!(
                " It shares the code `{}` with `{winner}`, which parsing yields.",
                v.code
            ));
        }
        let doc = doc_line(&text);
        quote!(#doc #gate #variant(#path),)
    });
    // The errors a code can select (one per code), each tried in turn: a
    // chain, or one statement per error where errors carry feature gates.
    let selected: Vec<(Ident, &TokenStream)> = errors
        .iter()
        .zip(gates)
        .filter(|(v, _)| v.parsed_as.is_none())
        .map(|(v, gate)| (ident(&v.error.rust_name), gate))
        .collect();
    let error_param = if selected.is_empty() {
        quote!(_error)
    } else {
        quote!(error)
    };
    let read_modeled = if selected.iter().all(|(_, gate)| gate.is_empty()) {
        let mut variants = selected.iter().map(|(variant, _)| variant);
        match variants.next() {
            None => quote!(None),
            Some(first) => quote! {
                error.read(Self::#first)
                    #(.or_else(|| error.read(Self::#variants)))*
            },
        }
    } else {
        let reads = selected.iter().map(|(variant, gate)| {
            quote!(#gate if let Some(read) = error.read(Self::#variant) {
                return Some(read);
            })
        });
        quote! {
            #(#reads)*
            None
        }
    };
    let names: Vec<Ident> = errors.iter().map(|v| ident(&v.error.rust_name)).collect();
    let unhandled_doc =
        doc_line("An error the model does not list here, or a body that is not an error document.");
    let parse_doc = doc_line(
        "Parses a non-2xx response: the `Code` picks the variant; anything else is `Unhandled`.",
    );
    let code_doc = doc_line("The error code, if known.");
    let response_doc = doc_line(
        "Server side: the HTTP status and `<ErrorResponse>` body the service answers with.",
    );
    let (operation_error, error_body, xml_error) = (
        rt::query::operation_error(),
        rt::query::error_body(),
        rt::xml::error(),
    );
    let (coded_error, error_code, unhandled) = (
        rt::query::coded_error(),
        rt::query::error_code(),
        rt::query::unhandled_error(),
    );
    let (parse_error, error_response) = (rt::query::parse_error(), rt::server::error_response());
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #enum_name {
            #(#variants)*
            #unhandled_doc
            Unhandled(Box<#unhandled>),
        }

        impl #enum_name {
            #parse_doc
            pub fn parse(status: u16, body: &[u8]) -> Self {
                #parse_error(status, body)
            }

            #code_doc
            pub fn code(&self) -> Option<&str> {
                #error_code::code(self)
            }

            #[cfg(feature = "server")]
            #response_doc
            pub fn to_response(&self, request_id: &str) -> (u16, String) {
                let error: &dyn #error_response = match self {
                    #(#gates Self::#names(error) => error,)*
                    Self::Unhandled(error) => &**error,
                };
                let namespace = #namespace;
                error.to_response(namespace, request_id)
            }
        }

        impl #operation_error for #enum_name {
            fn read_modeled(#error_param: &#error_body<'_>) -> Option<Result<Self, #xml_error>> {
                #read_modeled
            }

            fn unhandled(error: Box<#unhandled>) -> Self {
                Self::Unhandled(error)
            }

            fn as_error(&self) -> &dyn #coded_error {
                match self {
                    #(#gates Self::#names(error) => error,)*
                    Self::Unhandled(error) => &**error,
                }
            }
        }

        impl #error_code for #enum_name {
            fn code(&self) -> Option<&str> {
                #error_code::code(#operation_error::as_error(self))
            }
        }

        impl ::std::fmt::Display for #enum_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(#operation_error::as_error(self), f)
            }
        }

        impl ::std::error::Error for #enum_name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                Some(#operation_error::as_error(self))
            }
        }
    }
}

/// `impl ModeledError for E`: the code, and the message member the envelope's
/// `<Message>` fills when the shape's own element was absent.
pub fn modeled_error(s: &Struct) -> TokenStream {
    let name = ident(&s.rust_name);
    let trait_path = rt::query::modeled_error();
    let message = message_slot(s).map(|field| {
        quote! {
            fn message_mut(&mut self) -> Option<&mut Option<String>> {
                Some(&mut self.#field)
            }
        }
    });
    quote! {
        impl #trait_path for #name {
            const CODE: &'static str = #name::CODE;
            #message
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
        None => (quote!(None), quote!(host_prefix)),
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
                        let check_host_label = rt::http::check_host_label();
                        checks.push(quote! {
                            let #var = input.#name.as_deref().unwrap_or_default();
                            #check_host_label(#wire_name, #var)?;
                        });
                        args.push(var);
                    }
                }
            }
            if args.is_empty() {
                (quote!(Some(#literal)), quote!(host_prefix))
            } else {
                let prefix = quote!({
                    #(#checks)*
                    Some(::std::format!(#format, #(#args),*))
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
    let (request, response, request_error) = (
        rt::http::request(),
        rt::http::response(),
        rt::http::request_error(),
    );
    let (query_request, query_response, unhandled) = (
        rt::http::query_request(),
        rt::query::query_response(),
        rt::query::unhandled_error(),
    );
    quote! {
        #build_doc
        pub fn build_request(
            input: &#input,
            endpoint: &str,
        ) -> Result<#request<Vec<u8>>, #request_error> {
            let host_prefix = #prefix;
            #query_request(endpoint, #pass, serialize_query_body(input))
        }

        #parse_doc
        pub fn parse_response<B: AsRef<[u8]>>(
            response: &#response<B>,
        ) -> Result<#query_response<#output>, #error> {
            let status = response.status().as_u16();
            let body = response.body().as_ref();
            if response.status().is_success() {
                deserialize_response(body).map_err(|problem| {
                    #error::Unhandled(#unhandled::boxed(status, body, Err(problem)))
                })
            } else {
                Err(deserialize_error(status, body))
            }
        }
    }
}
