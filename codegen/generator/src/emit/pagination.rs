//! Paginators: the sans-IO `next_page` and item accessors of a paginated
//! operation (always), and its client's `into_paginator` (behind `client`). The
//! paths were resolved by lowering ([`crate::pagination`]); this only prints.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_line, ident, rt, rust_type};
use crate::ir::{Operation, TypeRef};
use crate::pagination::{Pagination, Step};

/// One step's value from `v`: an `Option` of it (`true`), or the value itself (`false`).
fn project(step: &Step, v: &TokenStream, borrow: bool, last: bool) -> (TokenStream, bool) {
    let field = ident(&step.rust_name);
    match (borrow, step.optional, step.boxed) {
        // The last step of a borrow is dereferenced: `&str` for a token, a slice for items.
        (true, true, false) if last => (quote!(#v.#field.as_deref()), true),
        (true, true, false) => (quote!(#v.#field.as_ref()), true),
        (true, true, true) => (quote!(#v.#field.as_deref()), true),
        (true, false, false) if last => (quote!(&*#v.#field), false),
        (true, false, false) => (quote!(&#v.#field), false),
        (true, false, true) => (quote!(&*#v.#field), false),
        (false, true, false) => (quote!(#v.#field), true),
        (false, true, true) => (quote!(#v.#field.map(|b| *b)), true),
        (false, false, false) => (quote!(#v.#field), false),
        (false, false, true) => (quote!(*#v.#field), false),
    }
}

/// The value at the end of `path` from `base` as an `Option`: borrowed (the last
/// step dereferenced) or taken out.
fn walk(base: TokenStream, path: &[Step], borrow: bool) -> TokenStream {
    let v = quote!(v);
    let mut steps = path.iter().enumerate();
    let Some((_, first)) = steps.next() else {
        return quote!(None);
    };
    let (first, is_option) = project(first, &base, borrow, path.len() == 1);
    let mut expr = if is_option {
        first
    } else {
        quote!(Some(#first))
    };
    for (i, step) in steps {
        let (value, is_option) = project(step, &v, borrow, i + 1 == path.len());
        expr = if is_option {
            quote!(#expr.and_then(|v| #value))
        } else {
            quote!(#expr.map(|v| #value))
        };
    }
    expr
}

/// The items at the end of `path` from `base`: a slice (borrowed) or a `Vec`
/// (taken out), empty when an optional step is absent. A path of required
/// members needs no `Option` around it (SNS's `ListSMSSandboxPhoneNumbers`).
fn walk_items(base: TokenStream, path: &[Step], borrow: bool) -> TokenStream {
    if !path.is_empty() && path.iter().all(|step| !step.optional) {
        // Field access sees through a `Box`, so boxed steps need nothing more.
        let fields = path.iter().map(|step| ident(&step.rust_name));
        let expr = quote!(#base #(.#fields)*);
        return if borrow { quote!(&#expr) } else { expr };
    }
    let expr = walk(base, path, borrow);
    quote!(#expr.unwrap_or_default())
}

/// The Rust type of one item of the list `items`.
fn item_type(list: &TypeRef) -> TokenStream {
    match list {
        TypeRef::List(list) => super::element(&list.item, list.sparse),
        other => rust_type(other),
    }
}

fn names(op: &Operation) -> (proc_macro2::Ident, proc_macro2::Ident) {
    (ident(&op.input.rust_name), ident(&op.output.rust_name))
}

/// The sans-IO side, for the operation's module.
pub fn sans_io(op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let (input, output) = names(op);
    let token = ident(&pagination.input_token);
    let received = walk(quote!(output), &pagination.output_token, true);
    let wire = &pagination.wire;
    let next_doc = crate::docs::doc_lines(&format!(
        "`{op_name}` is paginated: the input for the page after `output`, which answered this input.\n\n\
         It is this input with `{input_token}` set to the answer's `{output_token}`. \
         [`Done`]({next_page}::Done) when the answer has no \
         token or an empty one; [`RepeatedToken`]({next_page}::RepeatedToken) \
         when it is the token this input sent (asking again would loop).",
        next_page = rt::pagination::NEXT_PAGE_DOC,
        op_name = op.wire_name,
        input_token = wire.input_token.as_deref().unwrap_or_default(),
        output_token = wire.output_token.as_deref().unwrap_or_default(),
    ));
    let items = pagination.items.as_ref().map(|items| {
        let item = item_type(&items.list);
        let borrowed = walk_items(quote!(self), &items.path, true);
        let owned = walk_items(quote!(self), &items.path, false);
        let path = wire.items.as_deref().unwrap_or_default();
        let doc = doc_line(&format!(
            "This page's items (`{path}`); none when the answer has none."
        ));
        let into_doc = doc_line(&format!("This page's items (`{path}`), taken out of it."));
        quote! {
            impl #output {
                #doc
                pub fn page_items(&self) -> &[#item] {
                    #borrowed
                }

                #into_doc
                pub fn into_page_items(self) -> Vec<#item> {
                    #owned
                }
            }
        }
    });
    let (next_page, next_page_fn) = (rt::pagination::next_page(), rt::pagination::next_page_fn());
    Some(quote! {
        impl #input {
            #(#[doc = #next_doc])*
            pub fn next_page(&self, output: &#output) -> #next_page<Self> {
                #next_page_fn(
                    self,
                    self.#token.as_deref(),
                    #received,
                    |input, token| input.#token = Some(token),
                )
            }
        }

        #items
    })
}

/// The client side, for the fluent builder (behind the `client` feature).
pub fn client(op: &Operation, fluent: &proc_macro2::Ident) -> Option<TokenStream> {
    let no_items = rt::client::no_items();
    let no_items_fn = rt::client::no_items_fn();
    let pagination_ty = rt::client::pagination();
    let paginator = rt::client::paginator();
    let pagination: &Pagination = op.pagination.as_ref()?;
    let wire_name = &op.wire_name;
    let build = super::client::build_input_result(op);
    let (input, output) = names(op);
    let error = ident(&op.error_name);
    let (item, items) = match &pagination.items {
        Some(items) => {
            let item = item_type(&items.list);
            (item, quote!(#output::into_page_items))
        }
        None => (quote!(#no_items), quote!(#no_items_fn)),
    };
    let set_page_size = match &pagination.page_size {
        Some(size) => {
            let field = ident(&size.rust_name);
            let value = if size.long {
                quote!(i64::from(size))
            } else {
                quote!(size)
            };
            quote!(Some(|input: &mut #input, size: i32| {
                input.#field = Some(#value)
            }))
        }
        None => quote!(None),
    };
    let mut doc = format!(
        "Pages through `{wire_name}`: `send()` on the returned paginator gives a stream of \
         pages, each an ordinary call (retries, timeouts and credentials as for `send()`), \
         until the answer's `{}` is absent or empty. If the service answers with the token \
         it was sent, the stream ends with an error instead of asking for the same page forever.",
        pagination.wire.output_token.as_deref().unwrap_or_default()
    );
    match (&pagination.page_size, &pagination.wire.page_size) {
        (Some(_), Some(member)) => doc.push_str(&format!(
            " `page_size(n)` sets `{member}` on every request."
        )),
        _ => doc.push_str(" The operation has no page-size member: `page_size` is refused."),
    }
    match &pagination.wire.items {
        Some(path) => doc.push_str(&format!(" `items()` streams the `{path}` of every page.")),
        None => {
            doc.push_str(" The model names no items for this operation: `items()` yields none.")
        }
    }
    let doc = crate::docs::doc_lines(&doc);
    Some(quote! {
        #[cfg(feature = "client")]
        static PAGINATION: #pagination_ty<#input, #output, #item> =
            #pagination_ty {
                next_page: #input::next_page,
                set_page_size: #set_page_size,
                items: #items,
            };

        #[cfg(feature = "client")]
        impl #fluent {
            #(#[doc = #doc])*
            pub fn into_paginator(self) -> #paginator<#input, #output, #error, #item> {
                let input = #build;
                #paginator::new(self.call, &OPERATION, &PAGINATION, input)
            }
        }
    })
}
