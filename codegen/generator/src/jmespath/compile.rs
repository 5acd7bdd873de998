//! [`Ast`] → a Rust `bool` expression over the generated types.
//!
//! Every sub-expression compiles to a [`Value`]: its static type, read from
//! the IR, and how the generated code holds it. A value that may be null is an
//! `Option` chain (`base.map(|x| …).and_then(|y| …)`) kept open so that the
//! next operation fuses into its last closure and the comparator can end it
//! with `is_some_and`. A list produced by a projection or a filter is an
//! iterator chain (`source.iter().filter_map(|v| …)`) that the consumer ends
//! (`any`, `count`, …).
//!
//! Naming keeps closures from capturing the wrong variable: the element of a
//! projection or filter is always `v`, and a closure over it refers only to its
//! own `v`; the parameter of an `Option` closure is never `v`, `input`,
//! `output` or `item`, so the code of another operand (which refers only to
//! those) can be placed inside it.
//!
//! Semantics follow JMESPath, with one deliberate difference: where JMESPath
//! raises an invalid-type error at run time (a function given null), the
//! compiled code gives null, which no comparator matches. Type errors that the
//! shapes decide statically (a member that does not exist, `length` of a
//! number, comparing a string with a number) are errors here.

use std::collections::HashMap;

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use serde_json::Value as Json;

use super::parse::{Ast, CmpOp};
use super::Comparator;
use crate::emit::ident;
use crate::ir::{NamedKind, Struct, TypeDef, TypeRef, Union};

type Result<T> = std::result::Result<T, String>;

/// How a string is held: `String` and enums give their text with `.as_str()`,
/// literals are `&str` already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StrKind {
    String,
    Enum,
    Slice,
}

/// The Rust type of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    /// A count (`len()`, `count()`).
    Usize,
    /// An intEnum, read with `.value()` (an `i32`).
    IntEnum,
}

impl Num {
    fn is_float(self) -> bool {
        matches!(self, Self::F32 | Self::F64)
    }
}

/// Whether a list is a `Vec` of the model or an array the expression builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coll {
    Vec,
    Array,
}

/// The static type of a JMESPath value.
#[derive(Debug, Clone)]
enum Ty<'a> {
    /// The `{input, output}` object of an `inputOutput` matcher.
    Root {
        output: &'a Struct,
        input: &'a Struct,
    },
    Struct(&'a Struct),
    Union(&'a Union),
    Str(StrKind),
    Bool,
    Num(Num),
    List(Box<Item<'a>>, Coll),
    Map(Box<Item<'a>>),
    /// Elements of a projection whose right side gives lists, until `[]` flattens them.
    Pending,
    Null,
    /// Timestamps, blobs, documents, big numbers: reachable, not comparable.
    Opaque(&'static str),
}

impl Ty<'_> {
    /// Held by value (`bool`, numbers) rather than by reference.
    fn is_copy(&self) -> bool {
        matches!(self, Self::Bool) || matches!(self, Self::Num(n) if *n != Num::IntEnum)
    }
}

/// The element type of a list or map, and whether elements may be null.
#[derive(Debug, Clone)]
struct Item<'a> {
    ty: Ty<'a>,
    nullable: bool,
}

/// A compiled sub-expression.
#[derive(Debug, Clone)]
struct Value<'a> {
    ty: Ty<'a>,
    val: Val<'a>,
}

#[derive(Debug, Clone)]
enum Val<'a> {
    /// Never null.
    Plain(Plain),
    /// May be null: an `Option` of the value.
    Opt(Opt),
    /// A list built by iteration (projection, filter, flatten, multi-select list).
    Seq(Box<Seq<'a>>),
    /// A literal; typed where it is used.
    Lit(Json),
}

/// Code of a value that is never null.
#[derive(Debug, Clone)]
enum Plain {
    /// A place of the member's own type (`output.x`): used as `&output.x`, or
    /// `output.x` for `Copy` types, `&*output.x` when boxed.
    Place {
        code: TokenStream,
        copy: bool,
        boxed: bool,
    },
    /// An expression of the value itself (a reference for non-`Copy` types),
    /// with its negation when it is a boolean known to negate cleanly.
    Expr {
        code: TokenStream,
        not: Option<TokenStream>,
    },
    /// `recv.len()`, kept apart so that comparing it with zero becomes `is_empty()`.
    Len(TokenStream),
}

/// Code of a value that may be null: `base` (an `Option`) then `steps`.
#[derive(Debug, Clone)]
struct Opt {
    base: TokenStream,
    /// When `base` is `field.as_ref()` of an optional member: iterating it is `field.iter()`.
    field: Option<TokenStream>,
    /// A name for the next closure parameter (the member's name).
    hint: Option<String>,
    steps: Vec<Step>,
}

#[derive(Debug, Clone)]
struct Step {
    param: TokenStream,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    /// `.map(|param| value)`.
    Map(Plain),
    /// `.and_then(|param| option)`.
    AndThen(TokenStream),
}

/// A list as an iterator chain over `source` (a list or map value).
#[derive(Debug, Clone)]
struct Seq<'a> {
    source: Value<'a>,
    adapters: Vec<Adapter<'a>>,
    /// The items the chain yields.
    item: Item<'a>,
    /// The element codes, when the source is a multi-select list not yet adapted.
    elems: Option<Vec<TokenStream>>,
}

/// One iterator adapter; closures take the element as `v`.
#[derive(Debug, Clone)]
enum Adapter<'a> {
    /// `.copied()`: elements of `Copy` types by value.
    Copied,
    /// `.map(Option::as_ref)`: elements of a sparse list.
    AsRef,
    Filter(TokenStream),
    Map(Plain),
    /// `.map(|v| option)`: items may be null.
    MapOpt(TokenStream),
    FilterMap(TokenStream),
    Flatten,
    FlatMap(TokenStream),
    /// Items are the lists `Seq` (in terms of `v`) until `[]` flattens them.
    Pending(Box<Seq<'a>>),
}

impl Adapter<'_> {
    /// Changes how elements are held, not which or how many.
    fn is_norm(&self) -> bool {
        matches!(self, Self::Copied | Self::AsRef)
    }
}

/// The compiler: the service's named types by id.
pub struct Compiler<'a> {
    types: HashMap<&'a str, &'a TypeDef>,
}

impl<'a> Compiler<'a> {
    /// A compiler over the service's named types.
    pub fn new(types: &'a [TypeDef]) -> Self {
        Self {
            types: types.iter().map(|t| (t.id(), t)).collect(),
        }
    }

    /// The matcher: `ast` evaluated from the root, then the comparator.
    pub fn matcher(
        &mut self,
        ast: &Ast,
        comparator: Comparator,
        expected: &str,
        output: &'a Struct,
        input: Option<&'a Struct>,
    ) -> Result<TokenStream> {
        let root = match input {
            Some(input) => Value {
                ty: Ty::Root { output, input },
                val: Val::Plain(expr(TokenStream::new())),
            },
            None => Value {
                ty: Ty::Struct(output),
                val: Val::Plain(expr(quote!(output))),
            },
        };
        let value = self.compile(ast, root)?;
        self.finish(comparator, expected, value)
    }

    fn compile(&mut self, ast: &Ast, cur: Value<'a>) -> Result<Value<'a>> {
        match ast {
            Ast::Identity => Ok(cur),
            Ast::Field(name) => self.member(cur, name),
            Ast::Subexpr(left, right) | Ast::Pipe(left, right) => {
                let left = self.compile(left, cur)?;
                self.compile(right, left)
            }
            Ast::Literal(json) => literal(json),
            Ast::Flatten(inner) => {
                let inner = self.compile(inner, cur)?;
                self.flatten(inner)
            }
            Ast::Projection(left, right) => {
                let left = self.compile(left, cur)?;
                let seq = to_seq(left, "a list projection (`[]`, `[*]`)", Want::List)?;
                self.project(seq, right)
            }
            Ast::ValueProjection(left, right) => {
                let left = self.compile(left, cur)?;
                let seq = to_seq(left, "an object projection (`*`)", Want::Map)?;
                self.project(seq, right)
            }
            Ast::Filter(left, condition, right) => {
                let left = self.compile(left, cur)?;
                let mut seq = to_seq(left, "a filter (`[?…]`)", Want::List)?;
                no_pending(&seq)?;
                drop_nulls(&mut seq);
                let element = element(&seq);
                let condition = self.compile(condition, element)?;
                let test = plain_code(&self.truthy(condition)?);
                seq.adapters.push(Adapter::Filter(test));
                self.project(seq, right)
            }
            Ast::MultiList(items) => self.multi_list(items, cur),
            Ast::Compare(op, left, right) => {
                let left = self.compile(left, cur.clone())?;
                let right = self.compile(right, cur)?;
                self.compare(*op, left, right)
            }
            Ast::Not(operand) => {
                let operand = self.compile(operand, cur)?;
                let test = self.truthy(operand)?;
                Ok(boolean(negate(test)))
            }
            Ast::And(left, right) | Ast::Or(left, right) => {
                let and = matches!(ast, Ast::And(..));
                let left = self.compile(left, cur.clone())?;
                let right = self.compile(right, cur)?;
                and_or(and, left, right)
            }
            Ast::Function(name, args) => self.function(name, args, cur),
            Ast::IndexExpr(_, index) if **index == Ast::Slice => {
                Err("slices (`[start:stop]`) are not supported".into())
            }
            Ast::Index(_) | Ast::IndexExpr(..) => {
                Err("index expressions (`[0]`) are not supported".into())
            }
            Ast::Slice => Err("slices (`[start:stop]`) are not supported".into()),
            Ast::MultiHash => Err("multi-select hashes (`{key: …}`) are not supported".into()),
            Ast::ExpRef => Err("expression references (`&…`) are not supported".into()),
        }
    }

    // ----- members -------------------------------------------------------

    /// The JMESPath type of a member, list element or map value.
    fn ty_of(&self, ty: &TypeRef) -> Result<Ty<'a>> {
        Ok(match ty {
            TypeRef::Bool => Ty::Bool,
            TypeRef::Byte => Ty::Num(Num::I8),
            TypeRef::Short => Ty::Num(Num::I16),
            TypeRef::Integer => Ty::Num(Num::I32),
            TypeRef::Long => Ty::Num(Num::I64),
            TypeRef::Float => Ty::Num(Num::F32),
            TypeRef::Double => Ty::Num(Num::F64),
            TypeRef::BigInteger | TypeRef::BigDecimal => Ty::Opaque("a big number"),
            TypeRef::String => Ty::Str(StrKind::String),
            TypeRef::Blob => Ty::Opaque("a blob"),
            TypeRef::Timestamp(_) => Ty::Opaque("a timestamp"),
            TypeRef::Document => Ty::Opaque("a document"),
            TypeRef::Named(named) => match (named.kind, self.types.get(named.id.as_str())) {
                (NamedKind::Enum, _) => Ty::Str(StrKind::Enum),
                (NamedKind::IntEnum, _) => Ty::Num(Num::IntEnum),
                (NamedKind::Struct, Some(TypeDef::Struct(s))) => Ty::Struct(s),
                (NamedKind::Union, Some(TypeDef::Union(u))) => Ty::Union(u),
                _ => return Err(format!("`{}` is not among the service's types", named.id)),
            },
            TypeRef::List(list) => Ty::List(
                Box::new(Item {
                    ty: self.ty_of(&list.item)?,
                    nullable: list.sparse,
                }),
                Coll::Vec,
            ),
            TypeRef::Map(map) => Ty::Map(Box::new(Item {
                ty: self.ty_of(&map.value)?,
                nullable: map.sparse,
            })),
        })
    }

    /// `cur.name`.
    fn member(&mut self, cur: Value<'a>, name: &str) -> Result<Value<'a>> {
        let plain = match cur.val {
            Val::Opt(opt) => return self.opt_then(opt, cur.ty, |c, inner| c.member(inner, name)),
            Val::Plain(plain) => plain,
            Val::Seq(_) => {
                return Err(format!(
                    "`{name}` is taken from a list; a projection (`[].{name}`) takes it from each element"
                ))
            }
            Val::Lit(_) => return Err(format!("`{name}` is taken from a literal")),
        };
        match cur.ty {
            Ty::Root { output, input } => {
                let (ty, code) = match name {
                    "output" => (Ty::Struct(output), quote!(output)),
                    "input" => (Ty::Struct(input), quote!(input)),
                    _ => {
                        return Err(format!(
                            "`{name}` is not a member of the inputOutput root, which has `input` and `output`"
                        ))
                    }
                };
                Ok(Value {
                    ty,
                    val: Val::Plain(expr(code)),
                })
            }
            Ty::Struct(s) => {
                let field = s
                    .fields
                    .iter()
                    .find(|f| f.wire_name == name)
                    .ok_or_else(|| format!("`{name}` is not a member of `{}`", s.rust_name))?;
                let ty = self.ty_of(&field.ty)?;
                let recv = receiver(&plain);
                let member = ident(&field.rust_name);
                let place = quote!(#recv.#member);
                let copy = ty.is_copy();
                let val = if field.optional {
                    let base = if copy {
                        place.clone()
                    } else if field.boxed {
                        quote!(#place.as_deref())
                    } else {
                        quote!(#place.as_ref())
                    };
                    Val::Opt(Opt {
                        base,
                        field: (!copy && !field.boxed).then_some(place),
                        hint: Some(field.rust_name.clone()),
                        steps: Vec::new(),
                    })
                } else {
                    Val::Plain(Plain::Place {
                        code: place,
                        copy,
                        boxed: field.boxed,
                    })
                };
                Ok(Value { ty, val })
            }
            Ty::Union(u) => {
                let variant = u
                    .variants
                    .iter()
                    .find(|v| v.wire_name == name)
                    .ok_or_else(|| format!("`{name}` is not a member of `{}`", u.rust_name))?;
                let payload = variant
                    .ty
                    .as_ref()
                    .ok_or_else(|| format!("`{name}` of `{}` has no value", u.rust_name))?;
                let ty = self.ty_of(payload)?;
                let union = ident(&u.rust_name);
                let variant_name = ident(&variant.rust_name);
                let value = if ty.is_copy() {
                    quote!(*x)
                } else if variant.boxed {
                    quote!(&**x)
                } else {
                    quote!(x)
                };
                let scrutinee = plain_code(&plain);
                let (some, none) = (some(value), none());
                Ok(Value {
                    ty,
                    val: Val::Opt(Opt {
                        base: quote!(if let crate::types::#union::#variant_name(x) = #scrutinee { #some } else { #none }),
                        field: None,
                        hint: None,
                        steps: Vec::new(),
                    }),
                })
            }
            other => Err(format!("`{name}` is not a member of {}", describe(&other))),
        }
    }

    // ----- Option chains ------------------------------------------------------

    /// The value inside `opt` (its last `map` body, taken out, or a new
    /// parameter), and the parameter that binds it.
    fn take_inner(opt: &mut Opt, ty: &Ty<'_>) -> (TokenStream, Plain) {
        if let Some(Step {
            body: Body::Map(_), ..
        }) = opt.steps.last()
        {
            if let Some(Step {
                param,
                body: Body::Map(plain),
            }) = opt.steps.pop()
            {
                return (param, plain);
            }
        }
        let param = param_name(ty, opt.hint.as_deref());
        (param.clone(), expr(param))
    }

    /// `f` applied to the value inside `opt`; null stays null.
    fn opt_then(
        &mut self,
        mut opt: Opt,
        ty: Ty<'a>,
        f: impl FnOnce(&mut Self, Value<'a>) -> Result<Value<'a>>,
    ) -> Result<Value<'a>> {
        let (param, inner) = Self::take_inner(&mut opt, &ty);
        let result = f(
            self,
            Value {
                ty,
                val: Val::Plain(inner),
            },
        )?;
        attach(opt, param, result)
    }

    /// `opt.is_some_and(|x| pred(x))` (or `is_none_or`), fused into the last `map`.
    fn opt_test(
        &mut self,
        mut opt: Opt,
        ty: Ty<'a>,
        method: &str,
        pred: impl FnOnce(&mut Self, Value<'a>) -> Result<Plain>,
    ) -> Result<TokenStream> {
        let (param, inner) = Self::take_inner(&mut opt, &ty);
        let body = plain_code(&pred(
            self,
            Value {
                ty,
                val: Val::Plain(inner),
            },
        )?);
        let param = closure_param(param, &body);
        let recv = atom(render_opt(&opt));
        let method = format_ident!("{}", method);
        Ok(quote!(#recv.#method(|#param| #body)))
    }

    // ----- lists ---------------------------------------------------------

    /// `right` applied to every element of `seq`, nulls dropped.
    fn project(&mut self, mut seq: Seq<'a>, right: &Ast) -> Result<Value<'a>> {
        no_pending(&seq)?;
        drop_nulls(&mut seq);
        if *right != Ast::Identity {
            let result = self.compile(right, element(&seq))?;
            let ty = result.ty.clone();
            match result.val {
                Val::Plain(Plain::Expr { code, .. }) if code.to_string() == "v" => {}
                Val::Plain(plain) => {
                    seq.adapters.push(Adapter::Map(plain));
                    seq.item = Item {
                        ty,
                        nullable: false,
                    };
                }
                Val::Opt(opt) => {
                    seq.adapters.push(Adapter::FilterMap(render_opt(&opt)));
                    seq.item = Item {
                        ty,
                        nullable: false,
                    };
                }
                Val::Lit(json) => {
                    let (ty, plain) = lit_plain(&json)?;
                    seq.adapters.push(Adapter::Map(plain));
                    seq.item = Item {
                        ty,
                        nullable: false,
                    };
                }
                Val::Seq(inner) => {
                    seq.adapters.push(Adapter::Pending(inner));
                    seq.item = Item {
                        ty: Ty::Pending,
                        nullable: false,
                    };
                }
            }
        }
        Ok(seq_value(seq))
    }

    /// `value[]`: one level of lists merged.
    fn flatten(&mut self, value: Value<'a>) -> Result<Value<'a>> {
        let mut seq = to_seq(value, "`[]`", Want::List)?;
        match seq.item.ty.clone() {
            Ty::Pending => {
                let Some(Adapter::Pending(inner)) = seq.adapters.pop() else {
                    return Err("internal error: a pending projection lost its lists".into());
                };
                match (inner.elems.as_deref(), inner.adapters.is_empty()) {
                    // `[e][]` in a projection: every element gives `e`.
                    (Some([single]), true) => seq.adapters.push(if inner.item.nullable {
                        Adapter::MapOpt(single.clone())
                    } else {
                        Adapter::Map(expr(single.clone()))
                    }),
                    // The lists themselves where they iterate as the elements.
                    _ => seq.adapters.push(Adapter::FlatMap(
                        match (&inner.source.val, inner.adapters.is_empty()) {
                            (Val::Plain(plain), true) => plain_code(plain),
                            _ => into_iter_code(&inner)?,
                        },
                    )),
                }
                seq.item = inner.item;
            }
            Ty::List(inner, coll) => {
                if seq.item.nullable {
                    return Err(
                        "`[]` over a list whose elements may be null lists is not supported".into(),
                    );
                }
                match seq.adapters.pop() {
                    Some(Adapter::Map(plain)) => {
                        seq.adapters.push(Adapter::FlatMap(plain_code(&plain)));
                    }
                    Some(other) => seq.adapters.extend([other, Adapter::Flatten]),
                    None => seq.adapters.push(Adapter::Flatten),
                }
                if coll == Coll::Vec {
                    seq.adapters.extend(norm(&inner));
                }
                seq.item = *inner;
            }
            // Elements that are not lists stay as they are.
            _ => {}
        }
        Ok(seq_value(seq))
    }

    /// `[a, b]` evaluated against `cur`.
    fn multi_list(&mut self, items: &[Ast], cur: Value<'a>) -> Result<Value<'a>> {
        if let Val::Opt(opt) = cur.val {
            return self.opt_then(opt, cur.ty, |c, inner| c.multi_list(items, inner));
        }
        let values = items
            .iter()
            .map(|item| self.compile(item, cur.clone()))
            .collect::<Result<Vec<_>>>()?;
        let ty = unify(&values)?;
        let nullable = values
            .iter()
            .any(|v| matches!(v.val, Val::Opt(_) | Val::Lit(Json::Null)));
        let mut codes = Vec::with_capacity(values.len());
        for value in values {
            let value = self.convert(value, &ty)?;
            codes.push(match value.val {
                Val::Opt(opt) => render_opt(&opt),
                Val::Lit(Json::Null) => none(),
                Val::Plain(plain) if nullable => some(plain_code(&plain)),
                Val::Plain(plain) => plain_code(&plain),
                _ => return Err("internal error: a multi-select element was not converted".into()),
            });
        }
        let item = Item { ty, nullable };
        Ok(seq_value(Seq {
            source: Value {
                ty: Ty::List(Box::new(item.clone()), Coll::Array),
                val: Val::Plain(expr(quote!([#(#codes),*]))),
            },
            adapters: Vec::new(),
            item,
            elems: Some(codes),
        }))
    }

    /// `value` held as the multi-select element type `ty` (strings as `&str`,
    /// numbers in one Rust type, literals typed).
    fn convert(&mut self, value: Value<'a>, ty: &Ty<'a>) -> Result<Value<'a>> {
        let needed = match (&value.ty, ty) {
            (Ty::Str(from), Ty::Str(to)) => from != to,
            (Ty::Num(from), Ty::Num(to)) => from != to,
            _ => false,
        };
        if !needed && !matches!(value.val, Val::Lit(_)) {
            return Ok(value);
        }
        let ty = ty.clone();
        match (ty.clone(), value.val) {
            (_, Val::Lit(Json::Null)) => Ok(Value {
                ty,
                val: Val::Lit(Json::Null),
            }),
            (Ty::Num(target), Val::Lit(Json::Number(n))) => Ok(Value {
                ty,
                val: Val::Plain(expr(number_literal(&n, target)?)),
            }),
            (_, Val::Lit(json)) => Ok(Value {
                ty,
                val: Val::Plain(lit_plain(&json)?.1),
            }),
            // Clippy wants `as_deref()` for `as_ref().map(String::as_str)`.
            (Ty::Str(StrKind::Slice), Val::Opt(opt))
                if matches!(value.ty, Ty::Str(StrKind::String))
                    && opt.steps.is_empty()
                    && opt.field.is_some() =>
            {
                let field = opt.field.unwrap_or_default();
                Ok(Value {
                    ty,
                    val: Val::Opt(Opt {
                        base: quote!(#field.as_deref()),
                        field: None,
                        hint: opt.hint,
                        steps: Vec::new(),
                    }),
                })
            }
            (_, Val::Opt(opt)) => {
                let from = value.ty;
                self.opt_then(opt, from, move |c, inner| c.convert(inner, &ty))
            }
            (Ty::Str(StrKind::Slice), Val::Plain(plain)) => {
                let Ty::Str(kind) = value.ty else {
                    return Err("internal error: a string element is not a string".into());
                };
                Ok(Value {
                    ty,
                    val: Val::Plain(expr(str_code(&plain, kind))),
                })
            }
            (Ty::Num(target), Val::Plain(plain)) => {
                let Ty::Num(kind) = value.ty else {
                    return Err("internal error: a number element is not a number".into());
                };
                let (code, kind) = num_code(&plain, kind);
                let code = match target {
                    Num::I64 => to_i64(code, kind),
                    Num::F64 => to_f64(code, kind),
                    _ => code,
                };
                Ok(Value {
                    ty,
                    val: Val::Plain(expr(code)),
                })
            }
            (_, val) => Ok(Value { ty, val }),
        }
    }

    // ----- comparisons and conditions -----------------------------------

    fn compare(&mut self, op: CmpOp, a: Value<'a>, b: Value<'a>) -> Result<Value<'a>> {
        let symbol = op.symbol();
        for side in [&a, &b] {
            if let Val::Seq(_) = side.val {
                return Err(format!(
                    "`{symbol}` compares a list; only strings, numbers and booleans are supported"
                ));
            }
            if !matches!(side.ty, Ty::Str(_) | Ty::Num(_) | Ty::Bool | Ty::Null) {
                return Err(format!(
                    "`{symbol}` compares {}; only strings, numbers and booleans are supported",
                    describe(&side.ty)
                ));
            }
        }
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        match (&a.val, &b.val) {
            (Val::Lit(_), Val::Lit(_)) => return Err(format!("`{symbol}` compares two literals")),
            (Val::Lit(Json::Null), _) | (_, Val::Lit(Json::Null)) => {
                if ordering {
                    return Err(format!("`{symbol}` with null is always null"));
                }
                let other = if matches!(a.val, Val::Lit(Json::Null)) {
                    b
                } else {
                    a
                };
                let Val::Opt(opt) = other.val else {
                    return Err(format!(
                        "`{symbol}` compares with null a value that is never null"
                    ));
                };
                let code = atom(render_opt(&opt));
                let (is, not) = (quote!(#code.is_none()), quote!(#code.is_some()));
                let (code, not) = if op == CmpOp::Eq {
                    (is, not)
                } else {
                    (not, is)
                };
                return Ok(boolean(Plain::Expr {
                    code,
                    not: Some(not),
                }));
            }
            _ => {}
        }
        let family = |ty: &Ty<'_>| match ty {
            Ty::Str(_) => "a string",
            Ty::Num(_) => "a number",
            _ => "a boolean",
        };
        if ordering && !(matches!(a.ty, Ty::Num(_)) && matches!(b.ty, Ty::Num(_))) {
            return Err(format!(
                "`{symbol}` compares {} with {}; ordering comparisons are supported between numbers only",
                family(&a.ty),
                family(&b.ty)
            ));
        }
        if family(&a.ty) != family(&b.ty) {
            return Err(format!(
                "`{symbol}` compares {} with {}, which are never equal",
                family(&a.ty),
                family(&b.ty)
            ));
        }
        let a_opt = matches!(a.val, Val::Opt(_));
        match (a.val, b.val) {
            (Val::Opt(x), Val::Opt(y)) if !ordering => {
                // Both may be null (and null == null): compare the two `Option`s.
                let common = common_ty(&a.ty, &b.ty);
                let x = self.comparable(x, a.ty, &common)?;
                let y = self.comparable(y, b.ty, &common)?;
                let (code, not) = (quote!(#x == #y), quote!(#x != #y));
                let (code, not) = if op == CmpOp::Eq {
                    (code, not)
                } else {
                    (not, code)
                };
                Ok(boolean(Plain::Expr {
                    code,
                    not: Some(not),
                }))
            }
            (Val::Opt(x), Val::Opt(y)) => {
                let (left, right) = (atom(render_opt(&x)), render_opt(&y));
                let body = compare_plain(
                    op,
                    Value {
                        ty: a.ty,
                        val: Val::Plain(expr(quote!(a))),
                    },
                    Value {
                        ty: b.ty,
                        val: Val::Plain(expr(quote!(b))),
                    },
                )?;
                Ok(Value {
                    ty: Ty::Bool,
                    val: Val::Opt(Opt {
                        base: quote!(#left.zip(#right)),
                        field: None,
                        hint: None,
                        steps: vec![Step {
                            param: quote!((a, b)),
                            body: Body::Map(body),
                        }],
                    }),
                })
            }
            (Val::Opt(x), other) | (other, Val::Opt(x)) => {
                let (x_ty, other_ty) = if a_opt { (a.ty, b.ty) } else { (b.ty, a.ty) };
                let other = Value {
                    ty: other_ty,
                    val: other,
                };
                // Operands keep their sides: `y <= length(x)` is `length(x) >= y`.
                let op_for_x = if a_opt { op } else { op.swapped() };
                if ordering {
                    self.opt_then(x, x_ty, move |_, inner| {
                        Ok(boolean(compare_plain(op_for_x, inner, other)?))
                    })
                } else {
                    // null == y is false, null != y is true.
                    let method = if op == CmpOp::Eq {
                        "is_some_and"
                    } else {
                        "is_none_or"
                    };
                    let code = self.opt_test(x, x_ty, method, move |_, inner| {
                        compare_plain(op_for_x, inner, other)
                    })?;
                    Ok(boolean(Plain::Expr { code, not: None }))
                }
            }
            (x, y) => Ok(boolean(compare_plain(
                op,
                Value { ty: a.ty, val: x },
                Value { ty: b.ty, val: y },
            )?)),
        }
    }

    /// An `Option` of the comparable form of a value: `Option<&str>` for
    /// strings, the common Rust type for numbers.
    fn comparable(&mut self, opt: Opt, ty: Ty<'a>, common: &Ty<'a>) -> Result<TokenStream> {
        let converted = self.convert(
            Value {
                ty,
                val: Val::Opt(opt),
            },
            common,
        )?;
        match converted.val {
            Val::Opt(opt) => Ok(render_opt(&opt)),
            _ => Err("internal error: a converted option is not an option".into()),
        }
    }

    /// JMESPath truthiness as a `bool`.
    fn truthy(&mut self, value: Value<'a>) -> Result<Plain> {
        match (value.ty, value.val) {
            (Ty::Bool, Val::Plain(plain)) => Ok(plain),
            (Ty::Bool, Val::Opt(opt))
                if !matches!(
                    opt.steps.last(),
                    Some(Step {
                        body: Body::Map(_),
                        ..
                    })
                ) =>
            {
                let code = operand(render_opt(&opt));
                let some = some(quote!(true));
                Ok(Plain::Expr {
                    code: quote!(#code == #some),
                    not: Some(quote!(#code != #some)),
                })
            }
            (ty @ (Ty::Bool | Ty::Str(_) | Ty::List(..) | Ty::Map(_)), Val::Opt(opt)) => {
                let code = self.opt_test(opt, ty, "is_some_and", |c, inner| c.truthy(inner))?;
                Ok(expr(code))
            }
            (Ty::Str(kind), Val::Plain(plain)) => {
                let recv = match kind {
                    StrKind::Enum => str_code(&plain, kind),
                    _ => receiver(&plain),
                };
                Ok(Plain::Expr {
                    code: quote!(!#recv.is_empty()),
                    not: Some(quote!(#recv.is_empty())),
                })
            }
            (Ty::List(..) | Ty::Map(_), Val::Plain(plain)) => {
                let recv = receiver(&plain);
                Ok(Plain::Expr {
                    code: quote!(!#recv.is_empty()),
                    not: Some(quote!(#recv.is_empty())),
                })
            }
            (_, Val::Seq(_)) => Err(
                "a list computed by a projection or a filter is not supported as a condition"
                    .into(),
            ),
            (_, Val::Lit(_)) => Err("a literal is not supported as a condition".into()),
            (ty, _) => Err(format!(
                "{} is not supported as a condition (booleans, strings, lists and maps are)",
                describe(&ty)
            )),
        }
    }

    // ----- functions ----------------------------------------------------------

    fn function(&mut self, name: &str, args: &[Ast], cur: Value<'a>) -> Result<Value<'a>> {
        match (name, args) {
            ("length", [arg]) => {
                let arg = self.compile(arg, cur)?;
                self.length(arg)
            }
            ("contains", [subject, search]) => {
                let subject = self.compile(subject, cur.clone())?;
                let search = self.compile(search, cur)?;
                self.contains(subject, search)
            }
            ("length", _) => Err(format!("`length` takes 1 argument, not {}", args.len())),
            ("contains", _) => Err(format!("`contains` takes 2 arguments, not {}", args.len())),
            _ => Err(format!(
                "function `{name}` is not supported (`length` and `contains` are)"
            )),
        }
    }

    fn length(&mut self, value: Value<'a>) -> Result<Value<'a>> {
        let count = Ty::Num(Num::Usize);
        match (value.ty, value.val) {
            (_, Val::Seq(seq)) => self.seq_length(*seq),
            (ty @ (Ty::List(..) | Ty::Map(_)), val @ (Val::Plain(_) | Val::Opt(_))) => {
                let want = if matches!(ty, Ty::Map(_)) {
                    Want::Map
                } else {
                    Want::List
                };
                let seq = to_seq(Value { ty, val }, "`length`", want)?;
                self.seq_length(seq)
            }
            (Ty::Str(kind), Val::Plain(plain)) => {
                let text = str_code(&plain, kind);
                Ok(Value {
                    ty: count,
                    val: Val::Plain(expr(quote!(#text.chars().count()))),
                })
            }
            (ty @ Ty::Str(_), Val::Opt(opt)) => self.opt_then(opt, ty, |c, inner| c.length(inner)),
            (_, Val::Lit(_)) => Err("`length` of a literal is not supported".into()),
            (ty, _) => Err(format!(
                "`length` needs a string, a list or a map, but its argument is {}",
                describe(&ty)
            )),
        }
    }

    fn seq_length(&mut self, seq: Seq<'a>) -> Result<Value<'a>> {
        no_pending(&seq)?;
        // Only adapters that keep every element: the collection's own `len()`.
        let whole = seq.adapters.iter().all(Adapter::is_norm);
        self.seq_terminal(seq, Ty::Num(Num::Usize), move |_, recv, iter| {
            Ok(if whole {
                Plain::Len(recv)
            } else {
                expr(quote!(#iter.count()))
            })
        })
    }

    fn contains(&mut self, subject: Value<'a>, search: Value<'a>) -> Result<Value<'a>> {
        match (&search.ty, &search.val) {
            (_, Val::Opt(_)) => {
                return Err(
                    "`contains` with a search value that may be null is not supported".into(),
                )
            }
            (_, Val::Seq(_)) | (Ty::List(..) | Ty::Map(_), _) => {
                return Err("`contains` searching for a list or a map is not supported".into())
            }
            (_, Val::Lit(Json::Null)) => {
                return Err("`contains` searching for null is not supported".into())
            }
            _ => {}
        }
        match (subject.ty, subject.val) {
            (ty @ Ty::Str(_), Val::Opt(opt)) => {
                self.opt_then(opt, ty, move |c, inner| c.contains(inner, search))
            }
            (Ty::Str(kind), Val::Plain(plain)) => {
                let needle = match (search.ty, search.val) {
                    (Ty::Str(_), Val::Lit(Json::String(s))) => quote!(#s),
                    (Ty::Str(needle), Val::Plain(p)) => str_code(&p, needle),
                    (ty, _) => {
                        return Err(format!(
                            "`contains` on a string searches for a string, not {}",
                            describe(&ty)
                        ))
                    }
                };
                let text = str_code(&plain, kind);
                Ok(boolean(expr(quote!(#text.contains(#needle)))))
            }
            (ty, val) => {
                let seq = match val {
                    Val::Seq(seq) => *seq,
                    val @ (Val::Plain(_) | Val::Opt(_)) if matches!(ty, Ty::List(..)) => {
                        to_seq(Value { ty, val }, "`contains`", Want::List)?
                    }
                    _ => {
                        return Err(format!(
                            "`contains` needs a list or a string, but its subject is {}",
                            describe(&ty)
                        ))
                    }
                };
                let mut seq = seq;
                no_pending(&seq)?;
                // A non-null search value never equals a null element.
                drop_nulls(&mut seq);
                let item_ty = seq.item.ty.clone();
                self.seq_terminal(seq, Ty::Bool, move |c, _, iter| {
                    let item = Value {
                        ty: item_ty,
                        val: Val::Plain(expr(quote!(item))),
                    };
                    let eq = c.compare(CmpOp::Eq, item, search)?;
                    let Val::Plain(eq) = eq.val else {
                        return Err("internal error: an element comparison may be null".into());
                    };
                    let eq = plain_code(&eq);
                    Ok(expr(quote!(#iter.any(|item| #eq))))
                })
            }
        }
    }

    /// Ends a list with `f(collection, iterator)`; a null list gives null.
    fn seq_terminal(
        &mut self,
        seq: Seq<'a>,
        ty: Ty<'a>,
        f: impl FnOnce(&mut Self, TokenStream, TokenStream) -> Result<Plain>,
    ) -> Result<Value<'a>> {
        let adapters = render_adapters(&seq.adapters)?;
        let source_ty = seq.source.ty.clone();
        match seq.source.val {
            Val::Plain(plain) => {
                let recv = receiver(&plain);
                let iter = start(&source_ty, &recv);
                let plain = f(self, recv, quote!(#iter #adapters))?;
                Ok(Value {
                    ty,
                    val: Val::Plain(plain),
                })
            }
            Val::Opt(opt) => self.opt_then(opt, source_ty.clone(), move |c, inner| {
                let Val::Plain(plain) = inner.val else {
                    return Err("internal error: an option's value is not plain".into());
                };
                let recv = receiver(&plain);
                let iter = start(&source_ty, &recv);
                let plain = f(c, recv, quote!(#iter #adapters))?;
                Ok(Value {
                    ty,
                    val: Val::Plain(plain),
                })
            }),
            _ => Err("internal error: a list's source is not a collection".into()),
        }
    }

    // ----- the comparator -----------------------------------------------------

    fn finish(
        &mut self,
        comparator: Comparator,
        expected: &str,
        value: Value<'a>,
    ) -> Result<TokenStream> {
        let name = comparator.name();
        if let Val::Lit(_) = value.val {
            return Err("the path is a literal".into());
        }
        match comparator {
            Comparator::StringEquals => {
                let Ty::Str(kind) = value.ty else {
                    return Err(format!(
                        "{name} needs a string, but the path gives {}",
                        describe_value(&value)
                    ));
                };
                match value.val {
                    Val::Plain(plain) => {
                        let text = str_code(&plain, kind);
                        Ok(quote!(#text == #expected))
                    }
                    Val::Opt(opt) => self.opt_test(opt, value.ty, "is_some_and", |_, inner| {
                        let Val::Plain(plain) = inner.val else {
                            return Err("internal error: an option's value is not plain".into());
                        };
                        let text = str_code(&plain, kind);
                        Ok(expr(quote!(#text == #expected)))
                    }),
                    _ => Err(format!(
                        "{name} needs a string, but the path gives {}",
                        describe_value(&value)
                    )),
                }
            }
            Comparator::BooleanEquals => {
                let want = match expected {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(format!(
                            "booleanEquals expects `true` or `false`, not `{other}`"
                        ))
                    }
                };
                let (Ty::Bool, Val::Plain(_) | Val::Opt(_)) = (&value.ty, &value.val) else {
                    return Err(format!(
                        "{name} needs a boolean, but the path gives {}",
                        describe_value(&value)
                    ));
                };
                match value.val {
                    Val::Plain(plain) => Ok(plain_code(&if want { plain } else { negate(plain) })),
                    Val::Opt(opt)
                        if matches!(
                            opt.steps.last(),
                            Some(Step {
                                body: Body::Map(_),
                                ..
                            })
                        ) =>
                    {
                        self.opt_test(opt, Ty::Bool, "is_some_and", |_, inner| {
                            let Val::Plain(plain) = inner.val else {
                                return Err("internal error: an option's value is not plain".into());
                            };
                            Ok(if want { plain } else { negate(plain) })
                        })
                    }
                    Val::Opt(opt) => {
                        let code = operand(render_opt(&opt));
                        let some = some(quote!(#want));
                        Ok(quote!(#code == #some))
                    }
                    _ => Err("internal error: a boolean is neither plain nor optional".into()),
                }
            }
            Comparator::AllStringEquals | Comparator::AnyStringEquals => {
                let all = comparator == Comparator::AllStringEquals;
                let described = describe_value(&value);
                let mut seq = match value.val {
                    Val::Seq(seq) => *seq,
                    val @ (Val::Plain(_) | Val::Opt(_)) if matches!(value.ty, Ty::List(..)) => {
                        to_seq(Value { ty: value.ty, val }, name, Want::List)?
                    }
                    _ => {
                        return Err(format!(
                            "{name} needs a list of strings, but the path gives {described}"
                        ))
                    }
                };
                let Ty::Str(kind) = seq.item.ty else {
                    return Err(format!(
                        "{name} needs a list of strings, but the path gives {described}"
                    ));
                };
                if !all {
                    // A null element equals nothing.
                    drop_nulls(&mut seq);
                }
                // The last `map` fuses into the test.
                let element = match seq.adapters.last() {
                    Some(Adapter::Map(_)) => match seq.adapters.pop() {
                        Some(Adapter::Map(plain)) => plain,
                        _ => expr(quote!(v)),
                    },
                    _ => expr(quote!(v)),
                };
                let text = str_code(&element, kind);
                let mut test = quote!(#text == #expected);
                if seq.item.nullable {
                    test = quote!(v.is_some_and(|v| #test));
                }
                let iter = into_iter_code(&seq)?;
                if all {
                    // Non-empty, and every element equal.
                    let some = some(quote!(true));
                    Ok(quote!(#iter.map(|v| #test).reduce(|a, b| a && b) == #some))
                } else {
                    Ok(quote!(#iter.any(|v| #test)))
                }
            }
        }
    }
}

/// How an inner result joins the `Option` chain it was computed inside.
fn attach<'a>(mut opt: Opt, param: TokenStream, result: Value<'a>) -> Result<Value<'a>> {
    let ty = result.ty;
    match result.val {
        Val::Plain(plain) => {
            opt.steps.push(Step {
                param,
                body: Body::Map(plain),
            });
            opt.hint = None;
            Ok(Value {
                ty,
                val: Val::Opt(opt),
            })
        }
        Val::Lit(json) => {
            let (ty, plain) = lit_plain(&json)?;
            opt.steps.push(Step {
                param,
                body: Body::Map(plain),
            });
            opt.hint = None;
            Ok(Value {
                ty,
                val: Val::Opt(opt),
            })
        }
        Val::Opt(inner) => {
            opt.steps.push(Step {
                param,
                body: Body::AndThen(inner.base),
            });
            opt.steps.extend(inner.steps);
            opt.hint = inner.hint;
            Ok(Value {
                ty,
                val: Val::Opt(opt),
            })
        }
        Val::Seq(seq) => {
            let Seq {
                source,
                adapters,
                item,
                elems: _,
            } = *seq;
            let source = attach(opt, param, source)?;
            Ok(seq_value(Seq {
                source,
                adapters,
                item,
                elems: None,
            }))
        }
    }
}

// ----- values --------------------------------------------------------------

fn expr(code: TokenStream) -> Plain {
    Plain::Expr { code, not: None }
}

fn boolean<'a>(plain: Plain) -> Value<'a> {
    Value {
        ty: Ty::Bool,
        val: Val::Plain(plain),
    }
}

fn some(code: TokenStream) -> TokenStream {
    quote!(Some(#code))
}

fn none() -> TokenStream {
    quote!(None)
}

fn literal<'a>(json: &Json) -> Result<Value<'a>> {
    let ty = match json {
        Json::String(_) => Ty::Str(StrKind::Slice),
        Json::Bool(_) => Ty::Bool,
        Json::Number(_) => Ty::Num(Num::I64),
        Json::Null => Ty::Null,
        Json::Array(_) | Json::Object(_) => {
            return Err("array and object literals are not supported".into())
        }
    };
    Ok(Value {
        ty,
        val: Val::Lit(json.clone()),
    })
}

/// A literal standing alone: strings are `&str`, integers `i64`, other numbers `f64`.
fn lit_plain<'a>(json: &Json) -> Result<(Ty<'a>, Plain)> {
    match json {
        Json::String(s) => Ok((Ty::Str(StrKind::Slice), expr(quote!(#s)))),
        Json::Bool(b) => Ok((
            Ty::Bool,
            Plain::Expr {
                code: quote!(#b),
                not: Some({
                    let not = !b;
                    quote!(#not)
                }),
            },
        )),
        Json::Number(n) if n.is_i64() => {
            Ok((Ty::Num(Num::I64), expr(number_literal(n, Num::I64)?)))
        }
        Json::Number(n) => Ok((Ty::Num(Num::F64), expr(number_literal(n, Num::F64)?))),
        Json::Null => Err("a null literal is not supported here".into()),
        Json::Array(_) | Json::Object(_) => {
            Err("array and object literals are not supported".into())
        }
    }
}

fn seq_value(seq: Seq<'_>) -> Value<'_> {
    Value {
        ty: Ty::List(Box::new(seq.item.clone()), Coll::Array),
        val: Val::Seq(Box::new(seq)),
    }
}

/// The element of a list as the current value `v`.
fn element<'a>(seq: &Seq<'a>) -> Value<'a> {
    Value {
        ty: seq.item.ty.clone(),
        val: Val::Plain(expr(quote!(v))),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    List,
    Map,
}

/// A list (or a map's values) as an iterator chain.
fn to_seq<'a>(value: Value<'a>, what: &str, want: Want) -> Result<Seq<'a>> {
    let needs = match want {
        Want::List => "a list",
        Want::Map => "a map",
    };
    match (&value.ty, &value.val, want) {
        (_, Val::Seq(_), Want::List) => match value.val {
            Val::Seq(seq) => Ok(*seq),
            _ => Err("internal error: a list is not a list".into()),
        },
        (Ty::List(item, coll), Val::Plain(_) | Val::Opt(_), Want::List) => Ok(Seq {
            item: (**item).clone(),
            adapters: if *coll == Coll::Vec {
                norm(item)
            } else {
                Vec::new()
            },
            source: value,
            elems: None,
        }),
        (Ty::Map(item), Val::Plain(_) | Val::Opt(_), Want::Map) => Ok(Seq {
            item: (**item).clone(),
            adapters: norm(item),
            source: value,
            elems: None,
        }),
        _ => Err(format!(
            "{what} needs {needs}, but the value is {}",
            describe_value(&value)
        )),
    }
}

/// Adapters that give the elements of a `Vec` or map as the values themselves.
fn norm<'a>(item: &Item<'_>) -> Vec<Adapter<'a>> {
    if item.ty.is_copy() {
        vec![Adapter::Copied]
    } else if item.nullable {
        vec![Adapter::AsRef]
    } else {
        Vec::new()
    }
}

fn no_pending(seq: &Seq<'_>) -> Result<()> {
    if let Ty::Pending = seq.item.ty {
        Err("a projection whose elements are lists computed by the expression (a multi-select list, a filter or another projection) is supported only when `[]` flattens it".into())
    } else {
        Ok(())
    }
}

/// Projections drop null elements.
fn drop_nulls(seq: &mut Seq<'_>) {
    if !seq.item.nullable {
        return;
    }
    match seq.adapters.pop() {
        Some(Adapter::MapOpt(body)) => seq.adapters.push(Adapter::FilterMap(body)),
        // `&Option<T>` iterates as its value: no `as_ref` needed.
        Some(Adapter::AsRef) => seq.adapters.push(Adapter::Flatten),
        Some(other) => seq.adapters.extend([other, Adapter::Flatten]),
        None => seq.adapters.push(Adapter::Flatten),
    }
    seq.item.nullable = false;
}

/// The common type of multi-select list elements.
fn unify<'a>(values: &[Value<'a>]) -> Result<Ty<'a>> {
    let mut found: Option<Ty<'a>> = None;
    let mut literal = false;
    for value in values {
        if let Val::Seq(_) = value.val {
            return Err("multi-select lists of lists are not supported".into());
        }
        if let Val::Lit(Json::Null) = value.val {
            continue;
        }
        literal |= matches!(value.val, Val::Lit(_));
        let ty = match &value.ty {
            ty @ (Ty::Str(_) | Ty::Num(_) | Ty::Bool | Ty::Struct(_)) => ty.clone(),
            other => {
                return Err(format!(
                    "multi-select list elements must be strings, numbers, booleans or structures, not {}",
                    describe(other)
                ))
            }
        };
        found = Some(match (found, ty) {
            (None, ty) => ty,
            (Some(Ty::Struct(a)), Ty::Struct(b)) if a.id == b.id => Ty::Struct(a),
            (Some(Ty::Bool), Ty::Bool) => Ty::Bool,
            (Some(Ty::Str(a)), Ty::Str(b)) if a == b => Ty::Str(a),
            (Some(Ty::Str(_)), Ty::Str(_)) => Ty::Str(StrKind::Slice),
            (Some(Ty::Num(a)), Ty::Num(b)) if a == b => Ty::Num(a),
            (Some(Ty::Num(a)), Ty::Num(b)) => Ty::Num(if a.is_float() || b.is_float() {
                Num::F64
            } else {
                Num::I64
            }),
            (Some(a), b) => {
                return Err(format!(
                    "the elements of a multi-select list must have one type; found {} and {}",
                    describe(&a),
                    describe(&b)
                ))
            }
        });
    }
    let ty = found.ok_or("a multi-select list of nulls is not supported")?;
    // Literals join the others as `&str` and plain numbers.
    Ok(match ty {
        Ty::Str(_) if literal => Ty::Str(StrKind::Slice),
        Ty::Num(Num::IntEnum) => Ty::Num(Num::I64),
        Ty::Struct(_) if literal => {
            return Err("a multi-select list mixes structures and literals".into())
        }
        ty => ty,
    })
}

/// The type two comparable operands are compared in.
fn common_ty<'a>(a: &Ty<'a>, b: &Ty<'a>) -> Ty<'a> {
    match (a, b) {
        (Ty::Num(x), Ty::Num(y)) if x == y && *x != Num::IntEnum => Ty::Num(*x),
        (Ty::Num(x), Ty::Num(y)) if x.is_float() || y.is_float() => Ty::Num(Num::F64),
        (Ty::Num(_), Ty::Num(_)) => Ty::Num(Num::I64),
        (Ty::Str(_), _) => Ty::Str(StrKind::Slice),
        _ => Ty::Bool,
    }
}

// ----- comparisons ------------------------------------------------------------

/// `a op b` for two values that are never null (plain values or literals).
fn compare_plain(op: CmpOp, a: Value<'_>, b: Value<'_>) -> Result<Plain> {
    let symbol = op.symbol();
    match (&a.ty, &b.ty) {
        (Ty::Str(_), Ty::Str(_)) => {
            let (x, y) = (str_operand(a)?, str_operand(b)?);
            Ok(cmp_expr(op, &x, &y, true))
        }
        (Ty::Bool, Ty::Bool) => match (a.val, b.val) {
            (Val::Lit(Json::Bool(want)), Val::Plain(plain))
            | (Val::Plain(plain), Val::Lit(Json::Bool(want))) => {
                // `x == true` is `x`; clippy rejects the comparison.
                Ok(if want == (op == CmpOp::Eq) {
                    plain
                } else {
                    negate(plain)
                })
            }
            (Val::Plain(x), Val::Plain(y)) => {
                let (x, y) = (operand(plain_code(&x)), operand(plain_code(&y)));
                Ok(cmp_expr(op, &x, &y, true))
            }
            _ => Err(format!("`{symbol}` compares booleans it cannot read")),
        },
        (Ty::Num(_), Ty::Num(_)) => {
            let (x, y) = (num_operand(a)?, num_operand(b)?);
            compare_numbers(op, x, y)
        }
        _ => Err(format!("`{symbol}` compares values of different types")),
    }
}

fn str_operand(value: Value<'_>) -> Result<TokenStream> {
    match (value.ty, value.val) {
        (_, Val::Lit(Json::String(s))) => Ok(quote!(#s)),
        (Ty::Str(kind), Val::Plain(plain)) => Ok(str_code(&plain, kind)),
        _ => Err("internal error: a string operand is not a string".into()),
    }
}

/// `a op b`, with its negation when the operands are totally ordered.
fn cmp_expr(op: CmpOp, a: &TokenStream, b: &TokenStream, total: bool) -> Plain {
    let code = op_tokens(op, a, b);
    let not = total.then(|| op_tokens(op.negated(), a, b));
    Plain::Expr { code, not }
}

fn op_tokens(op: CmpOp, a: &TokenStream, b: &TokenStream) -> TokenStream {
    match op {
        CmpOp::Eq => quote!(#a == #b),
        CmpOp::Ne => quote!(#a != #b),
        CmpOp::Lt => quote!(#a < #b),
        CmpOp::Le => quote!(#a <= #b),
        CmpOp::Gt => quote!(#a > #b),
        CmpOp::Ge => quote!(#a >= #b),
    }
}

/// A numeric operand: code of a Rust number type, or a literal typed later.
enum NumOperand {
    Code(TokenStream, Num, Option<TokenStream>),
    Lit(serde_json::Number),
}

fn num_operand(value: Value<'_>) -> Result<NumOperand> {
    match (value.ty, value.val) {
        (_, Val::Lit(Json::Number(n))) => Ok(NumOperand::Lit(n)),
        (Ty::Num(kind), Val::Plain(plain)) => {
            let len = match &plain {
                Plain::Len(recv) => Some(recv.clone()),
                _ => None,
            };
            let (code, kind) = num_code(&plain, kind);
            Ok(NumOperand::Code(code, kind, len))
        }
        _ => Err("internal error: a number operand is not a number".into()),
    }
}

/// The code of a number, intEnums read as `i32`.
fn num_code(plain: &Plain, kind: Num) -> (TokenStream, Num) {
    if kind == Num::IntEnum {
        let recv = receiver(plain);
        (quote!(#recv.value()), Num::I32)
    } else {
        (plain_code(plain), kind)
    }
}

fn compare_numbers(op: CmpOp, a: NumOperand, b: NumOperand) -> Result<Plain> {
    let symbol = op.symbol();
    // Literal on the right.
    let (op, a, b) = match (a, b) {
        (NumOperand::Lit(_), NumOperand::Lit(_)) => {
            return Err(format!("`{symbol}` compares two literals"))
        }
        (a @ NumOperand::Lit(_), b) => (op.swapped(), b, a),
        (a, b) => (op, a, b),
    };
    match (a, b) {
        (NumOperand::Code(x, kind, len), NumOperand::Lit(n)) => {
            if kind == Num::Usize {
                if let Some(plain) = count_vs_literal(op, &x, len.as_ref(), &n)? {
                    return Ok(plain);
                }
            }
            coerce(op, x, kind, &n)
        }
        (NumOperand::Code(x, kx, _), NumOperand::Code(y, ky, _)) => {
            let (x, y, float) = if kx == ky {
                (x, y, kx.is_float())
            } else if kx.is_float() || ky.is_float() {
                (to_f64(x, kx), to_f64(y, ky), true)
            } else {
                (to_i64(x, kx), to_i64(y, ky), false)
            };
            Ok(cmp_expr(op, &operand(x), &operand(y), !float))
        }
        (NumOperand::Lit(_), _) => Err(format!("`{symbol}` compares two literals")),
    }
}

/// A count (`len()`, `count()`) compared with a literal. Clippy rejects
/// comparisons a count always passes or fails, `count <= 0`, and `len() == 0`
/// (for `is_empty()`); `None` leaves the comparison to [`coerce`].
fn count_vs_literal(
    op: CmpOp,
    x: &TokenStream,
    len: Option<&TokenStream>,
    n: &serde_json::Number,
) -> Result<Option<Plain>> {
    let value = n.as_f64().ok_or("a number literal is not finite")?;
    let whole = n.as_u64();
    let constant = match op {
        CmpOp::Lt if value <= 0.0 => Some(false),
        CmpOp::Le if value < 0.0 => Some(false),
        CmpOp::Eq if whole.is_none() => Some(false),
        CmpOp::Gt if value < 0.0 => Some(true),
        CmpOp::Ge if value <= 0.0 => Some(true),
        CmpOp::Ne if whole.is_none() => Some(true),
        _ => None,
    };
    if let Some(constant) = constant {
        return Err(format!(
            "a length compared `{} {n}` is always {constant}",
            op.symbol()
        ));
    }
    // Whether the comparison asks for an empty (`Some(true)`) or a non-empty collection.
    let empty = match (op, whole) {
        (CmpOp::Eq | CmpOp::Le, Some(0)) | (CmpOp::Lt, Some(1)) => Some(true),
        (CmpOp::Ne | CmpOp::Gt, Some(0)) | (CmpOp::Ge, Some(1)) => Some(false),
        _ => None,
    };
    let Some(empty) = empty else {
        return Ok(None);
    };
    Ok(Some(match len {
        Some(recv) => {
            let (is, not) = (quote!(#recv.is_empty()), quote!(!#recv.is_empty()));
            let (code, not) = if empty { (is, not) } else { (not, is) };
            Plain::Expr {
                code,
                not: Some(not),
            }
        }
        None => {
            let op = if empty { CmpOp::Eq } else { CmpOp::Ne };
            cmp_expr(op, &operand(x.clone()), &quote!(0), true)
        }
    }))
}

/// `x op n` with the literal typed as `x`, or both widened when it does not fit.
fn coerce(op: CmpOp, x: TokenStream, kind: Num, n: &serde_json::Number) -> Result<Plain> {
    let fits = |i: i64| match kind {
        Num::I8 => i8::try_from(i).is_ok(),
        Num::I16 => i16::try_from(i).is_ok(),
        Num::I32 | Num::IntEnum => i32::try_from(i).is_ok(),
        Num::I64 => true,
        Num::Usize => usize::try_from(i).is_ok(),
        Num::F32 | Num::F64 => false,
    };
    let (x, lit, float) = match n.as_i64() {
        _ if kind.is_float() => (x, number_literal(n, Num::F64)?, true),
        Some(i) if fits(i) => (x, number_literal(n, kind)?, false),
        Some(_) => (to_i64(x, kind), number_literal(n, Num::I64)?, false),
        None => (to_f64(x, kind), number_literal(n, Num::F64)?, true),
    };
    Ok(cmp_expr(op, &operand(x), &lit, !float))
}

/// A number literal of the Rust type `kind` (unsuffixed: the other operand types it).
fn number_literal(n: &serde_json::Number, kind: Num) -> Result<TokenStream> {
    if !kind.is_float() {
        if let Some(i) = n.as_i64() {
            let abs = Literal::u64_unsuffixed(i.unsigned_abs());
            return Ok(if i < 0 { quote!(-#abs) } else { quote!(#abs) });
        }
    }
    let f = n.as_f64().ok_or("a number literal is not finite")?;
    let abs = Literal::f64_unsuffixed(f.abs());
    Ok(if f < 0.0 { quote!(-#abs) } else { quote!(#abs) })
}

fn to_i64(code: TokenStream, kind: Num) -> TokenStream {
    match kind {
        Num::I64 => code,
        Num::I8 | Num::I16 | Num::I32 | Num::IntEnum => quote!(i64::from(#code)),
        // Lengths fit in `i64`.
        Num::Usize | Num::F32 | Num::F64 => {
            let code = atom(code);
            quote!((#code as i64))
        }
    }
}

fn to_f64(code: TokenStream, kind: Num) -> TokenStream {
    match kind {
        Num::F64 => code,
        Num::I8 | Num::I16 | Num::I32 | Num::F32 | Num::IntEnum => quote!(f64::from(#code)),
        Num::I64 | Num::Usize => {
            let code = atom(code);
            quote!((#code as f64))
        }
    }
}

/// `a && b`, `a || b` between booleans (JMESPath gives the deciding operand).
fn and_or<'a>(and: bool, a: Value<'a>, b: Value<'a>) -> Result<Value<'a>> {
    let word = if and { "&&" } else { "||" };
    let mut parts = Vec::new();
    for side in [a, b] {
        let Ty::Bool = side.ty else {
            return Err(format!(
                "`{word}` is supported between booleans only, not {}",
                describe_value(&side)
            ));
        };
        parts.push(match side.val {
            Val::Lit(json) => Val::Plain(lit_plain(&json)?.1),
            val => val,
        });
    }
    let (Some(right), Some(left)) = (parts.pop(), parts.pop()) else {
        return Err("internal error: an operand went missing".into());
    };
    match (left, right) {
        (Val::Plain(x), Val::Plain(y)) => {
            let wrap = |code: TokenStream| {
                // `a || b` inside `&&` keeps its parentheses.
                let or = matches!(syn::parse2::<syn::Expr>(code.clone()), Ok(syn::Expr::Binary(b)) if matches!(b.op, syn::BinOp::Or(_)));
                if and && or {
                    quote!((#code))
                } else {
                    code
                }
            };
            let (x, y) = (wrap(plain_code(&x)), wrap(plain_code(&y)));
            Ok(boolean(expr(if and {
                quote!(#x && #y)
            } else {
                quote!(#x || #y)
            })))
        }
        (Val::Plain(x), y) => {
            // `x` decides alone when it is `false` (for `&&`) or `true` (for `||`).
            let x = plain_code(&x);
            let y = match y {
                Val::Opt(opt) => render_opt(&opt),
                _ => return Err("internal error: a boolean is neither plain nor optional".into()),
            };
            let (then, otherwise) = if and {
                (y, some(quote!(false)))
            } else {
                (some(quote!(true)), y)
            };
            Ok(Value {
                ty: Ty::Bool,
                val: Val::Opt(Opt {
                    base: quote!(if #x { #then } else { #otherwise }),
                    field: None,
                    hint: None,
                    steps: Vec::new(),
                }),
            })
        }
        (x, y) => {
            let as_option = |val: Val<'_>| match val {
                Val::Opt(opt) => Ok(render_opt(&opt)),
                Val::Plain(plain) => Ok(some(plain_code(&plain))),
                _ => Err("internal error: a boolean is neither plain nor optional".to_owned()),
            };
            let (x, y) = (as_option(x)?, as_option(y)?);
            let some_true = some(quote!(true));
            let base = if and {
                quote!(match #x { #some_true => #y, other => other })
            } else {
                quote!(match #x { #some_true => #some_true, _ => #y })
            };
            Ok(Value {
                ty: Ty::Bool,
                val: Val::Opt(Opt {
                    base,
                    field: None,
                    hint: None,
                    steps: Vec::new(),
                }),
            })
        }
    }
}

// ----- rendering ------------------------------------------------------------

/// The value itself (a reference for non-`Copy` types).
fn plain_code(plain: &Plain) -> TokenStream {
    match plain {
        Plain::Place {
            code, copy: true, ..
        } => code.clone(),
        Plain::Place {
            code, boxed: true, ..
        } => quote!(&*#code),
        Plain::Place { code, .. } => quote!(&#code),
        Plain::Expr { code, .. } => code.clone(),
        Plain::Len(recv) => quote!(#recv.len()),
    }
}

/// The value as the receiver of a method call or field access.
fn receiver(plain: &Plain) -> TokenStream {
    match plain {
        Plain::Place { code, .. } => code.clone(),
        Plain::Expr { code, .. } => atom(code.clone()),
        Plain::Len(recv) => quote!(#recv.len()),
    }
}

/// The text of a string value as `&str`.
fn str_code(plain: &Plain, kind: StrKind) -> TokenStream {
    match kind {
        StrKind::Slice => plain_code(plain),
        StrKind::String | StrKind::Enum => {
            let recv = receiver(plain);
            quote!(#recv.as_str())
        }
    }
}

/// The negation of a boolean.
fn negate(plain: Plain) -> Plain {
    match plain {
        Plain::Expr {
            code,
            not: Some(not),
        } => Plain::Expr {
            code: not,
            not: Some(code),
        },
        other => {
            let code = plain_code(&other);
            let not = match syn::parse2::<syn::Expr>(code.clone()) {
                Ok(syn::Expr::Unary(syn::ExprUnary {
                    op: syn::UnOp::Not(_),
                    expr,
                    ..
                })) => quote!(#expr),
                _ => {
                    let code = atom(code.clone());
                    quote!(!#code)
                }
            };
            Plain::Expr {
                code: not,
                not: Some(code),
            }
        }
    }
}

fn render_opt(opt: &Opt) -> TokenStream {
    let mut code = opt.base.clone();
    for step in &opt.steps {
        let recv = atom(code);
        code = match &step.body {
            Body::Map(plain) => {
                let body = plain_code(plain);
                let param = closure_param(step.param.clone(), &body);
                quote!(#recv.map(|#param| #body))
            }
            Body::AndThen(body) => {
                let param = closure_param(step.param.clone(), body);
                quote!(#recv.and_then(|#param| #body))
            }
        };
    }
    code
}

/// How iteration over a collection starts.
fn start(ty: &Ty<'_>, recv: &TokenStream) -> TokenStream {
    match ty {
        Ty::List(_, Coll::Array) => quote!(#recv.into_iter()),
        Ty::Map(_) => quote!(#recv.values()),
        _ => quote!(#recv.iter()),
    }
}

/// The list as an iterator, a null list iterating as an empty one (which is
/// what every consumer of it here wants: projections drop nulls, and the list
/// comparators match neither).
fn into_iter_code(seq: &Seq<'_>) -> Result<TokenStream> {
    let adapters = render_adapters(&seq.adapters)?;
    let head = match &seq.source.val {
        Val::Plain(plain) => start(&seq.source.ty, &receiver(plain)),
        Val::Opt(opt) => {
            let option = match (&opt.field, opt.steps.is_empty()) {
                (Some(field), true) => quote!(#field.iter()),
                _ => {
                    let code = atom(render_opt(opt));
                    quote!(#code.into_iter())
                }
            };
            match seq.source.ty {
                Ty::Map(_) => quote!(#option.flat_map(|map| map.values())),
                _ => quote!(#option.flatten()),
            }
        }
        _ => return Err("internal error: a list's source is not a collection".into()),
    };
    Ok(quote!(#head #adapters))
}

fn render_adapters(adapters: &[Adapter<'_>]) -> Result<TokenStream> {
    let mut code = TokenStream::new();
    for adapter in adapters {
        code.extend(match adapter {
            Adapter::Copied => quote!(.copied()),
            Adapter::AsRef => quote!(.map(Option::as_ref)),
            Adapter::Filter(test) => {
                let param = if mentions(test, "v") {
                    quote!(&v)
                } else {
                    quote!(_)
                };
                quote!(.filter(|#param| #test))
            }
            Adapter::Map(plain) => {
                let body = plain_code(plain);
                let param = closure_param(quote!(v), &body);
                quote!(.map(|#param| #body))
            }
            Adapter::MapOpt(body) => {
                let param = closure_param(quote!(v), body);
                quote!(.map(|#param| #body))
            }
            Adapter::FilterMap(body) => {
                let param = closure_param(quote!(v), body);
                quote!(.filter_map(|#param| #body))
            }
            Adapter::Flatten => quote!(.flatten()),
            Adapter::FlatMap(body) => {
                let param = closure_param(quote!(v), body);
                quote!(.flat_map(|#param| #body))
            }
            Adapter::Pending(_) => {
                return Err("internal error: computed lists were not flattened".into())
            }
        });
    }
    Ok(code)
}

/// `_` for a parameter the body does not use.
fn closure_param(param: TokenStream, body: &TokenStream) -> TokenStream {
    let mut tokens = param.clone().into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Ident(name)), None) if !mentions(body, &name.to_string()) => quote!(_),
        _ => param,
    }
}

/// Whether `code` uses the identifier `name`.
fn mentions(code: &TokenStream, name: &str) -> bool {
    code.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

/// A parameter name for an `Option` closure: the member's name when it is a
/// plain identifier that cannot capture anything, else one by type.
fn param_name(ty: &Ty<'_>, hint: Option<&str>) -> TokenStream {
    const RESERVED: &[&str] = &[
        "v", "input", "output", "item", "a", "b", "x", "map", "other",
    ];
    if let Some(hint) = hint.filter(|h| !RESERVED.contains(h) && !h.starts_with("r#")) {
        if let Ok(name) = syn::parse_str::<Ident>(hint) {
            return quote!(#name);
        }
    }
    let name = match ty {
        Ty::Str(_) => "s",
        Ty::Num(_) => "n",
        Ty::Bool => "flag",
        Ty::List(..) => "list",
        Ty::Map(_) => "entries",
        _ => "value",
    };
    let name = Ident::new(name, Span::call_site());
    quote!(#name)
}

/// Parenthesized unless it is a postfix-safe expression.
fn atom(code: TokenStream) -> TokenStream {
    match syn::parse2::<syn::Expr>(code.clone()) {
        Ok(
            syn::Expr::Path(_)
            | syn::Expr::Field(_)
            | syn::Expr::MethodCall(_)
            | syn::Expr::Call(_)
            | syn::Expr::Lit(_)
            | syn::Expr::Paren(_)
            | syn::Expr::Array(_)
            | syn::Expr::Macro(_)
            | syn::Expr::Tuple(_),
        ) => code,
        _ => quote!((#code)),
    }
}

/// Parenthesized when it would bind differently as the operand of a comparison.
fn operand(code: TokenStream) -> TokenStream {
    match syn::parse2::<syn::Expr>(code.clone()) {
        Ok(syn::Expr::Unary(_) | syn::Expr::Reference(_)) => code,
        _ => atom(code),
    }
}

fn describe(ty: &Ty<'_>) -> String {
    match ty {
        Ty::Root { .. } => "the inputOutput root object".into(),
        Ty::Struct(s) => format!("structure `{}`", s.rust_name),
        Ty::Union(u) => format!("union `{}`", u.rust_name),
        Ty::Str(_) => "a string".into(),
        Ty::Bool => "a boolean".into(),
        Ty::Num(_) => "a number".into(),
        Ty::List(item, _) => format!("a list of {}", plural(&item.ty)),
        Ty::Map(item) => format!("a map of {}", plural(&item.ty)),
        Ty::Pending => "a list of computed lists".into(),
        Ty::Null => "null".into(),
        Ty::Opaque(what) => (*what).into(),
    }
}

fn plural(ty: &Ty<'_>) -> String {
    match ty {
        Ty::Struct(s) => format!("`{}` structures", s.rust_name),
        Ty::Union(u) => format!("`{}` unions", u.rust_name),
        Ty::Str(_) => "strings".into(),
        Ty::Bool => "booleans".into(),
        Ty::Num(_) => "numbers".into(),
        Ty::List(..) | Ty::Pending => "lists".into(),
        Ty::Map(_) => "maps".into(),
        other => describe(other),
    }
}

fn describe_value(value: &Value<'_>) -> String {
    match &value.val {
        Val::Seq(seq) => format!("a list of {}", plural(&seq.item.ty)),
        Val::Lit(json) => format!("the literal `{json}`"),
        _ => describe(&value.ty),
    }
}
