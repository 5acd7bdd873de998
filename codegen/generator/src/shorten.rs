//! Part of the **format** pass: imports the runtime items a module names, and
//! prints them short.
//!
//! Emitters write every runtime path in full (`::querygen_runtime::xml::Node`),
//! so what they emit means the same thing wherever it lands. Printed that way,
//! though, signatures break over several lines. [`runtime_imports`] gives each
//! module a `use` of the runtime types and traits it names (under the `#[cfg]`
//! its uses share) and prints the short name. A name is imported only if
//! nothing else in the file is called so: no item, import, generic parameter,
//! or other path's segment (so `crate::types::Endpoint` and the runtime's
//! `Endpoint` both stay in full), and the file has no glob import other than
//! of its own inline modules. Paths inside macro calls and attributes are left
//! as the emitter wrote them.
//!
//! (Standard prelude names need no pass: emitters write `Option` and `String`
//! themselves, since [`crate::naming`] gives no generated item a prelude name.)

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// Every name a file declares or imports, and whether it imports a glob from
/// outside itself (whose names cannot be known here).
#[derive(Default)]
struct LocalNames {
    names: HashSet<String>,
    foreign_glob: bool,
}

impl LocalNames {
    fn add(&mut self, ident: &syn::Ident) {
        self.names.insert(ident.to_string());
    }

    fn use_tree(&mut self, tree: &syn::UseTree, from_self: bool) {
        match tree {
            syn::UseTree::Path(path) => {
                let from_self = from_self || path.ident == "self";
                self.use_tree(&path.tree, from_self);
            }
            syn::UseTree::Name(name) => self.add(&name.ident),
            syn::UseTree::Rename(rename) => self.add(&rename.rename),
            syn::UseTree::Glob(_) => self.foreign_glob |= !from_self,
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, from_self);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for LocalNames {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        match item {
            syn::Item::Const(item) => self.add(&item.ident),
            syn::Item::Enum(item) => self.add(&item.ident),
            syn::Item::ExternCrate(item) => self.add(
                item.rename
                    .as_ref()
                    .map_or(&item.ident, |(_, rename)| rename),
            ),
            syn::Item::Fn(item) => self.add(&item.sig.ident),
            syn::Item::Macro(item) => {
                if let Some(ident) = &item.ident {
                    self.add(ident);
                }
            }
            syn::Item::Mod(item) => self.add(&item.ident),
            syn::Item::Static(item) => self.add(&item.ident),
            syn::Item::Struct(item) => self.add(&item.ident),
            syn::Item::Trait(item) => self.add(&item.ident),
            syn::Item::TraitAlias(item) => self.add(&item.ident),
            syn::Item::Type(item) => self.add(&item.ident),
            syn::Item::Union(item) => self.add(&item.ident),
            syn::Item::Use(item) => self.use_tree(&item.tree, false),
            _ => {}
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_generic_param(&mut self, param: &'ast syn::GenericParam) {
        match param {
            syn::GenericParam::Type(param) => self.add(&param.ident),
            syn::GenericParam::Const(param) => self.add(&param.ident),
            syn::GenericParam::Lifetime(_) => {}
        }
        syn::visit::visit_generic_param(self, param);
    }

    fn visit_foreign_item(&mut self, item: &'ast syn::ForeignItem) {
        match item {
            syn::ForeignItem::Fn(item) => self.add(&item.sig.ident),
            syn::ForeignItem::Static(item) => self.add(&item.ident),
            syn::ForeignItem::Type(item) => self.add(&item.ident),
            _ => {}
        }
        syn::visit::visit_foreign_item(self, item);
    }
}

/// Imports, per module, the types and traits of `crates` (`querygen_runtime`)
/// that the module names by full path, and prints them short.
pub fn runtime_imports(file: &mut syn::File, crates: &[&str]) {
    let mut names = LocalNames::default();
    names.visit_file(file);
    if names.foreign_glob {
        return;
    }
    let mut paths = PathNames {
        crates,
        origins: HashMap::new(),
        other: HashSet::new(),
    };
    paths.visit_file(file);
    let importable: HashSet<String> = paths
        .origins
        .into_iter()
        .filter(|(name, origins)| {
            origins.len() == 1 && !names.names.contains(name) && !paths.other.contains(name)
        })
        .map(|(name, _)| name)
        .collect();
    let context = ImportContext {
        crates,
        importable: &importable,
    };
    context.module(&mut file.items);
}

/// The item a runtime path names: its full path up to the first segment that
/// starts with a capital (the type or trait) and how many segments that is.
fn runtime_item(path: &syn::Path, crates: &[&str]) -> Option<(Vec<String>, usize)> {
    path.leading_colon?;
    let first = path.segments.first()?;
    if !crates.iter().any(|krate| first.ident == krate) {
        return None;
    }
    let item = path.segments.iter().position(|segment| {
        segment
            .ident
            .to_string()
            .starts_with(|c: char| c.is_ascii_uppercase())
    })?;
    if item == 0
        || path
            .segments
            .iter()
            .take(item)
            .any(|segment| !segment.arguments.is_none())
    {
        return None;
    }
    let full = path
        .segments
        .iter()
        .take(item + 1)
        .map(|segment| segment.ident.to_string())
        .collect();
    Some((full, item + 1))
}

/// For each capitalised name, the runtime items it names in the file, and the
/// capitalised names that some other path uses.
struct PathNames<'a> {
    crates: &'a [&'a str],
    origins: HashMap<String, BTreeSet<Vec<String>>>,
    other: HashSet<String>,
}

impl<'ast> Visit<'ast> for PathNames<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some((full, _)) = runtime_item(path, self.crates) {
            let name = full.last().cloned().unwrap_or_default();
            self.origins.entry(name).or_default().insert(full);
        } else {
            for segment in &path.segments {
                let ident = segment.ident.to_string();
                if ident.starts_with(|c: char| c.is_ascii_uppercase()) {
                    self.other.insert(ident);
                }
            }
        }
        syn::visit::visit_path(self, path);
    }
}

struct ImportContext<'a> {
    crates: &'a [&'a str],
    importable: &'a HashSet<String>,
}

impl ImportContext<'_> {
    /// Imports into one module (its items), then into each inline module in it.
    fn module(&self, items: &mut Vec<syn::Item>) {
        let mut uses = Uses {
            crates: self.crates,
            importable: self.importable,
            cfgs: Vec::new(),
            sites: BTreeMap::new(),
        };
        for item in items.iter() {
            uses.visit_item(item);
        }
        let imported = uses.sites;
        if !imported.is_empty() {
            let mut rewrite = Import {
                crates: self.crates,
                imported: &imported,
            };
            for item in items.iter_mut() {
                rewrite.visit_item_mut(item);
            }
            let statements = use_items(&imported);
            items.splice(0..0, statements);
        }
        for item in items.iter_mut() {
            if let syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) = item
            {
                self.module(inner);
            }
        }
    }
}

/// The `use` items for `imported`: one per `#[cfg]` and runtime module,
/// sorted so the output is deterministic.
fn use_items(imported: &BTreeMap<Vec<String>, Vec<Vec<String>>>) -> Vec<syn::Item> {
    let mut groups: BTreeMap<(String, Vec<String>), Vec<String>> = BTreeMap::new();
    let mut conditions: BTreeMap<String, TokenStream> = BTreeMap::new();
    for (full, sites) in imported {
        let condition = condition(sites);
        let key = condition
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        if let Some(tokens) = condition {
            conditions.insert(key.clone(), tokens);
        }
        let (name, module) = full.split_last().expect("a runtime item has a path");
        groups
            .entry((key, module.to_vec()))
            .or_default()
            .push(name.clone());
    }
    groups
        .into_iter()
        .map(|((key, module), names)| {
            let cfg = conditions.get(&key).map(|tokens| quote!(#[cfg(#tokens)]));
            let module = module.iter().map(|segment| format_ident!("{segment}"));
            let names = names.iter().map(|name| format_ident!("{name}"));
            syn::parse_quote!(#cfg use #(::#module)*::{#(#names),*};)
        })
        .collect()
}

/// The `cfg` predicate under which every use site is compiled, if any: `None`
/// when one site is unconditional.
fn condition(sites: &[Vec<String>]) -> Option<TokenStream> {
    let mut distinct: BTreeSet<&Vec<String>> = BTreeSet::new();
    for site in sites {
        if site.is_empty() {
            return None;
        }
        distinct.insert(site);
    }
    let all = |site: &Vec<String>| -> TokenStream {
        let predicates: Vec<TokenStream> = site
            .iter()
            .map(|predicate| predicate.parse().expect("a cfg predicate re-parses"))
            .collect();
        match predicates.as_slice() {
            [one] => one.clone(),
            _ => quote!(all(#(#predicates),*)),
        }
    };
    let alternatives: Vec<TokenStream> = distinct.into_iter().map(all).collect();
    Some(match alternatives.as_slice() {
        [one] => one.clone(),
        _ => quote!(any(#(#alternatives),*)),
    })
}

/// The `cfg` predicates of `attrs`, as text.
fn cfgs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| attr.meta.require_list().ok())
        .map(|list| list.tokens.to_string())
        .collect()
}

/// The use sites of importable runtime items in one module (not in the
/// modules inside it), each with the `cfg` predicates it sits under.
struct Uses<'a> {
    crates: &'a [&'a str],
    importable: &'a HashSet<String>,
    cfgs: Vec<String>,
    sites: BTreeMap<Vec<String>, Vec<Vec<String>>>,
}

impl Uses<'_> {
    fn under(&mut self, attrs: &[syn::Attribute], visit: impl FnOnce(&mut Self)) {
        let depth = self.cfgs.len();
        self.cfgs.extend(cfgs(attrs));
        visit(self);
        self.cfgs.truncate(depth);
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if let syn::Item::Mod(_) = item {
            return;
        }
        let attrs = item_attrs(item);
        self.under(attrs, |this| syn::visit::visit_item(this, item));
    }
    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(item) => &item.attrs[..],
            syn::ImplItem::Fn(item) => &item.attrs,
            syn::ImplItem::Type(item) => &item.attrs,
            syn::ImplItem::Macro(item) => &item.attrs,
            _ => &[],
        };
        self.under(attrs, |this| syn::visit::visit_impl_item(this, item));
    }
    fn visit_field(&mut self, field: &'ast syn::Field) {
        self.under(&field.attrs, |this| syn::visit::visit_field(this, field));
    }
    fn visit_variant(&mut self, variant: &'ast syn::Variant) {
        self.under(&variant.attrs, |this| {
            syn::visit::visit_variant(this, variant)
        });
    }
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.under(&arm.attrs, |this| syn::visit::visit_arm(this, arm));
    }
    fn visit_local(&mut self, local: &'ast syn::Local) {
        self.under(&local.attrs, |this| syn::visit::visit_local(this, local));
    }
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some((full, _)) = runtime_item(path, self.crates) {
            if full
                .last()
                .is_some_and(|name| self.importable.contains(name))
            {
                let mut site = self.cfgs.clone();
                site.sort();
                site.dedup();
                self.sites.entry(full).or_default().push(site);
            }
        }
        syn::visit::visit_path(self, path);
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(item) => &item.attrs,
        syn::Item::Enum(item) => &item.attrs,
        syn::Item::Fn(item) => &item.attrs,
        syn::Item::Impl(item) => &item.attrs,
        syn::Item::Macro(item) => &item.attrs,
        syn::Item::Static(item) => &item.attrs,
        syn::Item::Struct(item) => &item.attrs,
        syn::Item::Trait(item) => &item.attrs,
        syn::Item::Type(item) => &item.attrs,
        syn::Item::Union(item) => &item.attrs,
        syn::Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

/// Prints the imported items' paths short, in one module (not in the modules
/// inside it).
struct Import<'a> {
    crates: &'a [&'a str],
    imported: &'a BTreeMap<Vec<String>, Vec<Vec<String>>>,
}

impl VisitMut for Import<'_> {
    fn visit_item_mod_mut(&mut self, _: &mut syn::ItemMod) {}
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some((full, replaced)) = runtime_item(path, self.crates) {
            if self.imported.contains_key(&full) {
                let rest: Vec<_> = std::mem::take(&mut path.segments)
                    .into_iter()
                    .skip(replaced - 1)
                    .collect();
                path.leading_colon = None;
                path.segments.extend(rest);
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn expected(tokens: proc_macro2::TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("expected output parses"))
    }

    #[test]
    fn a_glob_from_outside_the_file_keeps_every_path_in_full() {
        let input = quote! {
            use ::somewhere::*;
            pub fn f(_: ::querygen_runtime::xml::Node) {}
        };
        assert_eq!(imported(input.clone()), expected(input));
        let own = quote! {
            mod items { pub struct A; }
            pub use self::items::*;
            pub fn f(_: ::querygen_runtime::xml::Node) {}
        };
        let want = quote! {
            use ::querygen_runtime::xml::{Node};
            mod items { pub struct A; }
            pub use self::items::*;
            pub fn f(_: Node) {}
        };
        assert_eq!(imported(own), expected(want));
    }

    fn imported(tokens: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(tokens).expect("test input parses");
        super::runtime_imports(&mut file, &["querygen_runtime", "querygen_client"]);
        prettyplease::unparse(&file)
    }

    #[test]
    fn runtime_types_are_imported_under_the_cfg_their_uses_share() {
        let input = quote! {
            pub fn read(r: &mut ::querygen_runtime::xml::XmlReader<'_>) -> ::querygen_runtime::xml::Node {
                ::querygen_runtime::xml::Node::root(r)
            }
            #[cfg(feature = "server")]
            impl ::querygen_runtime::server::ReadQuery for A {
                fn read_query(node: &::querygen_runtime::server::QueryTree) {}
            }
            impl B {
                #[cfg(feature = "client")]
                pub fn call(&self, _: ::querygen_client::Call) {}
                #[cfg(feature = "server")]
                pub fn serve(&self, _: ::querygen_client::Call) {}
            }
            pub fn lower() { ::querygen_runtime::query::parse_error(1) }
        };
        let want = quote! {
            use ::querygen_runtime::xml::{Node, XmlReader};
            #[cfg(any(feature = "client", feature = "server"))]
            use ::querygen_client::{Call};
            #[cfg(feature = "server")]
            use ::querygen_runtime::server::{QueryTree, ReadQuery};
            pub fn read(r: &mut XmlReader<'_>) -> Node {
                Node::root(r)
            }
            #[cfg(feature = "server")]
            impl ReadQuery for A {
                fn read_query(node: &QueryTree) {}
            }
            impl B {
                #[cfg(feature = "client")]
                pub fn call(&self, _: Call) {}
                #[cfg(feature = "server")]
                pub fn serve(&self, _: Call) {}
            }
            pub fn lower() { ::querygen_runtime::query::parse_error(1) }
        };
        assert_eq!(imported(input), expected(want));
    }

    #[test]
    fn a_runtime_name_that_means_something_else_in_the_file_stays_in_full() {
        let input = quote! {
            pub fn f(
                a: ::querygen_runtime::endpoint::Endpoint,
                b: crate::types::Endpoint,
                c: ::querygen_runtime::query::Error,
                d: ::querygen_runtime::xml::Error,
                e: ::querygen_runtime::xml::Reader,
            ) {}
            pub struct Reader;
        };
        assert_eq!(imported(input.clone()), expected(input));
    }

    #[test]
    fn each_inline_module_imports_what_it_names() {
        let input = quote! {
            pub fn f(_: ::querygen_runtime::BuildError) {}
            #[cfg(feature = "a")]
            mod items {
                pub fn g(_: ::querygen_runtime::xml::Node) {}
            }
        };
        let want = quote! {
            use ::querygen_runtime::{BuildError};
            pub fn f(_: BuildError) {}
            #[cfg(feature = "a")]
            mod items {
                use ::querygen_runtime::xml::{Node};
                pub fn g(_: Node) {}
            }
        };
        assert_eq!(imported(input), expected(want));
    }
}
