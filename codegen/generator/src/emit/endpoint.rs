//! The `endpoint` module: the service's endpoint rule set compiled into one
//! Rust function, its parameters, and the partition table it reads.
//!
//! The checked rule tree ([`crate::endpoint_rules`]) becomes nested `if`s and
//! early `return`s in rule order: a condition that tests a boolean is an `if`
//! (consecutive ones are joined with `&&`), a condition that needs a value to
//! be set is an `if let Some(..)`, an assignment that always succeeds is a
//! `let`. A tree rule's body is its rules; if none matches, resolution fails
//! with the runtime's `EndpointError::no_rule_matched`. Templates become one
//! `[..].concat()`. Partition data is a `static` table of string slices.

use proc_macro2::{Ident, Literal as TokenLiteral, TokenStream};
use quote::{format_ident, quote};

use super::rt;
use super::{code, doc_attrs, doc_line, ident};
use crate::endpoint_rules::{
    Condition, EndpointSpec, Expr, ExprKind, Literal, Outcome, ParamType, ParamValue, Part, Rule,
    RuleSet,
};
use crate::ir::Service;
use crate::naming::{setter_name, unraw};
use crate::partitions::{PartitionOutputs, Partitions};

/// `src/endpoint.rs`.
pub fn endpoint_rs(service: &Service, rules: &RuleSet) -> TokenStream {
    let mut intro = format!(
        "Endpoint resolution for {}.\n\n\
         [`resolve_endpoint`] is the service's endpoint rule set (its `smithy.rules#endpointRuleSet` \
         trait) compiled into Rust when this crate was generated: the rules are plain conditions and \
         early returns, in the rule set's order, and nothing is interpreted at run time. [`Params`] \
         holds the rule set's parameters; build them with [`Params::builder`].",
        code(&service.id)
    );
    let partition_table = match (&service.partitions, rules.uses_partitions) {
        (Some(partitions), true) => {
            intro.push_str(&format!(
                "\n\nThe partition data `aws.partition` reads (version {} of {}) was embedded when \
                 the crate was generated.",
                code(&partitions.version),
                code(&partitions.source)
            ));
            Some(partition_table(partitions))
        }
        // `generate` refuses a rule set that needs partitions without partition data.
        _ => None,
    };
    let lines = crate::docs::doc_lines(&intro);
    let params = params_items(rules);
    let resolve = resolve_fn(rules);
    let module = rt::endpoint::module();
    quote! {
        #(#![doc = #lines])*

        /// What [`resolve_endpoint`] returns and how it fails.
        pub use #module::{Endpoint, EndpointError};

        #params
        #resolve
        #partition_table
    }
}

fn param_type(ty: ParamType) -> TokenStream {
    match ty {
        ParamType::String => quote!(String),
        ParamType::Boolean => quote!(bool),
    }
}

fn params_items(rules: &RuleSet) -> TokenStream {
    let fields = rules.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p.ty);
        let ty = if p.optional() {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let mut notes = vec![format!("Rule-set parameter {}.", code(&p.name))];
        if let Some(built_in) = &p.built_in {
            notes.push(format!("Built-in: {}.", code(built_in)));
        }
        match &p.default {
            Some(ParamValue::String(s)) => notes.push(format!("Default: {}.", code(s))),
            Some(ParamValue::Bool(b)) => notes.push(format!("Default: `{b}`.")),
            None if p.required => notes.push("Required.".to_owned()),
            None => {}
        }
        let mut extra = vec![notes.join(" ")];
        if let Some(deprecated) = &p.deprecated {
            extra.push(format!("**{deprecated}**"));
        }
        let docs = doc_attrs(
            &p.docs,
            &format!("The {} parameter.", code(&p.name)),
            &extra,
        );
        quote!(#docs pub #field: #ty,)
    });
    let builder_fields = rules.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p.ty);
        quote!(#field: Option<#ty>,)
    });
    let setters = rules.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let set = format_ident!("{}", setter_name(&p.rust_name));
        let ty = param_type(p.ty);
        let doc = doc_line(&format!("Sets the {} parameter.", code(&p.name)));
        let set_doc = doc_line(&format!("Sets or clears the {} parameter.", code(&p.name)));
        let fluent = match p.ty {
            ParamType::String => quote! {
                #doc
                pub fn #field(mut self, value: impl Into<String>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            },
            ParamType::Boolean => quote! {
                #doc
                pub fn #field(mut self, value: bool) -> Self {
                    self.#field = Some(value);
                    self
                }
            },
        };
        quote! {
            #fluent
            #set_doc
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.#field = value;
                self
            }
        }
    });
    let build = build_fn(rules);
    quote! {
        /// The parameters of the endpoint rule set. Build them with [`Params::builder`].
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        impl Params {
            /// A builder with no parameter set.
            pub fn builder() -> ParamsBuilder {
                Default::default()
            }
        }

        /// A builder for [`Params`].
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct ParamsBuilder {
            #(#builder_fields)*
        }

        impl ParamsBuilder {
            #(#setters)*
            #build
        }
    }
}

/// `build()`: infallible unless a required parameter has no default.
fn build_fn(rules: &RuleSet) -> TokenStream {
    let missing: Vec<_> = rules
        .parameters
        .iter()
        .filter(|p| p.required && p.default.is_none())
        .collect();
    let inits = rules.parameters.iter().map(|p| {
        let field = ident(&p.rust_name);
        let value = match &p.default {
            Some(ParamValue::Bool(b)) => quote!(self.#field.unwrap_or(#b)),
            Some(ParamValue::String(s)) => {
                quote!(self.#field.unwrap_or_else(|| String::from(#s)))
            }
            None if p.required => {
                let slot = format_ident!("value_{}", unraw(&p.rust_name));
                quote!(#slot)
            }
            None => quote!(self.#field),
        };
        quote!(#field: #value,)
    });
    if missing.is_empty() {
        return quote! {
            /// Builds the [`Params`]; every parameter is optional or has a default.
            pub fn build(self) -> Params {
                Params { #(#inits)* }
            }
        };
    }
    let checks = missing.iter().map(|p| {
        let field = ident(&p.rust_name);
        let name = unraw(&p.rust_name);
        quote! {
            if self.#field.is_none() {
                missing.push(#name);
            }
        }
    });
    let build_error = rt::root::build_error();
    let error = quote!(Err(
        #build_error::missing_members("Params", missing)
    ));
    let names = missing.iter().map(|p| ident(&p.rust_name));
    let slots = missing.iter().map(|p| {
        let slot = format_ident!("value_{}", unraw(&p.rust_name));
        quote!(Some(#slot))
    });
    let listed: Vec<String> = missing
        .iter()
        .map(|p| format!("`{}`", unraw(&p.rust_name)))
        .collect();
    let doc = doc_line(&format!(
        "Builds the [`Params`], failing if a required parameter without a default ({}) is not set.",
        listed.join(", ")
    ));
    quote! {
        #doc
        pub fn build(self) -> Result<Params, #build_error> {
            let mut missing = Vec::new();
            #(#checks)*
            let (#(#slots,)*) = (#(self.#names,)*) else {
                return #error;
            };
            Ok(Params { #(#inits)* })
        }
    }
}

fn resolve_fn(rules: &RuleSet) -> TokenStream {
    let used: Vec<_> = rules.parameters.iter().filter(|p| p.used).collect();
    let prologue = if used.is_empty() {
        quote!(let _ = params;)
    } else {
        let names: Vec<Ident> = used.iter().map(|p| ident(&p.rust_name)).collect();
        let rest = (used.len() < rules.parameters.len()).then(|| quote!(..));
        let locals = used.iter().map(|p| {
            let name = ident(&p.rust_name);
            match (p.ty, p.optional()) {
                (ParamType::String, true) => quote!(let #name = #name.as_deref();),
                (ParamType::String, false) => quote!(let #name = #name.as_str();),
                (ParamType::Boolean, _) => quote!(let #name = *#name;),
            }
        });
        quote! {
            let Params { #(#names,)* #rest } = params;
            #(#locals)*
        }
    };
    let mut emitter = Emitter { temps: 0 };
    let body = emitter.rules(&rules.rules, true);
    let (endpoint, error) = (rt::endpoint::endpoint(), rt::endpoint::endpoint_error());
    quote! {
        /// Resolves the endpoint for `params` by the service's endpoint rule set.
        ///
        /// # Errors
        ///
        /// The message of the error rule that matched (for example when a required
        /// parameter is missing or the combination of options is not supported).
        pub fn resolve_endpoint(
            params: &Params,
        ) -> Result<#endpoint, #error> {
            #prologue
            #body
        }
    }
}

/// What guards the rest of a rule.
enum Gate {
    /// `if cond { .. }`.
    If(TokenStream),
    /// `if let Some(name) = value { .. }`.
    IfLet(Ident, TokenStream),
    /// `let name = value; ..`.
    Let(Ident, TokenStream),
}

struct Emitter {
    /// Templates hoisted out of conditions so far (for unique local names).
    temps: usize,
}

impl Emitter {
    /// A rule list: each rule in order; the first that always matches ends the list, else
    /// falling through is an error. `tail`: the list ends the function (no `return`).
    fn rules(&mut self, rules: &[Rule], tail: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for rule in rules {
            if rule.always_matches() {
                out.extend(self.rule(rule, tail));
                return out;
            }
            out.extend(self.rule(rule, false));
        }
        let error = rt::endpoint::endpoint_error();
        out.extend(ret(quote!(Err(#error::no_rule_matched())), tail));
        out
    }

    fn rule(&mut self, rule: &Rule, tail: bool) -> TokenStream {
        let mut gates: Vec<(Vec<TokenStream>, Gate)> = Vec::new();
        for condition in &rule.conditions {
            let mut prelude = Vec::new();
            let gate = match condition {
                Condition::Test(test) => Gate::If(self.boolean(test, &mut prelude)),
                Condition::IfSome { value, bind: None } => {
                    let value = self.optional(value, &mut prelude);
                    Gate::If(quote!(#value.is_some()))
                }
                Condition::IfSome {
                    value,
                    bind: Some(bind),
                } => Gate::IfLet(ident(bind), self.optional(value, &mut prelude)),
                Condition::Let { value, bind } => {
                    Gate::Let(ident(bind), self.value(value, &mut prelude))
                }
            };
            // Consecutive tests become one `if a && b` (nested `if`s would be collapsible).
            if let (Gate::If(test), true) = (&gate, prelude.is_empty()) {
                if let Some((_, Gate::If(previous))) = gates.last_mut() {
                    *previous = quote!(#previous && #test);
                    continue;
                }
            }
            gates.push((prelude, gate));
        }
        let mut body = self.outcome(&rule.outcome, tail);
        for (prelude, gate) in gates.into_iter().rev() {
            body = match gate {
                Gate::If(test) => quote!(#(#prelude)* if #test { #body }),
                Gate::IfLet(name, value) => {
                    quote!(#(#prelude)* if let Some(#name) = #value { #body })
                }
                Gate::Let(name, value) => quote!(#(#prelude)* let #name = #value; #body),
            };
        }
        body
    }

    fn outcome(&mut self, outcome: &Outcome, tail: bool) -> TokenStream {
        match outcome {
            Outcome::Endpoint(spec) => {
                let endpoint = self.endpoint(spec);
                ret(quote!(Ok(#endpoint)), tail)
            }
            Outcome::Error(message) => {
                let message = match &message.kind {
                    // A `&'static str`: no allocation for the usual constant messages.
                    ExprKind::Text(text) => quote!(#text),
                    _ => self.owned(message),
                };
                let error = rt::endpoint::endpoint_error();
                ret(quote!(Err(#error::new(#message))), tail)
            }
            Outcome::Tree(rules) => self.rules(rules, tail),
        }
    }

    fn endpoint(&mut self, spec: &EndpointSpec) -> TokenStream {
        let url = self.string_value(&spec.url);
        let endpoint = rt::endpoint::endpoint();
        let mut out = quote!(#endpoint::new(#url));
        for (name, values) in &spec.headers {
            for value in values {
                let value = self.string_value(value);
                out = quote!(#out.with_header(#name, #value));
            }
        }
        for (name, value) in &spec.properties {
            let value = self.document(value);
            out = quote!(#out.with_property(#name, #value));
        }
        out
    }

    fn document(&mut self, literal: &Literal) -> TokenStream {
        let (document, number) = (rt::root::document(), rt::root::number());
        let map = rt::root::index_map();
        match literal {
            Literal::String(expr) => {
                let value = match &expr.kind {
                    ExprKind::Template(_) => self.owned(expr),
                    _ => {
                        let text = self.string_value(expr);
                        quote!(String::from(#text))
                    }
                };
                quote!(#document::String(#value))
            }
            Literal::Bool(b) => quote!(#document::Bool(#b)),
            Literal::Int(i) => {
                let number = match u64::try_from(*i) {
                    Ok(u) => {
                        let u = TokenLiteral::u64_unsuffixed(u);
                        quote!(#number::PosInt(#u))
                    }
                    Err(_) => {
                        let i = TokenLiteral::i64_unsuffixed(*i);
                        quote!(#number::NegInt(#i))
                    }
                };
                quote!(#document::Number(#number))
            }
            Literal::Array(items) => {
                let items: Vec<_> = items.iter().map(|item| self.document(item)).collect();
                // `Vec::from([..])` rather than `vec![..]`: prettyplease formats it.
                quote!(#document::Array(
                    Vec::from([#(#items),*])
                ))
            }
            Literal::Record(entries) if entries.is_empty() => {
                quote!(#document::Object(
                    #map::new()
                ))
            }
            Literal::Record(entries) => {
                let entries: Vec<_> = entries
                    .iter()
                    .map(|(key, value)| {
                        let value = self.document(value);
                        quote!((String::from(#key), #value))
                    })
                    .collect();
                quote!(#document::Object(
                    #map::from([#(#entries),*])
                ))
            }
        }
    }

    /// A string as something `Into<String>`: a literal, a `&str`, or a built `String`.
    fn string_value(&mut self, expr: &Expr) -> TokenStream {
        match &expr.kind {
            ExprKind::Text(text) => quote!(#text),
            ExprKind::Template(_) => self.owned(expr),
            _ => self.string(expr, &mut Vec::new()),
        }
    }

    /// A string as an owned `String`.
    fn owned(&mut self, expr: &Expr) -> TokenStream {
        match &expr.kind {
            ExprKind::Text(text) => quote!(String::from(#text)),
            ExprKind::Template(parts) => {
                let pieces: Vec<TokenStream> = parts
                    .iter()
                    .map(|part| match part {
                        Part::Text(text) => quote!(#text),
                        Part::Value(value) => self.string(value, &mut Vec::new()),
                    })
                    .collect();
                quote!([#(#pieces),*].concat())
            }
            _ => {
                let text = self.string(expr, &mut Vec::new());
                quote!(ToOwned::to_owned(#text))
            }
        }
    }

    /// A string as a `&str`; a template is built into a local first (in `prelude`).
    fn string(&mut self, expr: &Expr, prelude: &mut Vec<TokenStream>) -> TokenStream {
        match &expr.kind {
            ExprKind::Text(text) => quote!(#text),
            ExprKind::Var(name) => {
                let name = ident(name);
                quote!(#name)
            }
            ExprKind::PartitionAttr(target, field) => {
                let target = self.string(target, prelude);
                let field = format_ident!("{}", field);
                quote!(#target.#field)
            }
            ExprKind::Template(_) => {
                let built = self.owned(expr);
                let name = format_ident!("_t{}", self.temps);
                self.temps += 1;
                prelude.push(quote!(let #name: String = #built;));
                quote!(#name.as_str())
            }
            // The checker gives strings only the forms above.
            _ => self.value(expr, prelude),
        }
    }

    /// A non-optional value of any type (for `let`).
    fn value(&mut self, expr: &Expr, prelude: &mut Vec<TokenStream>) -> TokenStream {
        match &expr.kind {
            ExprKind::Text(_) | ExprKind::Template(_) => self.string(expr, prelude),
            ExprKind::Int(i) => {
                let i = TokenLiteral::i64_unsuffixed(*i);
                quote!(#i)
            }
            ExprKind::Var(name) => {
                let name = ident(name);
                quote!(#name)
            }
            ExprKind::PartitionAttr(..) => self.string(expr, prelude),
            _ => self.boolean(expr, prelude),
        }
    }

    /// An `Option` value (for `if let Some` and `.is_some()`).
    fn optional(&mut self, expr: &Expr, prelude: &mut Vec<TokenStream>) -> TokenStream {
        match &expr.kind {
            ExprKind::Partition(region) => {
                let region = self.string(region, prelude);
                quote!(PARTITIONS.resolve(#region))
            }
            _ => self.value(expr, prelude),
        }
    }

    fn boolean(&mut self, expr: &Expr, prelude: &mut Vec<TokenStream>) -> TokenStream {
        match &expr.kind {
            ExprKind::Bool(b) => quote!(#b),
            ExprKind::Var(name) => {
                let name = ident(name);
                quote!(#name)
            }
            ExprKind::PartitionAttr(..) => self.string(expr, prelude),
            ExprKind::IsSet(value) => {
                let value = self.optional(value, prelude);
                quote!(#value.is_some())
            }
            ExprKind::Not(inner) => self.negated(inner, prelude),
            ExprKind::BoolEquals(a, b) => match (&a.kind, &b.kind) {
                (_, ExprKind::Bool(true)) => self.boolean(a, prelude),
                (_, ExprKind::Bool(false)) => self.negated(a, prelude),
                (ExprKind::Bool(true), _) => self.boolean(b, prelude),
                (ExprKind::Bool(false), _) => self.negated(b, prelude),
                _ => {
                    let (a, b) = (self.boolean(a, prelude), self.boolean(b, prelude));
                    quote!(#a == #b)
                }
            },
            ExprKind::StringEquals(a, b) => {
                let (a, b) = (self.string(a, prelude), self.string(b, prelude));
                quote!(#a == #b)
            }
            // The checker gives booleans only the forms above.
            _ => self.value(expr, prelude),
        }
    }

    /// `!expr`, written the way clippy prefers (`is_none`, `!=`, no double negation).
    fn negated(&mut self, expr: &Expr, prelude: &mut Vec<TokenStream>) -> TokenStream {
        match &expr.kind {
            ExprKind::Bool(b) => {
                let b = !b;
                quote!(#b)
            }
            ExprKind::Not(inner) => self.boolean(inner, prelude),
            ExprKind::IsSet(value) => {
                let value = self.optional(value, prelude);
                quote!(#value.is_none())
            }
            ExprKind::BoolEquals(a, b) => match (&a.kind, &b.kind) {
                (_, ExprKind::Bool(c)) => {
                    if *c {
                        self.negated(a, prelude)
                    } else {
                        self.boolean(a, prelude)
                    }
                }
                (ExprKind::Bool(c), _) => {
                    if *c {
                        self.negated(b, prelude)
                    } else {
                        self.boolean(b, prelude)
                    }
                }
                _ => {
                    let (a, b) = (self.boolean(a, prelude), self.boolean(b, prelude));
                    quote!(#a != #b)
                }
            },
            ExprKind::StringEquals(a, b) => {
                let (a, b) = (self.string(a, prelude), self.string(b, prelude));
                quote!(#a != #b)
            }
            _ => {
                let value = self.boolean(expr, prelude);
                quote!(!#value)
            }
        }
    }
}

/// `value` as the function's tail expression, or returned.
fn ret(value: TokenStream, tail: bool) -> TokenStream {
    if tail {
        value
    } else {
        quote!(return #value;)
    }
}

fn outputs_tokens(outputs: &PartitionOutputs) -> TokenStream {
    let PartitionOutputs {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
        supports_fips,
        supports_dual_stack,
        implicit_global_region,
    } = outputs;
    let partition_outputs = rt::endpoint::partition_outputs();
    quote! {
        #partition_outputs {
            name: #name,
            dns_suffix: #dns_suffix,
            dual_stack_dns_suffix: #dual_stack_dns_suffix,
            supports_fips: #supports_fips,
            supports_dual_stack: #supports_dual_stack,
            implicit_global_region: #implicit_global_region,
        }
    }
}

fn partition_table(partitions: &Partitions) -> TokenStream {
    let (partition, table) = (rt::endpoint::partition(), rt::endpoint::partition_table());
    let items = partitions.partitions.iter().map(|p| {
        let id = &p.id;
        let regex = &p.region_regex;
        let regions = p.regions.iter().map(|(name, _)| name);
        let overrides = p.regions.iter().filter_map(|(name, outputs)| {
            let outputs = outputs_tokens(outputs.as_ref()?);
            Some(quote!((#name, #outputs)))
        });
        let outputs = outputs_tokens(&p.outputs);
        quote! {
            #partition {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                region_outputs: &[#(#overrides),*],
                outputs: #outputs,
            }
        }
    });
    let doc = doc_line(&format!(
        "The partitions `aws.partition` chooses from, in order (version {} of {}).",
        code(&partitions.version),
        code(&partitions.source)
    ));
    quote! {
        #doc
        static PARTITIONS: #table = #table::new(&[#(#items),*]);
    }
}
