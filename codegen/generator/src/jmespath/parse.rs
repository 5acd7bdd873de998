//! JMESPath text → [`Ast`]: a lexer and a Pratt parser.
//!
//! The grammar is the one of the JMESPath specification, with the binding
//! powers of its reference implementation, so that projections stop where
//! they stop there (`a[].b | c` applies `c` to the list, `a[].b.c` to each
//! element; `a[].b[]` flattens the projected lists). The parser accepts the
//! whole language, index expressions and multi-select hashes included, so
//! that the compiler can refuse what it does not support by name rather than
//! with a syntax error.

use serde_json::Value as Json;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    pub fn swapped(self) -> Self {
        match self {
            Self::Lt => Self::Gt,
            Self::Le => Self::Ge,
            Self::Gt => Self::Lt,
            Self::Ge => Self::Le,
            other => other,
        }
    }

    /// The operator that gives the opposite result on totally ordered values.
    pub fn negated(self) -> Self {
        match self {
            Self::Eq => Self::Ne,
            Self::Ne => Self::Eq,
            Self::Lt => Self::Ge,
            Self::Le => Self::Gt,
            Self::Gt => Self::Le,
            Self::Ge => Self::Lt,
        }
    }
}

/// A parsed JMESPath expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`, and the implicit right side of a projection with nothing after it.
    Identity,
    /// A member name (`Foo`, `"Foo"`).
    Field(String),
    /// `left.right`.
    Subexpr(Box<Ast>, Box<Ast>),
    /// `[0]`; applied to a value by [`Ast::IndexExpr`].
    Index(i64),
    /// `[start:stop:step]`.
    Slice,
    /// `left[0]`.
    IndexExpr(Box<Ast>, Box<Ast>),
    /// A list projection: `right` applied to every element of the list `left`
    /// (`left` is a [`Ast::Flatten`] for `a[]`), nulls dropped.
    Projection(Box<Ast>, Box<Ast>),
    /// An object projection (`left.*`): `right` applied to every value of the object `left`.
    ValueProjection(Box<Ast>, Box<Ast>),
    /// A filter projection `left[?condition]`, then `right` on every kept element.
    Filter(Box<Ast>, Box<Ast>, Box<Ast>),
    /// `left[]`: the elements of `left`, one level of lists merged.
    Flatten(Box<Ast>),
    /// `[a, b]`.
    MultiList(Vec<Ast>),
    /// `{k: a}`.
    MultiHash,
    /// A JSON literal (`` `0` ``) or a raw string (`'x'`).
    Literal(Json),
    /// `left op right`.
    Compare(CmpOp, Box<Ast>, Box<Ast>),
    /// `left && right`.
    And(Box<Ast>, Box<Ast>),
    /// `left || right`.
    Or(Box<Ast>, Box<Ast>),
    /// `!operand`.
    Not(Box<Ast>),
    /// `left | right`.
    Pipe(Box<Ast>, Box<Ast>),
    /// `name(args…)`.
    Function(String, Vec<Ast>),
    /// `&expression`.
    ExpRef,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Quoted(String),
    Literal(Json),
    Number(i64),
    Dot,
    Star,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Ampersand,
    Not,
    Cmp(CmpOp),
    At,
    Eof,
}

impl Tok {
    /// Binding power (the reference implementation's table).
    fn power(&self) -> u8 {
        match self {
            Self::Pipe => 1,
            Self::Or => 2,
            Self::And => 3,
            Self::Cmp(_) => 5,
            Self::Flatten => 9,
            Self::Star => 20,
            Self::Filter => 21,
            Self::Dot => 40,
            Self::Not => 45,
            Self::LBrace => 50,
            Self::LBracket => 55,
            Self::LParen => 60,
            _ => 0,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Ident(name) => format!("`{name}`"),
            Self::Quoted(name) => format!("`\"{name}\"`"),
            Self::Literal(value) => format!("literal `{value}`"),
            Self::Number(n) => format!("`{n}`"),
            Self::Dot => "`.`".into(),
            Self::Star => "`*`".into(),
            Self::Flatten => "`[]`".into(),
            Self::Filter => "`[?`".into(),
            Self::LBracket => "`[`".into(),
            Self::RBracket => "`]`".into(),
            Self::LBrace => "`{`".into(),
            Self::RBrace => "`}`".into(),
            Self::LParen => "`(`".into(),
            Self::RParen => "`)`".into(),
            Self::Comma => "`,`".into(),
            Self::Colon => "`:`".into(),
            Self::Pipe => "`|`".into(),
            Self::Or => "`||`".into(),
            Self::And => "`&&`".into(),
            Self::Ampersand => "`&`".into(),
            Self::Not => "`!`".into(),
            Self::Cmp(op) => format!("`{}`", op.symbol()),
            Self::At => "`@`".into(),
            Self::Eof => "end of the expression".into(),
        }
    }
}

/// Parses a JMESPath expression.
pub fn parse(text: &str) -> Result<Ast, String> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let ast = parser.expression(0)?;
    match parser.current() {
        Tok::Eof => Ok(ast),
        other => Err(parser.error(&format!("unexpected {}", other.describe()))),
    }
}

/// Splits the text into tokens, each with its byte offset.
fn lex(text: &str) -> Result<Vec<(Tok, usize)>, String> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |at: usize, what: &str| format!("syntax error at offset {at}: {what}");
    while let Some(&c) = bytes.get(i) {
        let start = i;
        let next = bytes.get(i + 1).copied();
        let (tok, len) = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'.' => (Tok::Dot, 1),
            b'*' => (Tok::Star, 1),
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b':' => (Tok::Colon, 1),
            b'@' => (Tok::At, 1),
            b'[' => match next {
                Some(b']') => (Tok::Flatten, 2),
                Some(b'?') => (Tok::Filter, 2),
                _ => (Tok::LBracket, 1),
            },
            b'|' => match next {
                Some(b'|') => (Tok::Or, 2),
                _ => (Tok::Pipe, 1),
            },
            b'&' => match next {
                Some(b'&') => (Tok::And, 2),
                _ => (Tok::Ampersand, 1),
            },
            b'!' => match next {
                Some(b'=') => (Tok::Cmp(CmpOp::Ne), 2),
                _ => (Tok::Not, 1),
            },
            b'=' => match next {
                Some(b'=') => (Tok::Cmp(CmpOp::Eq), 2),
                _ => return Err(error(start, "`=` must be `==`")),
            },
            b'<' => match next {
                Some(b'=') => (Tok::Cmp(CmpOp::Le), 2),
                _ => (Tok::Cmp(CmpOp::Lt), 1),
            },
            b'>' => match next {
                Some(b'=') => (Tok::Cmp(CmpOp::Ge), 2),
                _ => (Tok::Cmp(CmpOp::Gt), 1),
            },
            b'\'' => {
                let (raw, len) = delimited(text, start, b'\'')
                    .ok_or_else(|| error(start, "unterminated raw string"))?;
                // Only `\'` is an escape in a raw string; other backslashes stay.
                (Tok::Literal(Json::String(raw.replace("\\'", "'"))), len)
            }
            b'`' => {
                let (raw, len) = delimited(text, start, b'`')
                    .ok_or_else(|| error(start, "unterminated literal"))?;
                let json = raw.replace("\\`", "`");
                let value = serde_json::from_str(&json)
                    .map_err(|e| error(start, &format!("`{json}` is not a JSON literal ({e})")))?;
                (Tok::Literal(value), len)
            }
            b'"' => {
                let (_, len) = delimited(text, start, b'"')
                    .ok_or_else(|| error(start, "unterminated quoted identifier"))?;
                let quoted = text.get(start..start + len).unwrap_or_default();
                let name: String = serde_json::from_str(quoted).map_err(|e| {
                    error(start, &format!("{quoted} is not a quoted identifier ({e})"))
                })?;
                (Tok::Quoted(name), len)
            }
            b'-' | b'0'..=b'9' => {
                let digits = bytes
                    .get(start + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let len = 1 + digits;
                let number = text.get(start..start + len).unwrap_or_default();
                let n = number
                    .parse()
                    .map_err(|_| error(start, &format!("`{number}` is not a number")))?;
                (Tok::Number(n), len)
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                let len = bytes
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                let name = text.get(start..start + len).unwrap_or_default();
                (Tok::Ident(name.to_owned()), len)
            }
            _ => {
                let ch = text.get(start..).and_then(|s| s.chars().next());
                let shown = ch.map_or_else(String::new, String::from);
                return Err(error(start, &format!("unexpected character `{shown}`")));
            }
        };
        tokens.push((tok, start));
        i = start + len;
    }
    tokens.push((Tok::Eof, text.len()));
    Ok(tokens)
}

/// The text between the delimiter at `start` and the next one not preceded by
/// a backslash (a backslash also protects the character after it), and the
/// length of the whole token, delimiters included.
fn delimited(text: &str, start: usize, delimiter: u8) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    loop {
        match *bytes.get(i)? {
            b'\\' => i += 2,
            b if b == delimiter => return Some((text.get(start + 1..i)?, i + 1 - start)),
            _ => i += 1,
        }
    }
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    /// Nesting of `expression` calls, bounded so that no input overflows the stack.
    depth: usize,
}

/// Deeper than any real path; far below what the stack takes.
const MAX_DEPTH: usize = 128;

impl Parser {
    fn current(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |(tok, _)| tok)
    }

    fn peek(&self, ahead: usize) -> &Tok {
        self.tokens
            .get(self.pos + ahead)
            .map_or(&Tok::Eof, |(tok, _)| tok)
    }

    fn advance(&mut self) -> Tok {
        let tok = self.current().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    fn error(&self, what: &str) -> String {
        let offset = self.tokens.get(self.pos).map_or(0, |(_, offset)| *offset);
        format!("syntax error at offset {offset}: {what}")
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), String> {
        if self.current() == tok {
            self.advance();
            Ok(())
        } else {
            Err(self.error(&format!(
                "expected {}, found {}",
                tok.describe(),
                self.current().describe()
            )))
        }
    }

    fn expression(&mut self, power: u8) -> Result<Ast, String> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("the expression nests too deeply"));
        }
        self.depth += 1;
        let token = self.advance();
        let mut left = self.nud(token)?;
        while power < self.current().power() {
            let token = self.advance();
            left = self.led(token, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    /// A token at the start of an expression.
    fn nud(&mut self, token: Tok) -> Result<Ast, String> {
        Ok(match token {
            Tok::Literal(value) => Ast::Literal(value),
            Tok::Ident(name) | Tok::Quoted(name) => Ast::Field(name),
            Tok::At => Ast::Identity,
            Tok::Star => {
                let right = if self.current() == &Tok::RBracket {
                    Ast::Identity
                } else {
                    self.projection_rhs(Tok::Star.power())?
                };
                Ast::ValueProjection(Box::new(Ast::Identity), Box::new(right))
            }
            Tok::Filter => self.filter(Ast::Identity)?,
            Tok::LBrace => self.multi_hash()?,
            Tok::LParen => {
                let inner = self.expression(0)?;
                self.expect(&Tok::RParen)?;
                inner
            }
            Tok::Flatten => {
                let right = self.projection_rhs(Tok::Flatten.power())?;
                Ast::Projection(
                    Box::new(Ast::Flatten(Box::new(Ast::Identity))),
                    Box::new(right),
                )
            }
            Tok::Not => Ast::Not(Box::new(self.expression(Tok::Not.power())?)),
            Tok::LBracket => match self.current() {
                Tok::Number(_) | Tok::Colon => {
                    let index = self.index()?;
                    self.project_if_slice(Ast::Identity, index)?
                }
                Tok::Star if self.peek(1) == &Tok::RBracket => {
                    self.advance();
                    self.advance();
                    let right = self.projection_rhs(Tok::Star.power())?;
                    Ast::Projection(Box::new(Ast::Identity), Box::new(right))
                }
                _ => self.multi_list()?,
            },
            Tok::Ampersand => {
                self.expression(0)?;
                Ast::ExpRef
            }
            other => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.error(&format!("unexpected {}", other.describe())));
            }
        })
    }

    /// A token after a complete left-hand expression.
    fn led(&mut self, token: Tok, left: Ast) -> Result<Ast, String> {
        Ok(match token {
            Tok::Dot => {
                if self.current() == &Tok::Star {
                    self.advance();
                    let right = self.projection_rhs(Tok::Dot.power())?;
                    Ast::ValueProjection(Box::new(left), Box::new(right))
                } else {
                    let right = self.dot_rhs(Tok::Dot.power())?;
                    Ast::Subexpr(Box::new(left), Box::new(right))
                }
            }
            Tok::Pipe => Ast::Pipe(
                Box::new(left),
                Box::new(self.expression(Tok::Pipe.power())?),
            ),
            Tok::Or => Ast::Or(Box::new(left), Box::new(self.expression(Tok::Or.power())?)),
            Tok::And => Ast::And(Box::new(left), Box::new(self.expression(Tok::And.power())?)),
            Tok::Cmp(op) => Ast::Compare(
                op,
                Box::new(left),
                Box::new(self.expression(Tok::Cmp(op).power())?),
            ),
            Tok::LParen => {
                let Ast::Field(name) = left else {
                    return Err(self.error("only a function name can be called"));
                };
                let mut args = Vec::new();
                while self.current() != &Tok::RParen {
                    args.push(self.expression(0)?);
                    if self.current() == &Tok::Comma {
                        self.advance();
                    } else if self.current() != &Tok::RParen {
                        return Err(self.error(&format!(
                            "expected `,` or `)`, found {}",
                            self.current().describe()
                        )));
                    }
                }
                self.advance();
                Ast::Function(name, args)
            }
            Tok::Filter => self.filter(left)?,
            Tok::Flatten => {
                let right = self.projection_rhs(Tok::Flatten.power())?;
                Ast::Projection(Box::new(Ast::Flatten(Box::new(left))), Box::new(right))
            }
            Tok::LBracket => match self.current() {
                Tok::Number(_) | Tok::Colon => {
                    let index = self.index()?;
                    self.project_if_slice(left, index)?
                }
                _ => {
                    self.expect(&Tok::Star)?;
                    self.expect(&Tok::RBracket)?;
                    let right = self.projection_rhs(Tok::Star.power())?;
                    Ast::Projection(Box::new(left), Box::new(right))
                }
            },
            other => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.error(&format!("unexpected {}", other.describe())));
            }
        })
    }

    /// `[?condition]` after `left` (the `[?` already consumed).
    fn filter(&mut self, left: Ast) -> Result<Ast, String> {
        let condition = self.expression(0)?;
        self.expect(&Tok::RBracket)?;
        let right = if self.current() == &Tok::Flatten {
            Ast::Identity
        } else {
            self.projection_rhs(Tok::Filter.power())?
        };
        Ok(Ast::Filter(
            Box::new(left),
            Box::new(condition),
            Box::new(right),
        ))
    }

    /// What a projection applies to each element: nothing when a token that
    /// stops projections follows, else the rest of the chain.
    fn projection_rhs(&mut self, power: u8) -> Result<Ast, String> {
        match self.current() {
            tok if tok.power() < 10 => Ok(Ast::Identity),
            Tok::LBracket | Tok::Filter => self.expression(power),
            Tok::Dot => {
                self.advance();
                self.dot_rhs(power)
            }
            other => Err(self.error(&format!(
                "unexpected {} after a projection",
                other.describe()
            ))),
        }
    }

    fn dot_rhs(&mut self, power: u8) -> Result<Ast, String> {
        match self.current() {
            Tok::Ident(_) | Tok::Quoted(_) | Tok::Star => self.expression(power),
            Tok::LBracket => {
                self.advance();
                self.multi_list()
            }
            Tok::LBrace => {
                self.advance();
                self.multi_hash()
            }
            other => Err(self.error(&format!("unexpected {} after `.`", other.describe()))),
        }
    }

    /// `[a, b]` (the `[` already consumed).
    fn multi_list(&mut self) -> Result<Ast, String> {
        let mut items = vec![self.expression(0)?];
        while self.current() == &Tok::Comma {
            self.advance();
            items.push(self.expression(0)?);
        }
        self.expect(&Tok::RBracket)?;
        Ok(Ast::MultiList(items))
    }

    /// `{k: a, …}` (the `{` already consumed); parsed only to be refused by name.
    fn multi_hash(&mut self) -> Result<Ast, String> {
        loop {
            match self.advance() {
                Tok::Ident(_) | Tok::Quoted(_) => {}
                other => {
                    self.pos = self.pos.saturating_sub(1);
                    return Err(self.error(&format!("expected a key, found {}", other.describe())));
                }
            }
            self.expect(&Tok::Colon)?;
            self.expression(0)?;
            if self.current() == &Tok::Comma {
                self.advance();
            } else {
                self.expect(&Tok::RBrace)?;
                return Ok(Ast::MultiHash);
            }
        }
    }

    /// `0]` or `a:b:c]` after `[`.
    fn index(&mut self) -> Result<Ast, String> {
        if let (Tok::Number(n), Tok::RBracket) = (self.current().clone(), self.peek(1)) {
            self.advance();
            self.advance();
            return Ok(Ast::Index(n));
        }
        let mut colons = 0;
        loop {
            match self.advance() {
                Tok::Number(_) => {}
                Tok::Colon if colons < 2 => colons += 1,
                Tok::RBracket => return Ok(Ast::Slice),
                other => {
                    self.pos = self.pos.saturating_sub(1);
                    return Err(self.error(&format!("unexpected {} in a slice", other.describe())));
                }
            }
        }
    }

    fn project_if_slice(&mut self, left: Ast, index: Ast) -> Result<Ast, String> {
        let is_slice = index == Ast::Slice;
        let expr = Ast::IndexExpr(Box::new(left), Box::new(index));
        if is_slice {
            let right = self.projection_rhs(Tok::Star.power())?;
            Ok(Ast::Projection(Box::new(expr), Box::new(right)))
        } else {
            Ok(expr)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Ast> {
        Box::new(Ast::Field(name.into()))
    }

    #[test]
    fn projections_bind_like_the_reference_implementation() {
        // `a[].b.c`: the whole chain is applied to each element.
        assert_eq!(
            parse("a[].b.c").unwrap(),
            Ast::Projection(
                Box::new(Ast::Flatten(field("a"))),
                Box::new(Ast::Subexpr(field("b"), field("c")))
            )
        );
        // `a[].b[]`: the projected lists are flattened.
        assert_eq!(
            parse("a[].b[]").unwrap(),
            Ast::Projection(
                Box::new(Ast::Flatten(Box::new(Ast::Projection(
                    Box::new(Ast::Flatten(field("a"))),
                    field("b")
                )))),
                Box::new(Ast::Identity)
            )
        );
        // A comparison stops the projection.
        assert_eq!(
            parse("a[].b == 'x'").unwrap(),
            Ast::Compare(
                CmpOp::Eq,
                Box::new(Ast::Projection(
                    Box::new(Ast::Flatten(field("a"))),
                    field("b")
                )),
                Box::new(Ast::Literal(Json::String("x".into())))
            )
        );
        assert_eq!(
            parse("m.*.s").unwrap(),
            Ast::ValueProjection(field("m"), field("s"))
        );
    }

    #[test]
    fn filters_functions_and_literals() {
        assert_eq!(
            parse("length(I[?S=='In']) >= `2`").unwrap(),
            Ast::Compare(
                CmpOp::Ge,
                Box::new(Ast::Function(
                    "length".into(),
                    vec![Ast::Filter(
                        field("I"),
                        Box::new(Ast::Compare(
                            CmpOp::Eq,
                            field("S"),
                            Box::new(Ast::Literal(Json::String("In".into())))
                        )),
                        Box::new(Ast::Identity)
                    )]
                )),
                Box::new(Ast::Literal(serde_json::json!(2)))
            )
        );
        assert_eq!(
            parse(r#""with space" == `"a\`b"`"#).unwrap(),
            Ast::Compare(
                CmpOp::Eq,
                field("with space"),
                Box::new(Ast::Literal(Json::String("a`b".into())))
            )
        );
        assert_eq!(
            parse(r"'it\'s'").unwrap(),
            Ast::Literal(Json::String("it's".into()))
        );
        assert_eq!(
            parse("!a && b || c").unwrap(),
            Ast::Or(
                Box::new(Ast::And(Box::new(Ast::Not(field("a"))), field("b"))),
                field("c")
            )
        );
    }

    #[test]
    fn the_rest_of_the_language_parses_to_be_refused_by_name() {
        assert!(matches!(parse("a[0]").unwrap(), Ast::IndexExpr(..)));
        assert!(matches!(parse("a[1:2]").unwrap(), Ast::Projection(..)));
        assert_eq!(parse("{x: a}").unwrap(), Ast::MultiHash);
        assert!(matches!(
            parse("sort_by(a, &b)").unwrap(),
            Ast::Function(..)
        ));
    }

    #[test]
    fn syntax_errors_say_where() {
        for (text, message) in [
            ("a[", "offset 2"),
            ("a.", "offset 2"),
            ("a = b", "`=` must be `==`"),
            ("`{`", "is not a JSON literal"),
            ("'open", "unterminated raw string"),
            ("a b", "unexpected `b`"),
            ("a[]b", "unexpected `b`"),
            ("a[]!", "unexpected `!` after a projection"),
            ("#", "unexpected character `#`"),
            ("", "unexpected end of the expression"),
            (&"(".repeat(10_000), "nests too deeply"),
            (&"!".repeat(10_000), "nests too deeply"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(message), "{text}: {error}");
        }
    }
}
