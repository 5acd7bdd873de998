//! awsQuery request serializers: `write_query` on every structure and union
//! an operation input can reach, and one `serialize_query_body` per operation.
//!
//! Key rules (Smithy awsQuery): a member's key is its `xmlName` or its name;
//! list items are `Key.member.N` (or `Key.<list member xmlName>.N`), flattened
//! lists drop that segment; maps are `Key.entry.N.key`/`.value` (renamable);
//! an empty list is `Key=`, an empty map writes nothing; indices are 1-based.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{doc_line, ident};
use crate::ir::{Field, NamedKind, Operation, Struct, TypeRef, Union};
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

/// The key a member is written under.
fn member_key(f: &Field) -> String {
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
    let flattened = f.flattened
        || matches!(&f.ty, TypeRef::List(l) if l.flattened)
        || matches!(&f.ty, TypeRef::Map(m) if m.flattened);
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

fn timestamp_format(format: Option<TimestampFormat>) -> TokenStream {
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
