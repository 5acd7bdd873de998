//! `smithy.rules#endpointRuleSet` → a typed, checked rule tree.
//!
//! The trait's JSON is read in one pass that parses and type-checks together,
//! walking the rules in evaluation order with a scope of the variables each
//! point can see: the parameters, and what earlier conditions `assign`ed. The
//! result is what [`crate::emit::endpoint`] turns into straight Rust code, so
//! everything that could go wrong is found here, as an [`Error`] naming the
//! service, where in the rule set (`rules[1].conditions[0].argv[1]`) and what
//! is wrong:
//! - parameters: type `string` or `boolean` (`stringArray` is not supported),
//!   a default of that type, names that are distinct in Rust;
//! - rules: `endpoint`, `error` or `tree`, with their conditions;
//! - conditions and expressions: the functions `isSet`, `not`,
//!   `booleanEquals`, `stringEquals`, `getAttr` and `aws.partition` (the ones
//!   the pinned models use; any other is an "unsupported function" error),
//!   arguments of the right type and arity, references to variables in scope,
//!   and no use of a value that may be unset without an `isSet` (or `assign`)
//!   first, as the rules engine's type checker requires;
//! - strings are templates: `{Var}` and `{Var#attr}` are filled from
//!   variables, `{{` and `}}` stand for braces.
//!
//! Narrowing follows the rules engine: `isSet(Ref)` proves `Ref` set for the
//! later conditions of its rule and for the rule's body, and an `assign`ed
//! value is set. Conditions that are constant are folded away, rules that can
//! never run (a constantly false condition, or after a rule that always
//! matches) are dropped, and bindings nobody reads are not bound, so the
//! emitted code has no dead branches or unused variables.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::partitions::ATTRIBUTES;
use crate::traits::kind_of;

/// The trait id, for messages.
const TRAIT: &str = "smithy.rules#endpointRuleSet";

/// The functions this generator compiles.
const SUPPORTED: &str = "isSet, not, booleanEquals, stringEquals, getAttr, aws.partition";

/// A checked rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The parameters, in model order.
    pub parameters: Vec<Parameter>,
    /// The top-level rules, in evaluation order (rules that can never match are dropped).
    pub rules: Vec<Rule>,
    /// Whether some condition calls `aws.partition` (the resolver then needs partition data).
    pub uses_partitions: bool,
}

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
}

/// A parameter's default value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A string default.
    String(String),
    /// A boolean default.
    Bool(bool),
}

/// One rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name in the rule set (`UseFIPS`).
    pub name: String,
    /// Rust field name (`use_fips`).
    pub rust_name: String,
    /// Its type.
    pub ty: ParamType,
    /// `required`.
    pub required: bool,
    /// `default`.
    pub default: Option<ParamValue>,
    /// `builtIn` (`AWS::Region`).
    pub built_in: Option<String>,
    /// `documentation`, as Markdown.
    pub docs: String,
    /// `deprecated`, as a sentence, when deprecated.
    pub deprecated: Option<String>,
    /// Whether any rule reads it.
    pub used: bool,
}

impl Parameter {
    /// Whether the value may be unset when rules run: neither required nor defaulted.
    pub fn optional(&self) -> bool {
        !self.required && self.default.is_none()
    }
}

/// The static type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A string (`&str` in emitted code).
    String,
    /// A boolean.
    Bool,
    /// An integer literal.
    Int,
    /// What `aws.partition` returns (`&PartitionOutputs` in emitted code).
    Partition,
}

impl Type {
    fn describe(self) -> &'static str {
        match self {
            Type::String => "a string",
            Type::Bool => "a boolean",
            Type::Int => "an integer",
            Type::Partition => "a partition",
        }
    }
}

/// A checked expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
    /// Whether it may be unset (`Option` in emitted code).
    pub optional: bool,
}

/// The expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A string without placeholders.
    Text(String),
    /// A string with placeholders, each filled with a non-optional string.
    Template(Vec<Part>),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A variable: a parameter or an assigned value, by Rust name.
    Var(String),
    /// `not`.
    Not(Box<Expr>),
    /// `isSet` of an optional value.
    IsSet(Box<Expr>),
    /// `booleanEquals`.
    BoolEquals(Box<Expr>, Box<Expr>),
    /// `stringEquals`.
    StringEquals(Box<Expr>, Box<Expr>),
    /// `getAttr` of a partition: the runtime `PartitionOutputs` field.
    PartitionAttr(Box<Expr>, &'static str),
    /// `aws.partition` of a region.
    Partition(Box<Expr>),
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Literal text (braces unescaped).
    Text(String),
    /// A placeholder's value (a non-optional string).
    Value(Expr),
}

/// A checked condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Passes when the boolean is true.
    Test(Expr),
    /// Passes when the optional value is set; binds the value when `bind` is `Some`.
    IfSome {
        /// The optional value.
        value: Expr,
        /// Rust name to bind the value to.
        bind: Option<String>,
    },
    /// Always passes; binds a value (never optional).
    Let {
        /// The value.
        value: Expr,
        /// Rust name to bind it to.
        bind: String,
    },
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its conditions, in order (constant ones folded away).
    pub conditions: Vec<Condition>,
    /// What it gives when they pass.
    pub outcome: Outcome,
}

impl Rule {
    /// Whether the rule always matches (no condition can fail).
    pub fn always_matches(&self) -> bool {
        self.conditions
            .iter()
            .all(|c| matches!(c, Condition::Let { .. }))
    }
}

/// What a rule gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An endpoint.
    Endpoint(EndpointSpec),
    /// An error with this message (a string).
    Error(Expr),
    /// Nested rules; if none matches, resolution fails.
    Tree(Vec<Rule>),
}

/// An endpoint rule's endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointSpec {
    /// The URL (a string).
    pub url: Expr,
    /// Headers in model order, each with its values (strings).
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Properties in model order.
    pub properties: Vec<(String, Literal)>,
}

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string (a template).
    String(Expr),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array.
    Array(Vec<Literal>),
    /// An object, in model order.
    Record(Vec<(String, Literal)>),
}

impl RuleSet {
    /// Parses and checks the trait value of service `service`.
    pub fn parse(service: &str, value: &Value) -> Result<Self> {
        let mut checker = Checker {
            service,
            scope: Vec::new(),
            param_used: Vec::new(),
            uses_partitions: false,
        };
        let root = value.as_object().ok_or_else(|| {
            checker.err(
                "the trait value",
                format!("must be an object, found {}", kind_of(value)),
            )
        })?;
        match root.get("version") {
            Some(Value::String(_)) => {}
            other => {
                return Err(checker.err(
                    "version",
                    format!("must be a string, found {}", describe(other)),
                ))
            }
        }
        let params = match root.get("parameters") {
            Some(Value::Object(params)) => params,
            other => {
                return Err(checker.err(
                    "parameters",
                    format!("must be an object, found {}", describe(other)),
                ))
            }
        };
        let mut parameters = Vec::with_capacity(params.len());
        for (name, param) in params {
            parameters.push(checker.parameter(name, param)?);
        }
        crate::naming::check_unique(
            service,
            "endpoint rule-set parameters",
            parameters
                .iter()
                .map(|p| (p.name.as_str(), p.rust_name.as_str())),
        )?;
        for (index, p) in parameters.iter().enumerate() {
            checker.scope.push(Binding {
                name: p.name.clone(),
                rust: p.rust_name.clone(),
                ty: match p.ty {
                    ParamType::String => Type::String,
                    ParamType::Boolean => Type::Bool,
                },
                optional: p.optional(),
                used: false,
                param: Some(index),
            });
            checker.param_used.push(false);
        }
        let rules = checker.rules(root.get("rules"), "rules")?;
        for (p, used) in parameters.iter_mut().zip(&checker.param_used) {
            p.used = *used;
        }
        Ok(RuleSet {
            parameters,
            rules,
            uses_partitions: checker.uses_partitions,
        })
    }
}

/// A variable visible at some point of the rules.
struct Binding {
    /// Name in the rule set.
    name: String,
    /// Rust local name.
    rust: String,
    ty: Type,
    optional: bool,
    /// Read by some expression.
    used: bool,
    /// The parameter it is (not set for narrowed or assigned values).
    param: Option<usize>,
}

struct Checker<'a> {
    service: &'a str,
    scope: Vec<Binding>,
    param_used: Vec<bool>,
    uses_partitions: bool,
}

/// A condition after checking: folded to a constant, or kept (with the scope index of
/// the binding it introduces, if any, to drop the binding when nothing reads it).
enum Checked {
    Always,
    Never,
    Keep(Condition, Option<usize>),
    /// A boolean condition with `assign`: `let bind = test; if bind`.
    TestAssign(Expr, String, usize),
}

impl Checker<'_> {
    fn err(&self, at: &str, what: impl std::fmt::Display) -> Error {
        Error::shape(self.service, format!("`{TRAIT}`: {at}: {what}"))
    }

    fn parameter(&self, name: &str, value: &Value) -> Result<Parameter> {
        let at = format!("parameters.{name}");
        if !is_name(name, false) {
            return Err(self.err(
                &at,
                "a parameter name must be a letter followed by letters and digits",
            ));
        }
        let obj = value
            .as_object()
            .ok_or_else(|| self.err(&at, format!("must be an object, found {}", kind_of(value))))?;
        let ty = match obj.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
            Some(t) if t.eq_ignore_ascii_case("stringArray") => {
                return Err(self.err(
                    &at,
                    "parameter type `stringArray` is not supported by this generator",
                ))
            }
            Some(t) => {
                return Err(self.err(
                    &at,
                    format!("unknown parameter type `{t}` (expected `string` or `boolean`)"),
                ))
            }
            None => return Err(self.err(&at, "has no string `type`")),
        };
        let required = match obj.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(self.err(
                    &format!("{at}.required"),
                    format!("must be a boolean, found {}", kind_of(other)),
                ))
            }
        };
        let default = match (obj.get("default"), ty) {
            (None, _) => None,
            (Some(Value::String(s)), ParamType::String) => Some(ParamValue::String(s.clone())),
            (Some(Value::Bool(b)), ParamType::Boolean) => Some(ParamValue::Bool(*b)),
            (Some(other), _) => {
                return Err(self.err(
                    &format!("{at}.default"),
                    format!(
                        "must be {} like the parameter, found {}",
                        if ty == ParamType::String {
                            "a string"
                        } else {
                            "a boolean"
                        },
                        kind_of(other)
                    ),
                ))
            }
        };
        let text = |key: &str| -> Result<Option<String>> {
            match obj.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(self.err(
                    &format!("{at}.{key}"),
                    format!("must be a string, found {}", kind_of(other)),
                )),
            }
        };
        let built_in = text("builtIn")?;
        let docs = text("documentation")?
            .map(|d| crate::docs::html_to_markdown(&d))
            .unwrap_or_default();
        let deprecated = match obj.get("deprecated") {
            None => None,
            Some(Value::Object(d)) => {
                let mut note = String::from("Deprecated");
                if let Some(since) = d.get("since").and_then(Value::as_str) {
                    note.push_str(&format!(" since {since}"));
                }
                if let Some(message) = d.get("message").and_then(Value::as_str) {
                    note.push_str(&format!(": {message}"));
                }
                Some(crate::docs::html_to_markdown(&note))
            }
            Some(other) => {
                return Err(self.err(
                    &format!("{at}.deprecated"),
                    format!("must be an object, found {}", kind_of(other)),
                ))
            }
        };
        Ok(Parameter {
            name: name.to_owned(),
            rust_name: crate::naming::field_name(name),
            ty,
            required,
            default,
            built_in,
            docs,
            deprecated,
            used: false,
        })
    }

    fn rules(&mut self, value: Option<&Value>, at: &str) -> Result<Vec<Rule>> {
        let list = match value {
            Some(Value::Array(list)) => list,
            other => {
                return Err(self.err(
                    at,
                    format!("must be an array of rules, found {}", describe(other)),
                ))
            }
        };
        if list.is_empty() {
            return Err(self.err(at, "must hold at least one rule"));
        }
        let mut rules = Vec::with_capacity(list.len());
        // Rules after one that always matches are checked, but never run.
        let mut reachable = true;
        for (index, rule) in list.iter().enumerate() {
            let before = self.used_flags();
            match self.rule(rule, &format!("{at}[{index}]"))? {
                Some(rule) if reachable => {
                    reachable = !rule.always_matches();
                    rules.push(rule);
                }
                // What a dropped rule reads is not read: no unused bindings in the emitted code.
                _ => self.restore_used_flags(before),
            }
        }
        Ok(rules)
    }

    /// Which bindings in scope and which parameters have been read so far.
    fn used_flags(&self) -> (Vec<bool>, Vec<bool>) {
        (
            self.scope.iter().map(|b| b.used).collect(),
            self.param_used.clone(),
        )
    }

    fn restore_used_flags(&mut self, (scope, params): (Vec<bool>, Vec<bool>)) {
        for (binding, used) in self.scope.iter_mut().zip(scope) {
            binding.used = used;
        }
        self.param_used = params;
    }

    /// Checks one rule; `None` when a condition is constantly false.
    fn rule(&mut self, value: &Value, at: &str) -> Result<Option<Rule>> {
        let obj = value
            .as_object()
            .ok_or_else(|| self.err(at, format!("must be an object, found {}", kind_of(value))))?;
        let kind = obj
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(at, "has no string `type`"))?;
        let conditions = match obj.get("conditions") {
            Some(Value::Array(list)) => list,
            other => {
                return Err(self.err(
                    &format!("{at}.conditions"),
                    format!("must be an array, found {}", describe(other)),
                ))
            }
        };
        let mark = self.scope.len();
        let mut checked = Vec::with_capacity(conditions.len());
        let mut never = false;
        for (index, condition) in conditions.iter().enumerate() {
            match self.condition(condition, &format!("{at}.conditions[{index}]"))? {
                Checked::Always => {}
                Checked::Never => never = true,
                other => checked.push(other),
            }
        }
        let outcome = match kind {
            "endpoint" => Outcome::Endpoint(self.endpoint(obj.get("endpoint"), at)?),
            "error" => {
                let at = format!("{at}.error");
                let value = obj
                    .get("error")
                    .ok_or_else(|| self.err(at.as_str(), "an error rule needs a message"))?;
                let message = self.expr(value, &at)?;
                self.expect(&message, Type::String, &at, "the error message")?;
                Outcome::Error(message)
            }
            "tree" => Outcome::Tree(self.rules(obj.get("rules"), &format!("{at}.rules"))?),
            other => {
                return Err(self.err(
                    &format!("{at}.type"),
                    format!("unknown rule type `{other}` (expected `endpoint`, `error` or `tree`)"),
                ))
            }
        };
        // Bindings nobody read are not bound.
        let mut conditions = Vec::with_capacity(checked.len());
        for condition in checked {
            match condition {
                Checked::Keep(condition, None) => conditions.push(condition),
                Checked::Keep(condition, Some(index)) => {
                    let used = self.scope.get(index).is_some_and(|b| b.used);
                    conditions.push(match condition {
                        Condition::IfSome { value, .. } if !used => {
                            Condition::IfSome { value, bind: None }
                        }
                        // An unread value that always exists has no effect.
                        Condition::Let { .. } if !used => continue,
                        kept => kept,
                    })
                }
                Checked::TestAssign(test, bind, index) => {
                    if self.scope.get(index).is_some_and(|b| b.used) {
                        conditions.push(Condition::Let {
                            value: test,
                            bind: bind.clone(),
                        });
                        conditions.push(Condition::Test(Expr {
                            kind: ExprKind::Var(bind),
                            ty: Type::Bool,
                            optional: false,
                        }));
                    } else {
                        conditions.push(Condition::Test(test));
                    }
                }
                Checked::Always | Checked::Never => {}
            }
        }
        self.scope.truncate(mark);
        Ok((!never).then_some(Rule {
            conditions,
            outcome,
        }))
    }

    fn condition(&mut self, value: &Value, at: &str) -> Result<Checked> {
        let obj = value
            .as_object()
            .ok_or_else(|| self.err(at, format!("must be an object, found {}", kind_of(value))))?;
        if !obj.contains_key("fn") {
            return Err(self.err(at, "a condition must call a function (`fn`)"));
        }
        let assign = match obj.get("assign") {
            None => None,
            Some(Value::String(name)) => Some(name.as_str()),
            Some(other) => {
                return Err(self.err(
                    &format!("{at}.assign"),
                    format!("must be a string, found {}", kind_of(other)),
                ))
            }
        };
        // `isSet(Ref)` proves `Ref` set from here on.
        if assign.is_none() && obj.get("fn").and_then(Value::as_str) == Some("isSet") {
            if let Some(name) = single_ref(obj.get("argv")) {
                if let Some(index) = self.lookup(name) {
                    let binding = &self.scope[index];
                    if binding.optional {
                        let (rust, ty) = (binding.rust.clone(), binding.ty);
                        self.mark_used(index);
                        self.scope.push(Binding {
                            name: name.to_owned(),
                            rust: rust.clone(),
                            ty,
                            optional: false,
                            used: false,
                            param: None,
                        });
                        let value = Expr {
                            kind: ExprKind::Var(rust.clone()),
                            ty,
                            optional: true,
                        };
                        let condition = Condition::IfSome {
                            value,
                            bind: Some(rust),
                        };
                        return Ok(Checked::Keep(condition, Some(self.scope.len() - 1)));
                    }
                }
            }
        }
        let value = self.call(obj, at)?;
        let Some(name) = assign else {
            return Ok(if value.optional {
                Checked::Keep(Condition::IfSome { value, bind: None }, None)
            } else if value.ty == Type::Bool {
                match value.kind {
                    ExprKind::Bool(true) => Checked::Always,
                    ExprKind::Bool(false) => Checked::Never,
                    _ => Checked::Keep(Condition::Test(value), None),
                }
            } else {
                // A value that always exists: the condition always passes.
                Checked::Always
            });
        };
        let at = format!("{at}.assign");
        if !is_name(name, true) {
            return Err(self.err(
                &at,
                format!("`{name}` is not a valid name (a letter, then letters, digits or `_`)"),
            ));
        }
        let rust = crate::naming::field_name(name);
        if let Some(existing) = self.scope.iter().find(|b| {
            b.name == name || crate::naming::unraw(&b.rust) == crate::naming::unraw(&rust)
        }) {
            return Err(self.err(
                &at,
                format!(
                    "`{name}` would shadow `{}`, which is already in scope",
                    existing.name
                ),
            ));
        }
        self.scope.push(Binding {
            name: name.to_owned(),
            rust: rust.clone(),
            ty: value.ty,
            optional: false,
            used: false,
            param: None,
        });
        let index = self.scope.len() - 1;
        Ok(if value.optional {
            Checked::Keep(
                Condition::IfSome {
                    value,
                    bind: Some(rust),
                },
                Some(index),
            )
        } else if value.ty == Type::Bool {
            Checked::TestAssign(value, rust, index)
        } else {
            Checked::Keep(Condition::Let { value, bind: rust }, Some(index))
        })
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.scope.iter().rposition(|b| b.name == name)
    }

    fn mark_used(&mut self, index: usize) {
        if let Some(binding) = self.scope.get_mut(index) {
            binding.used = true;
            if let Some(param) = binding.param {
                if let Some(used) = self.param_used.get_mut(param) {
                    *used = true;
                }
            }
        }
    }

    /// A reference to a variable in scope.
    fn reference(&mut self, name: &str, at: &str) -> Result<Expr> {
        let index = self.lookup(name).ok_or_else(|| {
            self.err(
                at,
                format!("`{name}` is neither a parameter nor assigned by an earlier condition"),
            )
        })?;
        self.mark_used(index);
        let binding = &self.scope[index];
        Ok(Expr {
            kind: ExprKind::Var(binding.rust.clone()),
            ty: binding.ty,
            optional: binding.optional,
        })
    }

    fn expr(&mut self, value: &Value, at: &str) -> Result<Expr> {
        match value {
            Value::String(text) => self.template(text, at),
            Value::Bool(b) => Ok(constant(ExprKind::Bool(*b), Type::Bool)),
            Value::Number(n) => n
                .as_i64()
                .map(|i| constant(ExprKind::Int(i), Type::Int))
                .ok_or_else(|| self.err(at, format!("the number {n} is not an integer"))),
            Value::Object(obj) if obj.contains_key("ref") => match obj.get("ref") {
                Some(Value::String(name)) => self.reference(name, at),
                _ => Err(self.err(at, "`ref` must name a variable with a string")),
            },
            Value::Object(obj) if obj.contains_key("fn") => self.call(obj, at),
            other => Err(self.err(
                at,
                format!(
                    "expected an expression (a string, a boolean, a number, `{{\"ref\": …}}` or `{{\"fn\": …}}`), found {}",
                    kind_of(other)
                ),
            )),
        }
    }

    fn call(&mut self, obj: &Map<String, Value>, at: &str) -> Result<Expr> {
        let name = match obj.get("fn") {
            Some(Value::String(name)) => name.as_str(),
            other => {
                return Err(self.err(
                    &format!("{at}.fn"),
                    format!("must be a function name, found {}", describe(other)),
                ))
            }
        };
        let argv = match obj.get("argv") {
            Some(Value::Array(argv)) => argv,
            other => {
                return Err(self.err(
                    &format!("{at}.argv"),
                    format!("must be an array of arguments, found {}", describe(other)),
                ))
            }
        };
        let arity = match name {
            "isSet" | "not" | "aws.partition" => 1,
            "booleanEquals" | "stringEquals" | "getAttr" => 2,
            _ => {
                return Err(self.err(
                    &format!("{at}.fn"),
                    format!(
                    "function `{name}` is not supported by this generator (supported: {SUPPORTED})"
                ),
                ))
            }
        };
        if argv.len() != arity {
            return Err(self.err(
                &format!("{at}.argv"),
                format!(
                    "`{name}` takes {arity} argument{}, found {}",
                    if arity == 1 { "" } else { "s" },
                    argv.len()
                ),
            ));
        }
        let arg_at = |i: usize| format!("{at}.argv[{i}]");
        let boxed = Box::new;
        match name {
            "isSet" => {
                let value = self.expr(&argv[0], &arg_at(0))?;
                Ok(if value.optional {
                    bool_expr(ExprKind::IsSet(boxed(value)))
                } else {
                    constant(ExprKind::Bool(true), Type::Bool)
                })
            }
            "not" => {
                let value = self.arg(&argv[0], &arg_at(0), name, Type::Bool)?;
                Ok(match value.kind {
                    ExprKind::Bool(b) => constant(ExprKind::Bool(!b), Type::Bool),
                    _ => bool_expr(ExprKind::Not(boxed(value))),
                })
            }
            "booleanEquals" => {
                let a = self.arg(&argv[0], &arg_at(0), name, Type::Bool)?;
                let b = self.arg(&argv[1], &arg_at(1), name, Type::Bool)?;
                Ok(match (&a.kind, &b.kind) {
                    (ExprKind::Bool(x), ExprKind::Bool(y)) => {
                        constant(ExprKind::Bool(x == y), Type::Bool)
                    }
                    _ => bool_expr(ExprKind::BoolEquals(boxed(a), boxed(b))),
                })
            }
            "stringEquals" => {
                let a = self.arg(&argv[0], &arg_at(0), name, Type::String)?;
                let b = self.arg(&argv[1], &arg_at(1), name, Type::String)?;
                Ok(match (&a.kind, &b.kind) {
                    (ExprKind::Text(x), ExprKind::Text(y)) => {
                        constant(ExprKind::Bool(x == y), Type::Bool)
                    }
                    _ => bool_expr(ExprKind::StringEquals(boxed(a), boxed(b))),
                })
            }
            "getAttr" => {
                let target = self.expr(&argv[0], &arg_at(0))?;
                let path = match &argv[1] {
                    Value::String(path) => path.as_str(),
                    other => {
                        return Err(self.err(
                            &arg_at(1),
                            format!(
                                "the `getAttr` path must be a string, found {}",
                                kind_of(other)
                            ),
                        ))
                    }
                };
                self.attribute(target, path, &arg_at(1), &arg_at(0))
            }
            "aws.partition" => {
                let region = self.arg(&argv[0], &arg_at(0), name, Type::String)?;
                self.uses_partitions = true;
                Ok(Expr {
                    kind: ExprKind::Partition(boxed(region)),
                    ty: Type::Partition,
                    optional: true,
                })
            }
            _ => Err(self.err(at, format!("function `{name}` is not supported"))),
        }
    }

    /// An argument that must be a set value of type `ty`.
    fn arg(&mut self, value: &Value, at: &str, function: &str, ty: Type) -> Result<Expr> {
        let expr = self.expr(value, at)?;
        self.expect(&expr, ty, at, &format!("this argument of `{function}`"))?;
        Ok(expr)
    }

    fn expect(&self, expr: &Expr, ty: Type, at: &str, what: &str) -> Result<()> {
        if expr.ty != ty {
            return Err(self.err(
                at,
                format!(
                    "{what} must be {}, found {}",
                    ty.describe(),
                    expr.ty.describe()
                ),
            ));
        }
        if expr.optional {
            return Err(self.err(
                at,
                format!(
                    "{what} may be unset here: check it with `isSet` (or bind it with `assign`) in an earlier condition"
                ),
            ));
        }
        Ok(())
    }

    /// `getAttr(target, path)`; `at` is the path's location, `target_at` the target's.
    fn attribute(&self, target: Expr, path: &str, at: &str, target_at: &str) -> Result<Expr> {
        let segments = parse_path(path)
            .map_err(|what| self.err(at, format!("invalid `getAttr` path `{path}`: {what}")))?;
        if target.optional {
            return Err(self.err(
                target_at,
                "the `getAttr` target may be unset here: check it with `isSet` (or bind it with `assign`) in an earlier condition",
            ));
        }
        match target.ty {
            Type::Partition => {
                let [Segment::Attr(name)] = segments.as_slice() else {
                    return Err(self.err(
                        at,
                        format!(
                            "`getAttr` path `{path}`: a partition has only plain attributes, no nested paths or indexes"
                        ),
                    ));
                };
                let (_, field, is_bool) = ATTRIBUTES
                    .iter()
                    .find(|(attr, _, _)| attr == name)
                    .ok_or_else(|| {
                        let known: Vec<&str> = ATTRIBUTES.iter().map(|(a, _, _)| *a).collect();
                        self.err(
                            at,
                            format!(
                                "a partition has no attribute `{name}` (it has {})",
                                known.join(", ")
                            ),
                        )
                    })?;
                Ok(Expr {
                    kind: ExprKind::PartitionAttr(Box::new(target), field),
                    ty: if *is_bool { Type::Bool } else { Type::String },
                    optional: false,
                })
            }
            other => Err(self.err(
                at,
                format!(
                    "`getAttr` needs an object with attributes, found {}",
                    other.describe()
                ),
            )),
        }
    }

    /// A string literal: text, or a template whose placeholders name string values.
    fn template(&mut self, text: &str, at: &str) -> Result<Expr> {
        let raw = parse_template(text)
            .map_err(|what| self.err(at, format!("invalid template {text:?}: {what}")))?;
        let mut parts = Vec::with_capacity(raw.len());
        for part in raw {
            match part {
                RawPart::Text(text) => parts.push(Part::Text(text)),
                RawPart::Placeholder { name, path } => {
                    let target = self.reference(&name, at)?;
                    let value = match path {
                        None => target,
                        Some(path) => self.attribute(target, &path, at, at)?,
                    };
                    let shown = match &value.kind {
                        ExprKind::Var(_) => format!("{{{name}}}"),
                        _ => format!("{{{name}#…}}"),
                    };
                    self.expect(
                        &value,
                        Type::String,
                        at,
                        &format!("the placeholder `{shown}`"),
                    )?;
                    parts.push(Part::Value(value));
                }
            }
        }
        Ok(match parts.as_slice() {
            [] => constant(ExprKind::Text(String::new()), Type::String),
            [Part::Text(text)] => constant(ExprKind::Text(text.clone()), Type::String),
            [Part::Value(value)] => value.clone(),
            _ => Expr {
                kind: ExprKind::Template(parts),
                ty: Type::String,
                optional: false,
            },
        })
    }

    fn endpoint(&mut self, value: Option<&Value>, at: &str) -> Result<EndpointSpec> {
        let at = format!("{at}.endpoint");
        let obj = match value {
            Some(Value::Object(obj)) => obj,
            other => {
                return Err(self.err(
                    &at,
                    format!(
                        "an endpoint rule needs an `endpoint` object, found {}",
                        describe(other)
                    ),
                ))
            }
        };
        let url_at = format!("{at}.url");
        let url = obj
            .get("url")
            .ok_or_else(|| self.err(&url_at, "an endpoint needs a `url`"))?;
        let url = self.expr(url, &url_at)?;
        self.expect(&url, Type::String, &url_at, "the URL")?;
        let mut headers = Vec::new();
        match obj.get("headers") {
            None => {}
            Some(Value::Object(map)) => {
                for (name, values) in map {
                    let header_at = format!("{at}.headers.{name}");
                    let Value::Array(values) = values else {
                        return Err(self.err(
                            &header_at,
                            format!("must be an array of values, found {}", kind_of(values)),
                        ));
                    };
                    let mut exprs = Vec::with_capacity(values.len());
                    for (index, value) in values.iter().enumerate() {
                        let value_at = format!("{header_at}[{index}]");
                        let expr = self.expr(value, &value_at)?;
                        self.expect(&expr, Type::String, &value_at, "a header value")?;
                        exprs.push(expr);
                    }
                    headers.push((name.clone(), exprs));
                }
            }
            Some(other) => {
                return Err(self.err(
                    &format!("{at}.headers"),
                    format!("must be an object, found {}", kind_of(other)),
                ))
            }
        }
        let mut properties = Vec::new();
        match obj.get("properties") {
            None => {}
            Some(Value::Object(map)) => {
                for (name, value) in map {
                    let literal = self.literal(value, &format!("{at}.properties.{name}"))?;
                    properties.push((name.clone(), literal));
                }
            }
            Some(other) => {
                return Err(self.err(
                    &format!("{at}.properties"),
                    format!("must be an object, found {}", kind_of(other)),
                ))
            }
        }
        Ok(EndpointSpec {
            url,
            headers,
            properties,
        })
    }

    fn literal(&mut self, value: &Value, at: &str) -> Result<Literal> {
        Ok(match value {
            Value::String(text) => Literal::String(self.template(text, at)?),
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => Literal::Int(
                n.as_i64()
                    .ok_or_else(|| self.err(at, format!("the number {n} is not an integer")))?,
            ),
            Value::Array(items) => Literal::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.literal(item, &format!("{at}[{i}]")))
                    .collect::<Result<_>>()?,
            ),
            Value::Object(map) => Literal::Record(
                map.iter()
                    .map(|(key, item)| {
                        Ok((key.clone(), self.literal(item, &format!("{at}.{key}"))?))
                    })
                    .collect::<Result<_>>()?,
            ),
            Value::Null => return Err(self.err(at, "a property value cannot be null")),
        })
    }
}

fn constant(kind: ExprKind, ty: Type) -> Expr {
    Expr {
        kind,
        ty,
        optional: false,
    }
}

fn bool_expr(kind: ExprKind) -> Expr {
    constant(kind, Type::Bool)
}

fn describe(value: Option<&Value>) -> &'static str {
    value.map_or("nothing", kind_of)
}

/// A rule-set name: a letter, then letters and digits (and `_` where `underscore`).
fn is_name(name: &str, underscore: bool) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || (underscore && c == '_'))
}

/// `argv` of exactly one `{"ref": name}`.
fn single_ref(argv: Option<&Value>) -> Option<&str> {
    match argv?.as_array()?.as_slice() {
        [only] => only.as_object()?.get("ref")?.as_str(),
        _ => None,
    }
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Attr(String),
    Index(usize),
}

/// `a.b[0]` → `[Attr(a), Attr(b), Index(0)]`.
fn parse_path(path: &str) -> std::result::Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    for piece in path.split('.') {
        let (name, mut rest) = match piece.find('[') {
            Some(at) => piece.split_at(at),
            None => (piece, ""),
        };
        if name.is_empty() && rest.is_empty() {
            return Err("an empty segment".into());
        }
        if !name.is_empty() {
            if !is_name(name, true) {
                return Err(format!("`{name}` is not an attribute name"));
            }
            segments.push(Segment::Attr(name.to_owned()));
        }
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in `{piece}`"))?;
            let digits = rest.get(1..close).unwrap_or_default();
            let index = digits
                .parse::<usize>()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("`[{digits}]` is not an index"))?;
            segments.push(Segment::Index(index));
            rest = rest.get(close + 1..).unwrap_or_default();
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("unexpected `{rest}` after an index"));
            }
        }
    }
    Ok(segments)
}

/// A template piece before name resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RawPart {
    Text(String),
    Placeholder { name: String, path: Option<String> },
}

/// Splits a template into text and `{Name}` / `{Name#path}` placeholders; `{{` and `}}`
/// are literal braces.
fn parse_template(text: &str) -> std::result::Result<Vec<RawPart>, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '}' => {
                return Err(format!(
                    "unmatched `}}` at byte {at} (write `}}}}` for a brace)"
                ))
            }
            '{' => {
                let mut inner = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(format!(
                        "unclosed `{{` at byte {at} (write `{{{{` for a brace)"
                    ));
                }
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (name, Some(path.to_owned())),
                    None => (inner.as_str(), None),
                };
                if !is_name(name, true) || path.as_deref().is_some_and(str::is_empty) {
                    return Err(format!(
                        "`{{{inner}}}` is not a placeholder (`{{Name}}` or `{{Name#attribute}}`)"
                    ));
                }
                if !literal.is_empty() {
                    parts.push(RawPart::Text(std::mem::take(&mut literal)));
                }
                parts.push(RawPart::Placeholder {
                    name: name.to_owned(),
                    path,
                });
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(RawPart::Text(literal));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params() -> Value {
        json!({
            "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "The region."},
            "UseFIPS": {"type": "Boolean", "required": true, "default": false},
            "Endpoint": {"type": "String"}
        })
    }

    fn check(rules: Value) -> Result<RuleSet> {
        RuleSet::parse(
            "ex#S",
            &json!({"version": "1.0", "parameters": params(), "rules": rules}),
        )
    }

    fn error_of(rules: Value) -> String {
        check(rules).unwrap_err().to_string()
    }

    fn endpoint(url: Value) -> Value {
        json!({"type": "endpoint", "conditions": [], "endpoint": {"url": url}})
    }

    #[test]
    fn templates_split_into_text_and_placeholders() {
        assert_eq!(
            parse_template("https://{Region}.{P#dnsSuffix}/{{x}}").unwrap(),
            vec![
                RawPart::Text("https://".into()),
                RawPart::Placeholder {
                    name: "Region".into(),
                    path: None
                },
                RawPart::Text(".".into()),
                RawPart::Placeholder {
                    name: "P".into(),
                    path: Some("dnsSuffix".into())
                },
                RawPart::Text("/{x}".into()),
            ]
        );
        assert_eq!(parse_template("").unwrap(), vec![]);
        for bad in ["{Region", "a}b", "{}", "{#x}", "{Region#}", "{a b}"] {
            assert!(parse_template(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_have_attributes_and_indexes() {
        use Segment::{Attr, Index};
        assert_eq!(
            parse_path("a.b[0]").unwrap(),
            vec![Attr("a".into()), Attr("b".into()), Index(0)]
        );
        assert_eq!(
            parse_path("resourceId[2][10]").unwrap(),
            vec![Attr("resourceId".into()), Index(2), Index(10)]
        );
        assert_eq!(parse_path("[1]").unwrap(), vec![Index(1)]);
        for bad in ["", "a..b", "a[", "a[x]", "a[-1]", "a[1]b", "a-b"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_typical_rule_set_is_typed_narrowed_and_trimmed() {
        let set = check(json!([
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "rules": [
                {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}], "error": "no FIPS"},
                endpoint(json!({"ref": "Endpoint"}))
            ]},
            {"type": "tree", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"},
                {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "Unused"}
            ], "rules": [
                endpoint(json!("https://x.{Region}.{PartitionResult#dnsSuffix}"))
            ]},
            {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [true, false]}], "error": "never"},
            {"type": "error", "conditions": [], "error": "Missing Region"}
        ]))
        .unwrap();
        assert!(set.uses_partitions);
        let used: Vec<(&str, bool)> = set
            .parameters
            .iter()
            .map(|p| (p.rust_name.as_str(), p.used))
            .collect();
        assert_eq!(
            used,
            [("region", true), ("use_fips", true), ("endpoint", true)]
        );
        assert!(set.parameters[0].optional() && !set.parameters[1].optional());
        assert_eq!(set.rules.len(), 3, "the constantly false rule is dropped");
        let var = |name: &str, ty, optional| Expr {
            kind: ExprKind::Var(name.into()),
            ty,
            optional,
        };
        // `isSet(Endpoint)` binds the value: the endpoint rule reads it.
        assert_eq!(
            set.rules[0].conditions,
            [Condition::IfSome {
                value: var("endpoint", Type::String, true),
                bind: Some("endpoint".into())
            }]
        );
        let Outcome::Tree(inner) = &set.rules[0].outcome else {
            panic!("a tree")
        };
        let fips_is_true = Expr {
            kind: ExprKind::BoolEquals(
                Box::new(var("use_fips", Type::Bool, false)),
                Box::new(constant(ExprKind::Bool(true), Type::Bool)),
            ),
            ty: Type::Bool,
            optional: false,
        };
        assert_eq!(inner[0].conditions, [Condition::Test(fips_is_true)]);
        assert!(inner[1].always_matches());
        // The second partition lookup is never read: it stays a test, without a binding.
        let conditions = &set.rules[1].conditions;
        assert_eq!(conditions.len(), 3);
        assert!(
            matches!(&conditions[1], Condition::IfSome { bind: Some(b), .. } if b == "partition_result")
        );
        assert!(matches!(
            &conditions[2],
            Condition::IfSome { bind: None, .. }
        ));
        let Outcome::Tree(inner) = &set.rules[1].outcome else {
            panic!("a tree")
        };
        let Outcome::Endpoint(spec) = &inner[0].outcome else {
            panic!("an endpoint")
        };
        let ExprKind::Template(parts) = &spec.url.kind else {
            panic!("a template")
        };
        assert_eq!(parts.len(), 4);
        assert_eq!(
            parts[3],
            Part::Value(Expr {
                kind: ExprKind::PartitionAttr(
                    Box::new(var("partition_result", Type::Partition, false)),
                    "dns_suffix"
                ),
                ty: Type::String,
                optional: false
            })
        );
    }

    #[test]
    fn unread_parameters_are_marked_unused() {
        let set = check(json!([{"type": "error", "conditions": [], "error": "always"}])).unwrap();
        assert!(set.parameters.iter().all(|p| !p.used));
        assert!(!set.uses_partitions);
    }

    #[test]
    fn rules_that_never_run_are_dropped_with_what_they_read() {
        let set = check(json!([
            {"type": "tree", "conditions": [
                {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"}
            ], "rules": [
                {"type": "error", "conditions": [
                    {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                    {"fn": "not", "argv": [true]}
                ], "error": "{P#name}"},
                {"type": "error", "conditions": [], "error": "fallback"}
            ]},
            {"type": "error", "conditions": [], "error": "always"},
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
                endpoint(json!("https://{Region}"))
            ]}
        ]))
        .unwrap();
        assert_eq!(set.rules.len(), 2, "the rule after `always` is unreachable");
        assert!(
            set.parameters.iter().all(|p| !p.used),
            "{:?}",
            set.parameters
        );
        let Outcome::Tree(inner) = &set.rules[0].outcome else {
            panic!("a tree")
        };
        assert_eq!(inner.len(), 1, "the constantly false rule is dropped");
        // `P` was read only by the dropped rule: the lookup stays, unbound.
        assert!(matches!(
            set.rules[0].conditions.as_slice(),
            [Condition::IfSome { bind: None, .. }]
        ));
        // Still checked: an error in an unreachable rule is reported.
        let err = error_of(json!([
            {"type": "error", "conditions": [], "error": "always"},
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "e"}
        ]));
        assert!(
            err.contains("rules[1].conditions[0].argv[0]: `Nope`"),
            "{err}"
        );
    }

    #[test]
    fn malformed_rule_sets_name_the_place_and_the_problem() {
        let cases: Vec<(Value, &str)> = vec![
            (
                json!([{"type": "endpoint", "conditions": [{"fn": "parseURL", "argv": ["x"]}], "endpoint": {"url": "x"}}]),
                "rules[0].conditions[0].fn: function `parseURL` is not supported by this generator",
            ),
            (
                json!([{"type": "error", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}], "error": "e"}]),
                "rules[0].conditions[0].argv[0]: this argument of `stringEquals` may be unset here: check it with `isSet`",
            ),
            (
                json!([{"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, "true"]}], "error": "e"}]),
                "rules[0].conditions[0].argv[1]: this argument of `booleanEquals` must be a boolean, found a string",
            ),
            (
                json!([{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "e"}]),
                "rules[0].conditions[0].argv[0]: `Nope` is neither a parameter nor assigned by an earlier condition",
            ),
            (
                json!([{"type": "error", "conditions": [{"fn": "not", "argv": [true, false]}], "error": "e"}]),
                "rules[0].conditions[0].argv: `not` takes 1 argument, found 2",
            ),
            (
                json!([{"type": "loop", "conditions": []}]),
                "rules[0].type: unknown rule type `loop`",
            ),
            (
                json!([{"type": "error", "error": "e"}]),
                "rules[0].conditions: must be an array, found nothing",
            ),
            (json!([]), "rules: must hold at least one rule"),
            (
                json!([{"type": "tree", "conditions": [], "rules": []}]),
                "rules[0].rules: must hold at least one rule",
            ),
            (
                json!([endpoint(json!("https://{Region}"))]),
                "rules[0].endpoint.url: the placeholder `{Region}` may be unset here",
            ),
            (
                json!([endpoint(json!("https://{Region"))]),
                "rules[0].endpoint.url: invalid template \"https://{Region\": unclosed `{`",
            ),
            (
                json!([endpoint(json!(true))]),
                "rules[0].endpoint.url: the URL must be a string, found a boolean",
            ),
            (
                json!([{"type": "endpoint", "conditions": []}]),
                "rules[0].endpoint: an endpoint rule needs an `endpoint` object, found nothing",
            ),
            (
                json!([{"type": "tree", "conditions": [
                    {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"}
                ], "rules": [endpoint(json!("https://{P#dnsSufix}"))]}]),
                "rules[0].rules[0].endpoint.url: a partition has no attribute `dnsSufix`",
            ),
            (
                json!([{"type": "tree", "conditions": [
                    {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"}
                ], "rules": [endpoint(json!("https://{P#name[0]}"))]}]),
                "a partition has only plain attributes",
            ),
            (
                json!([{"type": "tree", "conditions": [
                    {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"}
                ], "rules": [endpoint(json!("https://{P#supportsFIPS}"))]}]),
                "the placeholder `{P#…}` must be a string, found a boolean",
            ),
            (
                json!([{"type": "tree", "conditions": [
                    {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "Region"}
                ], "rules": [endpoint(json!("x"))]}]),
                "rules[0].conditions[0].assign: `Region` would shadow `Region`",
            ),
            (
                json!([{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "UseFIPS"}, "x"]}], "error": "e"}]),
                "`getAttr` needs an object with attributes, found a boolean",
            ),
            (
                json!([{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "UseFIPS"}, "a..b"]}], "error": "e"}]),
                "invalid `getAttr` path `a..b`: an empty segment",
            ),
            (
                json!([{"type": "error", "conditions": [{"ref": "UseFIPS"}], "error": "e"}]),
                "rules[0].conditions[0]: a condition must call a function (`fn`)",
            ),
            (
                json!([{"type": "error", "conditions": [], "error": ["x"]}]),
                "rules[0].error: expected an expression",
            ),
            (
                json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "x", "properties": {"a": null}}}]),
                "rules[0].endpoint.properties.a: a property value cannot be null",
            ),
            (
                json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "x", "headers": {"h": "v"}}}]),
                "rules[0].endpoint.headers.h: must be an array of values, found a string",
            ),
        ];
        for (rules, expected) in cases {
            let err = error_of(rules.clone());
            assert!(
                err.starts_with("shape `ex#S`: `smithy.rules#endpointRuleSet`: "),
                "{err}"
            );
            assert!(
                err.contains(expected),
                "{rules}\n  gave: {err}\n  want: {expected}"
            );
        }
    }

    #[test]
    fn malformed_parameters_name_the_parameter() {
        let cases = [
            (
                json!({"X": {"type": "stringArray"}}),
                "parameters.X: parameter type `stringArray` is not supported",
            ),
            (
                json!({"X": {"type": "int"}}),
                "parameters.X: unknown parameter type `int`",
            ),
            (
                json!({"X": {"required": true}}),
                "parameters.X: has no string `type`",
            ),
            (
                json!({"X": {"type": "boolean", "default": "no"}}),
                "parameters.X.default: must be a boolean like the parameter, found a string",
            ),
            (
                json!({"X-Y": {"type": "string"}}),
                "parameters.X-Y: a parameter name must be a letter",
            ),
            (
                json!({"X": "string"}),
                "parameters.X: must be an object, found a string",
            ),
            (
                json!({"AB": {"type": "string"}, "Ab": {"type": "string"}}),
                "`AB` and `Ab` would both be named `ab` in Rust",
            ),
            (json!([]), "parameters: must be an object, found an array"),
        ];
        for (params, expected) in cases {
            let err = RuleSet::parse(
                "ex#S",
                &json!({"version": "1.0", "parameters": params, "rules": [{"type": "error", "conditions": [], "error": "e"}]}),
            )
            .unwrap_err()
            .to_string();
            assert!(
                err.contains(expected),
                "{params}\n  gave: {err}\n  want: {expected}"
            );
        }
        let err = RuleSet::parse("ex#S", &json!("rules"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the trait value: must be an object, found a string"),
            "{err}"
        );
        let err = RuleSet::parse("ex#S", &json!({"parameters": {}, "rules": []}))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("version: must be a string, found nothing"),
            "{err}"
        );
    }

    #[test]
    fn boolean_assignments_are_bound_only_when_read() {
        let set = check(json!([
            {"type": "tree", "conditions": [
                {"fn": "not", "argv": [{"ref": "UseFIPS"}], "assign": "NoFips"},
                {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, false], "assign": "Read"},
                {"fn": "booleanEquals", "argv": [{"ref": "Read"}, true]}
            ], "rules": [endpoint(json!("x"))]},
            {"type": "error", "conditions": [], "error": "e"}
        ]))
        .unwrap();
        let kinds: Vec<&str> = set.rules[0]
            .conditions
            .iter()
            .map(|c| match c {
                Condition::Test(_) => "test",
                Condition::IfSome { .. } => "if-some",
                Condition::Let { .. } => "let",
            })
            .collect();
        assert_eq!(kinds, ["test", "let", "test", "test"]);
    }
}
