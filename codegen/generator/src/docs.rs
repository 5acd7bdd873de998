//! Converts the HTML found in Smithy `smithy.api#documentation` traits into rustdoc Markdown.
//!
//! The pipeline is deliberately small and forgiving:
//!
//! 1. `tokenize` turns the input into text and tag tokens. Anything that is not a known HTML
//!    element (`<node>`, `<primary>`, a stray `<`) stays text, so it is escaped later rather than
//!    dropped or passed through as HTML.
//! 2. `build_tree` nests the tokens into elements, closing `<li>`, `<p>`, `<dt>` and `<dd>`
//!    implicitly the way browsers do, and closing whatever is still open at the end.
//! 3. `BlockBuilder` walks the tree and produces blocks (paragraphs, lists, fenced code) whose
//!    paragraphs are sequences of already-escaped, unbreakable Markdown "words".
//! 4. `render_block` lays the blocks out as lines, word-wrapping paragraphs at `WIDTH` columns.
//!
//! The output must survive `RUSTDOCFLAGS=-Dwarnings cargo doc` and must never contain a doctest,
//! which is why text is escaped aggressively, indentation only ever comes from list nesting, and
//! `<pre>` becomes a fenced block tagged `text`.

use std::collections::HashMap;

/// Maximum width of a Markdown line (list indentation included, the `///` prefix excluded).
const WIDTH: usize = 100;

/// Elements nested deeper than this are ignored (their text is kept), so that hostile input
/// cannot overflow the stack of the recursive block and inline builders.
const MAX_DEPTH: usize = 64;

/// Inline code in Markdown for any text, backticks included (JMESPath literals
/// such as `` `0` `` carry their own).
pub fn code(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Converts a Smithy documentation string (HTML) into rustdoc Markdown.
///
/// Lines are joined with `'\n'`; there is no trailing newline, no line ends with a space,
/// blocks are separated by exactly one empty line, and whitespace-only input yields `""`.
/// Never panics: malformed markup degrades to escaped text.
pub fn html_to_markdown(html: &str) -> String {
    let clean = sanitize(html);
    let tokens = pair_tags(tokenize(&clean));
    let tree = build_tree(tokens);
    let blocks = BlockBuilder::build(&tree);
    let mut lines = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        render_block(block, "", "", &mut lines);
    }
    tidy(lines)
}

/// The first paragraph of Markdown produced by [`html_to_markdown`], when at
/// least three more lines follow it (fewer are not worth a link in their
/// place); `None` otherwise, or when the first block is a list or a code block
/// (which a summary would cut short).
pub fn summary(markdown: &str) -> Option<&str> {
    let (first, rest) = markdown.split_once("\n\n")?;
    let first_line = first.lines().next().unwrap_or_default();
    let is_list = first_line.starts_with("- ")
        || first_line.starts_with("* ")
        || first_line.split_once(". ").is_some_and(|(number, _)| {
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
        });
    if rest.lines().count() < 3 || first.contains("```") || is_list {
        return None;
    }
    Some(first)
}

/// Splits Markdown produced by [`html_to_markdown`] into doc-comment lines: every non-empty line
/// gets one leading space (so `#[doc = " text"]` prints as `/// text`), empty lines stay empty.
pub fn doc_lines(markdown: &str) -> Vec<String> {
    if markdown.is_empty() {
        return Vec::new();
    }
    markdown
        .split('\n')
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Characters and entities
// ---------------------------------------------------------------------------------------------

/// Emphasis delimiters are first written as these private-use characters and only turned into
/// Markdown once the whole paragraph is known (see [`resolve_emphasis`]): whether `**` works
/// depends on the characters on both sides of it.
const STRONG_OPEN: char = '\u{F0000}';
const STRONG_CLOSE: char = '\u{F0001}';
const EM_OPEN: char = '\u{F0002}';
const EM_CLOSE: char = '\u{F0003}';

/// Normalises one input character: line separators become `\n`, other control characters become
/// spaces, and bidirectional-override characters are removed because rustc denies them
/// (`text_direction_codepoint_in_literal` / `_in_comment`).
fn clean_char(c: char) -> Option<char> {
    match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
        // Reserved for the emphasis placeholders above.
        c if is_placeholder(c) => Some('\u{FFFD}'),
        '\r' | '\u{2028}' | '\u{2029}' => Some('\n'),
        '\n' | '\t' => Some(c),
        c if c.is_control() => Some(' '),
        c => Some(c),
    }
}

fn sanitize(input: &str) -> String {
    input
        .replace("\r\n", "\n")
        .chars()
        .filter_map(clean_char)
        .collect()
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        // A non-breaking space only matters for layout; treating it as a space lets it collapse.
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "times" => '×',
        "deg" => '°',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

/// Decodes the entity at the start of `s` (which starts with `&`), returning the character (if it
/// survives [`clean_char`]) and the entity's length. `None` means "not an entity, keep the `&`".
fn decode_entity(s: &str) -> Option<(Option<char>, usize)> {
    let semi = s.bytes().take(32).position(|b| b == b';')?;
    let body = &s[1..semi];
    let c = if let Some(number) = body.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        // `from_str_radix` would also accept a leading `+`, which is not a valid reference.
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let code = u32::from_str_radix(digits, radix)
            .ok()
            .filter(|&c| c != 0)?;
        char::from_u32(code)?
    } else {
        named_entity(body)?
    };
    Some((clean_char(c), semi + 1))
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.extend(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `s` (starting with `&`) would be read as a character reference by CommonMark.
fn looks_like_entity(s: &str) -> bool {
    let Some(semi) = s.bytes().take(34).position(|b| b == b';') else {
        return false;
    };
    let body = &s[1..semi];
    match body.strip_prefix('#') {
        Some(num) => {
            let digits = num.strip_prefix(['x', 'X']).unwrap_or(num);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => !body.is_empty() && body.chars().all(|c| c.is_ascii_alphanumeric()),
    }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Paragraph-level container: `<p>`, `<div>`, `<dd>`, table parts, ...
    Block,
    /// A paragraph rendered in bold: `<dt>`, `<h1>`..`<h6>`.
    BoldBlock,
    List,
    Item,
    /// `<note>` / `<important>`, rendered as a paragraph starting with the label in bold.
    Callout(&'static str),
    Pre,
    Break,
    /// `<hr>`: just ends the current paragraph.
    Rule,
    Code,
    Strong,
    Emphasis,
    Link,
    /// Harmless inline wrapper: the tag is dropped, the text kept (`<fullname>`, `<u>`, ...).
    Wrapper,
    /// Void element with nothing to show (`<img>`, `<wbr>`).
    Void,
}

fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "p" | "div" | "dl" | "dd" | "section" | "article" | "header" | "footer" | "main"
        | "aside" | "blockquote" | "center" | "figure" | "figcaption" | "details" | "summary"
        | "body" | "html" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
        | "caption" => Kind::Block,
        "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::BoldBlock,
        "ul" | "ol" => Kind::List,
        "li" => Kind::Item,
        "note" => Kind::Callout("Note"),
        "important" => Kind::Callout("Important"),
        "pre" => Kind::Pre,
        "br" => Kind::Break,
        "hr" => Kind::Rule,
        "code" | "tt" | "kbd" | "samp" => Kind::Code,
        "b" | "strong" => Kind::Strong,
        "i" | "em" => Kind::Emphasis,
        "a" => Kind::Link,
        "fullname" | "title" | "u" | "span" | "font" | "small" | "big" | "sup" | "sub" | "abbr"
        | "acronym" | "cite" | "dfn" | "mark" | "s" | "strike" | "del" | "ins" | "q" | "var"
        | "label" | "nobr" => Kind::Wrapper,
        "img" | "wbr" => Kind::Void,
        _ => return None,
    })
}

fn is_void(name: &str) -> bool {
    matches!(kind(name), Some(Kind::Break | Kind::Rule | Kind::Void))
}

/// Elements that may be left unclosed: those whose end tag HTML lets you omit, and the
/// structural elements of these models, which never appear as placeholders in prose. Any other
/// element must be closed, otherwise its start tag is taken as literal text (see [`pair_tags`]).
fn may_stay_open(name: &str) -> bool {
    matches!(
        name,
        "p" | "li" | "dt" | "dd" | "ul" | "ol" | "dl" | "div" | "pre" | "note" | "important"
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// Decoded text.
    Text(String),
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
        /// The source text, used if the tag turns out to be literal text after all.
        raw: String,
    },
    End {
        name: String,
    },
}

fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pending = String::new(); // raw text not yet entity-decoded
    let mut rest = input;
    // Once a comment is found unterminated, every later one is too: don't search again.
    let mut comments_end = true;
    while let Some(lt) = rest.find('<') {
        pending.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comments_end.then(|| comment.find("-->")).flatten() {
                Some(end) => rest = &comment[end + 3..],
                None => {
                    comments_end = false;
                    pending.push('<');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        match parse_markup(rest) {
            Some((token, len)) => {
                if !pending.is_empty() {
                    tokens.push(Token::Text(decode_entities(&pending)));
                    pending.clear();
                }
                tokens.push(token);
                rest = &rest[len..];
            }
            None => {
                // Not markup: a lone `<` is plain text.
                pending.push('<');
                rest = &rest[1..];
            }
        }
    }
    pending.push_str(rest);
    if !pending.is_empty() {
        tokens.push(Token::Text(decode_entities(&pending)));
    }
    tokens
}

/// Length of the tag name at the start of `s` (an ASCII letter, then letters, digits and `-`),
/// or 0 if `s` does not start with one. Like HTML, the name must end at whitespace, `/`, `>` or
/// the end of `s`: `<a*b*>` is not an `a` tag.
fn tag_name_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return 0;
    }
    let len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    match s[len..].chars().next() {
        None | Some('/' | '>') => len,
        Some(c) if c.is_whitespace() => len,
        Some(_) => 0,
    }
}

/// Parses the tag at the start of `s` (which starts with `<`), returning the token and the
/// number of bytes consumed, or `None` if `s` does not start with a tag. Well-formed tags with
/// unknown names come back as literal text.
fn parse_markup(s: &str) -> Option<(Token, usize)> {
    if let Some(body) = s.strip_prefix("</") {
        let name_len = tag_name_len(body);
        if name_len == 0 {
            return None;
        }
        let after = &body[name_len..];
        let gt = after
            .find(['>', '<'])
            .filter(|&i| after[i..].starts_with('>'))?;
        let len = 2 + name_len + gt + 1;
        let name = body[..name_len].to_ascii_lowercase();
        let token = if kind(&name).is_some() {
            Token::End { name }
        } else {
            Token::Text(s[..len].to_string())
        };
        return Some((token, len));
    }
    let name_len = tag_name_len(&s[1..]);
    if name_len == 0 {
        return None;
    }
    let name = s[1..=name_len].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut pos = 1 + name_len;
    let self_closing = loop {
        let rest = &s[pos..];
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        if trimmed.starts_with('>') {
            pos += 1;
            break false;
        }
        if trimmed.starts_with("/>") {
            pos += 2;
            break true;
        }
        if trimmed.is_empty() || trimmed.starts_with('<') {
            return None;
        }
        let (attr, len) = parse_attribute(trimmed)?;
        attrs.extend(attr);
        pos += len;
    };
    let raw = s[..pos].to_string();
    let token = if kind(&name).is_some() {
        Token::Start {
            name,
            attrs,
            self_closing,
            raw,
        }
    } else {
        Token::Text(raw)
    };
    Some((token, pos))
}

/// Parses one `name`, `name=value`, `name="value"` or `name='value'` attribute. Junk characters
/// are consumed one at a time so that the caller always makes progress.
fn parse_attribute(s: &str) -> Option<(Option<(String, String)>, usize)> {
    let name_len = s
        .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/' | '<'))
        .unwrap_or(s.len());
    if name_len == 0 {
        // A `/` not followed by `>` or a stray `=`: skip it.
        return Some((None, 1));
    }
    let name = s[..name_len].to_ascii_lowercase();
    let after_name = &s[name_len..];
    let trimmed = after_name.trim_start();
    let Some(value_part) = trimmed.strip_prefix('=') else {
        return Some((Some((name, String::new())), name_len));
    };
    let value_start = value_part.trim_start();
    let offset = s.len() - value_start.len();
    let (value, len) = match value_start.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let end = value_start[1..].find(quote)?;
            (&value_start[1..=end], end + 2)
        }
        _ => {
            let end = value_start
                .find(|c: char| c.is_whitespace() || c == '>' || c == '<')
                .unwrap_or(value_start.len());
            (&value_start[..end], end)
        }
    };
    Some((Some((name, decode_entities(value))), offset + len))
}

/// Turns unmatched start tags into literal text. In these models an unclosed `<code>` or
/// `<table>` is far more likely to be a placeholder written in prose than real markup, and
/// treating it as text keeps it from swallowing the rest of the document. Unmatched end tags of
/// known elements are simply dropped later by [`build_tree`].
fn pair_tags(tokens: Vec<Token>) -> Vec<Token> {
    let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Start {
                name,
                self_closing: false,
                ..
            } if !is_void(name) && !may_stay_open(name) => {
                open.entry(name.as_str()).or_default().push(i);
            }
            Token::End { name } => {
                if let Some(stack) = open.get_mut(name.as_str()) {
                    stack.pop();
                }
            }
            _ => {}
        }
    }
    let mut literal = vec![false; tokens.len()];
    for &i in open.values().flatten() {
        literal[i] = true;
    }
    tokens
        .into_iter()
        .zip(literal)
        .map(|(token, literal)| match token {
            Token::Start { raw, .. } if literal => Token::Text(raw),
            token => token,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Element(Element),
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn push_text(&mut self, text: String) {
        match self.children.last_mut() {
            Some(Node::Text(prev)) => prev.push_str(&text),
            _ => self.children.push(Node::Text(text)),
        }
    }
}

fn build_tree(tokens: Vec<Token>) -> Vec<Node> {
    // stack[0] is a nameless root that no end tag can match.
    let mut stack = vec![Element::default()];
    for token in tokens {
        match token {
            Token::Text(text) => top(&mut stack).push_text(text),
            Token::Start {
                name,
                attrs,
                self_closing,
                ..
            } => {
                close_implied(&mut stack, &name);
                let element = Element {
                    name,
                    attrs,
                    children: Vec::new(),
                };
                if self_closing || is_void(&element.name) {
                    top(&mut stack).children.push(Node::Element(element));
                } else if stack.len() <= MAX_DEPTH {
                    stack.push(element);
                }
            }
            Token::End { name } => {
                if let Some(pos) = stack.iter().rposition(|e| e.name == name) {
                    close_to(&mut stack, pos.max(1));
                }
            }
        }
    }
    close_to(&mut stack, 1);
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn top(stack: &mut [Element]) -> &mut Element {
    stack.last_mut().expect("the root element is never popped")
}

/// Pops elements until the stack has `len` entries, attaching each to its parent.
fn close_to(stack: &mut Vec<Element>, len: usize) {
    while stack.len() > len.max(1) {
        if let Some(element) = stack.pop() {
            top(stack).children.push(Node::Element(element));
        }
    }
}

/// Browser-style implicit end tags: a new `<li>` closes the previous item of the same list, a
/// new `<dt>`/`<dd>` the previous one of the same `<dl>`, and `<p>` directly inside `<p>`.
fn close_implied(stack: &mut Vec<Element>, name: &str) {
    let (targets, boundaries): (&[&str], &[&str]) = match name {
        "li" => (&["li"], &["ul", "ol"]),
        "dt" | "dd" => (&["dt", "dd"], &["dl"]),
        "p" => {
            if stack.last().is_some_and(|e| e.name == "p") {
                close_to(stack, stack.len() - 1);
            }
            return;
        }
        _ => return,
    };
    for pos in (1..stack.len()).rev() {
        let open = stack[pos].name.as_str();
        if boundaries.contains(&open) {
            return;
        }
        if targets.contains(&open) {
            close_to(stack, pos);
            return;
        }
    }
}

/// The text of `nodes` with tags removed, for code spans and `<pre>`. Line breaks and block
/// boundaries become `separator`.
fn raw_text(nodes: &[Node], separator: char, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(el) => match kind(&el.name) {
                Some(Kind::Break) => out.push(separator),
                Some(Kind::Block | Kind::BoldBlock | Kind::List | Kind::Item | Kind::Pre) => {
                    out.push(separator);
                    raw_text(&el.children, separator, out);
                    out.push(separator);
                }
                _ => raw_text(&el.children, separator, out),
            },
        }
    }
}

fn text_of(nodes: &[Node], separator: char) -> String {
    let mut out = String::new();
    raw_text(nodes, separator, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// Inline content
// ---------------------------------------------------------------------------------------------

/// A piece of a paragraph: an unbreakable chunk of finished Markdown, or a hard line break.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Word(String),
    Break,
}

/// What the inline content being rendered is nested in.
#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    strong: bool,
    emphasis: bool,
    link: bool,
}

/// Collects the inline content of one paragraph as words, collapsing whitespace as it goes.
#[derive(Debug, Default)]
struct Inline {
    items: Vec<Item>,
    /// The word being built; pieces without whitespace between them are glued together.
    word: String,
    /// Whitespace was seen after the last content (becomes a word boundary if content follows).
    gap: bool,
    /// Whitespace was seen before any content (so a wrapper can put a space before its marker).
    lead: bool,
    /// The last thing pushed was a code span (another one glued to it would merge the fences).
    code_end: bool,
}

impl Inline {
    fn is_empty(&self) -> bool {
        self.items.is_empty() && self.word.is_empty()
    }

    fn space(&mut self) {
        if self.is_empty() {
            self.lead = true;
        } else {
            self.gap = true;
        }
    }

    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.code_end = false;
        if self.gap {
            self.end_word();
            self.gap = false;
        }
        self.word.push_str(s);
    }

    fn end_word(&mut self) {
        if !self.word.is_empty() {
            self.items.push(Item::Word(std::mem::take(&mut self.word)));
        }
    }

    fn hard_break(&mut self) {
        self.end_word();
        self.gap = false;
        self.code_end = false;
        if matches!(self.items.last(), Some(Item::Word(_))) {
            self.items.push(Item::Break);
        }
    }

    fn into_items(mut self) -> Vec<Item> {
        self.end_word();
        while matches!(self.items.last(), Some(Item::Break)) {
            self.items.pop();
        }
        self.items
    }

    /// Finishes a nested run (emphasis, link text): its words, with breaks turned into spaces,
    /// plus whether it started and ended with whitespace.
    fn into_words(self) -> (bool, Vec<String>, bool) {
        let (lead, trail) = (self.lead, self.gap);
        let words = self
            .into_items()
            .into_iter()
            .filter_map(|item| match item {
                Item::Word(word) => Some(word),
                Item::Break => None,
            })
            .collect();
        (lead, words, trail)
    }

    /// Appends `words` wrapped in `open`/`close`, keeping surrounding whitespace outside the
    /// markers (`** x**` would not be emphasis). Nothing but the whitespace if `words` is empty.
    fn splice(&mut self, lead: bool, words: &[String], trail: bool, open: &str, close: &str) {
        if lead {
            self.space();
        }
        if !words.is_empty() {
            self.push(open);
            for (i, word) in words.iter().enumerate() {
                if i > 0 {
                    self.space();
                }
                self.push(word);
            }
            self.push(close);
        }
        if trail {
            self.space();
        }
    }

    fn text(&mut self, text: &str, ctx: Ctx) {
        if text.starts_with(char::is_whitespace) {
            self.space();
        }
        for (i, word) in text.split_whitespace().enumerate() {
            if i > 0 {
                self.space();
            }
            self.push(&escape_word(word, ctx.link));
        }
        if text.ends_with(char::is_whitespace) {
            self.space();
        }
    }

    fn nodes(&mut self, nodes: &[Node], ctx: Ctx) {
        for node in nodes {
            match node {
                Node::Text(text) => self.text(text, ctx),
                Node::Element(el) => self.element(el, ctx),
            }
        }
    }

    fn element(&mut self, el: &Element, ctx: Ctx) {
        match kind(&el.name) {
            Some(Kind::Code | Kind::Pre) => self.code(&text_of(&el.children, ' ')),
            Some(Kind::Strong) if !ctx.strong => {
                let inner = Ctx {
                    strong: true,
                    ..ctx
                };
                self.emphasis(STRONG_OPEN, STRONG_CLOSE, &el.children, inner);
            }
            Some(Kind::Emphasis) if !ctx.emphasis => {
                let inner = Ctx {
                    emphasis: true,
                    ..ctx
                };
                self.emphasis(EM_OPEN, EM_CLOSE, &el.children, inner);
            }
            Some(Kind::Link) => self.link(el, ctx),
            Some(Kind::Callout(label)) => {
                let label = if ctx.strong {
                    format!("{label}:")
                } else {
                    format!("{STRONG_OPEN}{label}:{STRONG_CLOSE}")
                };
                self.space();
                self.push(&label);
                self.space();
                self.nodes(&el.children, ctx);
                self.space();
            }
            // `<br>` inside emphasis or link text, nested `<b><b>`, wrappers: keep just the text.
            Some(Kind::Break) => self.space(),
            Some(Kind::Strong | Kind::Emphasis | Kind::Wrapper | Kind::Void) => {
                self.nodes(&el.children, ctx)
            }
            // Block content inside inline content (`<b><p>..</p></b>`): flatten it.
            _ => {
                self.space();
                self.nodes(&el.children, ctx);
                self.space();
            }
        }
    }

    fn emphasis(&mut self, open: char, close: char, nodes: &[Node], ctx: Ctx) {
        let mut inner = Inline::default();
        inner.nodes(nodes, ctx);
        let (lead, words, trail) = inner.into_words();
        let (open, close) = (open.to_string(), close.to_string());
        self.splice(lead, &words, trail, &open, &close);
    }

    fn code(&mut self, raw: &str) {
        let parts: Vec<&str> = raw.split_whitespace().collect();
        let words = code_span_words(&parts);
        // `<code>a</code><code>b</code>` cannot be written as two touching code spans (the
        // backtick fences would run together), so they get a space between them.
        let lead = raw.starts_with(char::is_whitespace) || (self.code_end && !words.is_empty());
        let trail = !words.is_empty() && raw.ends_with(char::is_whitespace);
        self.splice(lead, &words, trail, "", "");
        self.code_end = !words.is_empty() && !trail;
    }

    fn link(&mut self, el: &Element, ctx: Ctx) {
        let href = el.attr("href").map(str::trim).unwrap_or("");
        let url = match web_url(href) {
            Some(url) if !ctx.link => url,
            // No usable target, or a link nested in a link: keep the text only.
            _ => return self.nodes(&el.children, ctx),
        };
        let mut inner = Inline::default();
        inner.nodes(&el.children, Ctx { link: true, ..ctx });
        let (lead, words, trail) = inner.into_words();
        let label: Vec<String> = text_of(&el.children, ' ')
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if words.is_empty() || label.join(" ") == href {
            // `[https://x](https://x)` says nothing more than the autolink.
            self.splice(lead, &[format!("<{url}>")], trail, "", "");
        } else {
            // `![text](url)` would be an image: escape a `!` the link is glued to.
            if !lead && !self.gap && self.word.ends_with('!') {
                self.word.insert(self.word.len() - 1, '\\');
            }
            self.splice(lead, &words, trail, "[", &format!("]({url})"));
        }
    }
}

/// Builds a code span for whitespace-separated `parts` (never empty strings) as words the
/// wrapper may break between. The fence is one backtick longer than the longest run inside;
/// content touching a backtick is padded with a space on both sides (CommonMark strips one).
/// Spans fenced with three or more backticks are kept on one line, since a line starting with
/// such a fence and no closing backticks would open a fenced code block.
fn code_span_words(parts: &[&str]) -> Vec<String> {
    let joined = parts.join(" ");
    if joined.is_empty() {
        return Vec::new();
    }
    let fence = "`".repeat(longest_run(&joined, '`') + 1);
    let pad = if joined.starts_with('`') || joined.ends_with('`') {
        " "
    } else {
        ""
    };
    if fence.len() >= 3 {
        return vec![format!("{fence}{pad}{joined}{pad}{fence}")];
    }
    let mut words: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    let last = words.len() - 1;
    words[0].insert_str(0, &format!("{fence}{pad}"));
    words[last].push_str(&format!("{pad}{fence}"));
    words
}

fn longest_run(s: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in s.chars() {
        current = if ch == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// Returns `href` made safe for a Markdown link destination or autolink if it is an absolute
/// http(s) URL; relative and other links are not worth linking from generated docs.
fn web_url(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| lower.starts_with(s))?;
    if href.len() == scheme.len() {
        return None;
    }
    let mut url = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' => url.push_str("%20"),
            '(' => url.push_str("%28"),
            ')' => url.push_str("%29"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            '\\' => url.push_str("%5C"),
            '[' => url.push_str("%5B"),
            ']' => url.push_str("%5D"),
            c if c.is_whitespace() => {}
            c => url.push(c),
        }
    }
    Some(url)
}

/// Length of the URL at the start of `s` (a whitespace-free word starting with a scheme): up to
/// a character that cannot be part of it, minus trailing punctuation and an unbalanced `)`.
fn url_len(s: &str) -> usize {
    let mut end = s
        .find(['<', '>', '"', '`', '\\', '{', '}', '|', '^', '[', ']'])
        .unwrap_or(s.len());
    let opening = s[..end].matches('(').count();
    let mut closing = s[..end].matches(')').count();
    while let Some(last) = s[..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' => true,
            ')' => closing > opening,
            _ => false,
        };
        if !trim {
            break;
        }
        if last == ')' {
            closing -= 1;
        }
        end -= last.len_utf8();
    }
    end
}

/// Escapes one word of ordinary text, turning bare `http(s)://` URLs into autolinks (rustdoc's
/// `bare_urls` lint) except inside link text, where a link cannot nest.
fn escape_word(word: &str, in_link: bool) -> String {
    let mut out = String::with_capacity(word.len() + 8);
    let mut done = 0; // bytes of `word` already written to `out`
    if !in_link {
        let lower = word.to_ascii_lowercase();
        let mut from = 0;
        while let Some(found) = lower[from..].find("http") {
            let start = from + found;
            from = start + 4;
            let scheme_len = if lower[start..].starts_with("https://") {
                8
            } else if lower[start..].starts_with("http://") {
                7
            } else {
                continue;
            };
            let end = start + url_len(&word[start..]);
            if end - start <= scheme_len {
                continue; // just a scheme
            }
            escape_into(&word[done..start], &mut out);
            out.push('<');
            out.push_str(&word[start..end]);
            out.push('>');
            done = end;
            from = end;
        }
    }
    escape_into(&word[done..], &mut out);
    out
}

/// Backslash-escapes everything in `text` that Markdown (with rustdoc's extensions: tables,
/// strikethrough, footnotes, smart punctuation) could otherwise interpret.
fn escape_into(text: &str, out: &mut String) {
    let mut prev = None;
    for (i, c) in text.char_indices() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            '&' => looks_like_entity(&text[i..]),
            // Smart punctuation would turn `--` into a dash: keep CLI options intact.
            '-' => prev == Some('-'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
}

/// Escapes the start of a word that begins a line (paragraph start or after a hard break) if
/// Markdown would read it as a heading, list marker or setext underline. Only text can produce
/// these characters at the start of a word, so the backslash is always a valid escape.
fn escape_line_start(word: &str) -> String {
    if word.starts_with(['#', '-', '+', '=']) {
        return format!("\\{word}");
    }
    if is_ordered_marker(word) {
        let (digits, delimiter) = word.split_at(word.len() - 1);
        return format!("{digits}\\{delimiter}");
    }
    word.to_string()
}

/// `1.`, `42)`: a word that, followed by a space, would start an ordered list item. (`1.0` would
/// not: the delimiter must be followed by whitespace.)
fn is_ordered_marker(word: &str) -> bool {
    word.len() >= 2
        && word.ends_with(['.', ')'])
        && word[..word.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// Whether a line starting with `word` could be read as something other than paragraph text
/// (list item, heading, quote, fence, setext underline, table row, HTML block). The wrapper
/// never starts a continuation line with such a word.
fn risky_line_start(word: &str) -> bool {
    // The last word of a padded code span contains a space (`+ ``): judge what precedes it.
    let word = word.split(' ').next().unwrap_or(word);
    if word.starts_with(['#', '>', '|', '=', '~']) || word.starts_with("```") {
        return true;
    }
    if let Some(tag) = word.strip_prefix('<') {
        // Only these HTML block starts may interrupt a paragraph (CommonMark types 1 to 6);
        // `<node-id>` in a wrapped code span or an autolink is harmless.
        if tag.starts_with(['!', '?']) {
            return true;
        }
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name = &tag[..tag_name_len(tag)];
        return INTERRUPTING_HTML_BLOCKS
            .iter()
            .any(|block| block.eq_ignore_ascii_case(name));
    }
    word.chars()
        .all(|c| matches!(c, '-' | '+' | '*' | '_' | '=' | ':' | '|'))
        || is_ordered_marker(word)
}

/// HTML block start tags that can interrupt a paragraph in CommonMark (block types 1 and 6).
#[rustfmt::skip]
const INTERRUPTING_HTML_BLOCKS: &[&str] = &[
    "pre", "script", "style", "textarea", "address", "article", "aside", "base", "basefont",
    "blockquote", "body", "caption", "center", "col", "colgroup", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe",
    "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup",
    "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "title", "tr", "track", "ul",
];

fn is_placeholder(c: char) -> bool {
    matches!(c, STRONG_OPEN | STRONG_CLOSE | EM_OPEN | EM_CLOSE)
}

/// How a character next to an emphasis delimiter counts for CommonMark's flanking rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Space,
    Punct,
    Word,
    /// Other symbols, and neighbouring delimiters: not worth guessing.
    Unsure,
}

fn side(c: Option<char>) -> Side {
    match c {
        None => Side::Space,
        Some(c) if c.is_whitespace() => Side::Space,
        Some(c) if c.is_ascii_punctuation() => Side::Punct,
        Some(c) if c.is_alphanumeric() => Side::Word,
        Some(_) => Side::Unsure,
    }
}

/// Replaces the emphasis placeholders of a paragraph by `**`/`*` where CommonMark reads them as
/// emphasis (left-flanking opener, right-flanking closer), and by `<strong>`/`<em>` tags where
/// it would not, e.g. `a<b>(b)</b>`, `<b>x:</b>y` or two bold runs touching each other.
fn resolve_emphasis(items: Vec<Item>) -> Vec<Item> {
    // The paragraph as one sequence of characters, with a space for every item boundary.
    let mut chars = Vec::new();
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            chars.push(' ');
        }
        if let Item::Word(word) = item {
            chars.extend(word.chars());
        }
    }
    let before = |i: usize| i.checked_sub(1).map(|j| chars[j]);
    let after = |i: usize| chars.get(i + 1).copied();
    // For each delimiter: `Some(true)` for Markdown, `Some(false)` for a tag, `None` if unpaired.
    let mut markdown: Vec<Option<bool>> = vec![None; chars.len()];
    let mut open = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            STRONG_OPEN | EM_OPEN => open.push(i),
            STRONG_CLOSE | EM_CLOSE => {
                if let Some(o) = open.pop() {
                    // Touching delimiters would merge into one run (`**a****b**`): use tags.
                    let touching = [before(o), after(o), before(i), after(i)]
                        .into_iter()
                        .any(|c| c.is_some_and(is_placeholder));
                    let opens = match side(after(o)) {
                        Side::Word => true,
                        Side::Punct => matches!(side(before(o)), Side::Space | Side::Punct),
                        _ => false,
                    };
                    let closes = match side(before(i)) {
                        Side::Word => true,
                        Side::Punct => matches!(side(after(i)), Side::Space | Side::Punct),
                        _ => false,
                    };
                    let ok = opens && closes && !touching;
                    markdown[o] = Some(ok);
                    markdown[i] = Some(ok);
                }
            }
            _ => {}
        }
    }
    let mut pos = 0;
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.into_iter().enumerate() {
        if n > 0 {
            pos += 1;
        }
        let Item::Word(word) = item else {
            out.push(item);
            continue;
        };
        let mut resolved = String::with_capacity(word.len());
        for c in word.chars() {
            let replacement = match (c, markdown[pos]) {
                (STRONG_OPEN | STRONG_CLOSE, Some(true)) => "**",
                (EM_OPEN | EM_CLOSE, Some(true)) => "*",
                (STRONG_OPEN, Some(false)) => "<strong>",
                (STRONG_CLOSE, Some(false)) => "</strong>",
                (EM_OPEN, Some(false)) => "<em>",
                (EM_CLOSE, Some(false)) => "</em>",
                (STRONG_OPEN | STRONG_CLOSE | EM_OPEN | EM_CLOSE, None) => "",
                _ => {
                    resolved.push(c);
                    ""
                }
            };
            resolved.push_str(replacement);
            pos += 1;
        }
        if !resolved.is_empty() {
            out.push(Item::Word(resolved));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Paragraph(Vec<Item>),
    /// `start` is `None` for a bullet list, the first number for an ordered one.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// Verbatim lines of a `<pre>` block.
    Fence(Vec<String>),
}

/// Turns a sequence of nodes into blocks, gathering inline content into paragraphs.
#[derive(Debug, Default)]
struct BlockBuilder {
    blocks: Vec<Block>,
    paragraph: Inline,
}

impl BlockBuilder {
    fn build(nodes: &[Node]) -> Vec<Block> {
        let mut builder = Self::default();
        builder.nodes(nodes);
        builder.flush();
        builder.blocks
    }

    fn flush(&mut self) {
        let items = std::mem::take(&mut self.paragraph).into_items();
        if items.is_empty() {
            return;
        }
        let mut at_line_start = true;
        let items = items
            .into_iter()
            .map(|item| match item {
                Item::Word(word) if at_line_start => {
                    at_line_start = false;
                    Item::Word(escape_line_start(&word))
                }
                Item::Break => {
                    at_line_start = true;
                    Item::Break
                }
                word => word,
            })
            .collect();
        self.blocks.push(Block::Paragraph(resolve_emphasis(items)));
    }

    fn nodes(&mut self, nodes: &[Node]) {
        let mut i = 0;
        while i < nodes.len() {
            if !is_element(&nodes[i], Kind::Item) {
                self.node(&nodes[i]);
                i += 1;
                continue;
            }
            // `<li>`s outside any list (it happens) become one bullet list.
            let mut items = Vec::new();
            while i < nodes.len() && (is_element(&nodes[i], Kind::Item) || is_blank(&nodes[i])) {
                if let Node::Element(li) = &nodes[i] {
                    items.push(Self::build(&li.children));
                }
                i += 1;
            }
            self.push_list(None, items);
        }
    }

    fn node(&mut self, node: &Node) {
        let el = match node {
            Node::Text(text) => return self.paragraph.text(text, Ctx::default()),
            Node::Element(el) => el,
        };
        match kind(&el.name) {
            Some(Kind::Block) => {
                self.flush();
                self.nodes(&el.children);
                self.flush();
            }
            Some(Kind::BoldBlock) => {
                self.flush();
                let ctx = Ctx {
                    strong: true,
                    ..Ctx::default()
                };
                self.paragraph
                    .emphasis(STRONG_OPEN, STRONG_CLOSE, &el.children, ctx);
                self.flush();
            }
            Some(Kind::List) => {
                let start = (el.name == "ol").then(|| {
                    el.attr("start")
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .map_or(1, |n| n.min(1_000_000))
                });
                let items = list_items(&el.children);
                self.push_list(start, items);
            }
            Some(Kind::Item) => {
                let items = vec![Self::build(&el.children)];
                self.push_list(None, items);
            }
            Some(Kind::Callout(label)) => {
                self.flush();
                let mut inner = Self::build(&el.children);
                if inner.is_empty() {
                    return;
                }
                let label = Item::Word(format!("**{label}:**"));
                match inner.first_mut() {
                    Some(Block::Paragraph(items)) => items.insert(0, label),
                    _ => inner.insert(0, Block::Paragraph(vec![label])),
                }
                self.blocks.extend(inner);
            }
            Some(Kind::Pre) => {
                self.flush();
                let lines = pre_lines(&text_of(&el.children, '\n'));
                if !lines.is_empty() {
                    self.blocks.push(Block::Fence(lines));
                }
            }
            Some(Kind::Break) => self.paragraph.hard_break(),
            Some(Kind::Rule) => self.flush(),
            _ => self.paragraph.element(el, Ctx::default()),
        }
    }

    fn push_list(&mut self, start: Option<u64>, items: Vec<Vec<Block>>) {
        self.flush();
        let items: Vec<_> = items.into_iter().filter(|item| !item.is_empty()).collect();
        if !items.is_empty() {
            self.blocks.push(Block::List { start, items });
        }
    }
}

fn is_element(node: &Node, wanted: Kind) -> bool {
    matches!(node, Node::Element(el) if kind(&el.name) == Some(wanted))
}

fn is_blank(node: &Node) -> bool {
    matches!(node, Node::Text(text) if text.trim().is_empty())
}

/// The items of a `<ul>`/`<ol>`. Content between items (often a nested `<ul>` written directly
/// inside the outer list) joins the preceding item, or forms an item of its own.
fn list_items(children: &[Node]) -> Vec<Vec<Block>> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut i = 0;
    while i < children.len() {
        if let Node::Element(li) = &children[i] {
            if kind(&li.name) == Some(Kind::Item) {
                items.push(BlockBuilder::build(&li.children));
                i += 1;
                continue;
            }
        }
        let run_start = i;
        while i < children.len() && !is_element(&children[i], Kind::Item) {
            i += 1;
        }
        let blocks = BlockBuilder::build(&children[run_start..i]);
        match items.last_mut() {
            _ if blocks.is_empty() => {}
            Some(last) => last.extend(blocks),
            None => items.push(blocks),
        }
    }
    items
}

/// Lines of a `<pre>` block: tabs expanded, trailing whitespace and blank lines at either end
/// removed, runs of blank lines collapsed, and the common indentation stripped.
fn pre_lines(raw: &str) -> Vec<String> {
    let lines: Vec<String> = raw
        .split('\n')
        .map(|line| expand_tabs(line).trim_end().to_string())
        .collect();
    let Some(first) = lines.iter().position(|l| !l.is_empty()) else {
        return Vec::new();
    };
    let last = lines.iter().rposition(|l| !l.is_empty()).unwrap_or(first);
    let indent = lines[first..=last]
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    for line in &lines[first..=last] {
        if line.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
        } else {
            out.push(line[indent..].to_string());
        }
    }
    out
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/// Renders `block`; its first line starts with `first` (e.g. a list marker), the others with
/// `rest` (the matching indentation).
fn render_block(block: &Block, first: &str, rest: &str, out: &mut Vec<String>) {
    match block {
        Block::Paragraph(items) => wrap(items, first, rest, out),
        Block::Fence(lines) => {
            let fence =
                "`".repeat(3.max(lines.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0) + 1));
            out.push(format!("{first}{fence}text"));
            for line in lines {
                out.push(if line.is_empty() {
                    String::new()
                } else {
                    format!("{rest}{line}")
                });
            }
            out.push(format!("{rest}{fence}"));
        }
        Block::List { start, items } => {
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(start) => format!("{}. ", start + n as u64),
                    None => "- ".to_string(),
                };
                let item_first = format!("{}{marker}", if n == 0 { first } else { rest });
                let item_rest = format!("{rest}{}", " ".repeat(marker.len()));
                for (j, block) in item.iter().enumerate() {
                    if j == 0 {
                        render_block(block, &item_first, &item_rest, out);
                        continue;
                    }
                    // A list right after the item's paragraph stays tight; CommonMark only lets
                    // an ordered list interrupt a paragraph if it starts at 1.
                    let tight = matches!(item[j - 1], Block::Paragraph(_))
                        && matches!(
                            block,
                            Block::List {
                                start: None | Some(1),
                                ..
                            }
                        );
                    if !tight {
                        out.push(String::new());
                    }
                    render_block(block, &item_rest, &item_rest, out);
                }
            }
        }
    }
}

/// Greedy word wrap. A word that does not fit starts a new line unless that line would then
/// start with something Markdown treats specially, in which case the line runs long instead.
fn wrap(items: &[Item], first: &str, rest: &str, out: &mut Vec<String>) {
    let mut line = first.to_string();
    let mut width = first.chars().count();
    let mut empty = true;
    for item in items {
        match item {
            Item::Word(word) => {
                let word_width = word.chars().count();
                if empty {
                    empty = false;
                } else if width + 1 + word_width <= WIDTH || risky_line_start(word) {
                    line.push(' ');
                    width += 1;
                } else {
                    out.push(std::mem::replace(&mut line, rest.to_string()));
                    width = rest.chars().count();
                }
                line.push_str(word);
                width += word_width;
            }
            Item::Break if !empty => {
                // A backslash hard break: trailing double spaces would be trailing whitespace.
                line.push('\\');
                out.push(std::mem::replace(&mut line, rest.to_string()));
                width = rest.chars().count();
                empty = true;
            }
            Item::Break => {}
        }
    }
    if !empty {
        out.push(line);
    }
}

/// Final clean-up: no trailing whitespace, no runs of empty lines, none at either end.
fn tidy(lines: Vec<String>) -> String {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let line = line.trim_end().to_string();
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        html_to_markdown(html)
    }

    /// `n` times "word", space-separated.
    fn words(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    // --- basics ------------------------------------------------------------------------------

    #[test]
    fn a_summary_is_the_first_paragraph_when_three_lines_or_more_follow() {
        let long = md("<p>The name.</p><p>Constraints:</p><ul><li>One</li><li>Two</li></ul>");
        assert_eq!(summary(&long), Some("The name."));
        // One or two lines after it are kept where they are.
        assert_eq!(summary(&md("<p>The count.</p><p>Default: 1</p>")), None);
        assert_eq!(summary(&md("<p>Only this.</p>")), None);
        // A first block that is a list or code would be cut short.
        let list = md("<ul><li>a</li><li>b</li></ul><p>x</p><p>y</p><p>z</p>");
        assert_eq!(summary(&list), None);
        let numbered = md("<ol><li>a</li></ol><p>x</p><p>y</p><p>z</p>");
        assert_eq!(summary(&numbered), None);
        let code = md("<pre>a\n\nb</pre><p>x</p><p>y</p><p>z</p>");
        assert_eq!(summary(&code), None);
    }

    #[test]
    fn empty_and_blank_input() {
        assert_eq!(md(""), "");
        assert_eq!(md("  \n\t  "), "");
        assert_eq!(md("<p> </p>\n<p></p>"), "");
        assert_eq!(md("<note> </note><ul><li> </li></ul>"), "");
    }

    #[test]
    fn paragraphs() {
        assert_eq!(
            md("<p>Hello world.</p><p>Second.</p>"),
            "Hello world.\n\nSecond."
        );
        assert_eq!(md("Plain text"), "Plain text");
        assert_eq!(md("<p>a<p>b"), "a\n\nb");
        assert_eq!(md("<div>a</div>b<div>c</div>"), "a\n\nb\n\nc");
    }

    #[test]
    fn whitespace_of_indented_source_collapses() {
        let html =
            "<p>List of endpoints (cluster mode\n            disabled)</p>\n         <p>\n    \
                    indented   text\n   </p>";
        assert_eq!(
            md(html),
            "List of endpoints (cluster mode disabled)\n\nindented text"
        );
        assert_eq!(md("    four spaces\n        eight"), "four spaces eight");
    }

    #[test]
    fn fullname_and_title_are_unwrapped() {
        assert_eq!(
            md("<fullname>Amazon ElastiCache</fullname><p>Text</p>"),
            "Amazon ElastiCache\n\nText"
        );
        assert_eq!(md("<p>See <title>T</title>.</p>"), "See T.");
    }

    // --- inline ------------------------------------------------------------------------------

    #[test]
    fn code_spans() {
        assert_eq!(
            md("<p>Use <code>a &lt;b&gt; &amp;&amp; c</code> here.</p>"),
            "Use `a <b> && c` here."
        );
        assert_eq!(
            md("<code>redis-cli -h <node></code>"),
            "`redis-cli -h <node>`"
        );
        assert_eq!(md("<code>  spaced\n   out  </code>"), "`spaced out`");
        assert_eq!(md("<tt>tt</tt>"), "`tt`");
    }

    #[test]
    fn code_spans_with_backticks() {
        assert_eq!(md("<code>a`b</code>"), "``a`b``");
        assert_eq!(md("<code>`x`</code>"), "`` `x` ``");
        assert_eq!(md("<code>a``b</code>"), "```a``b```");
        assert_eq!(md("<code>`</code>"), "`` ` ``");
    }

    #[test]
    fn empty_and_adjacent_code_spans() {
        assert_eq!(md("<p>x <code></code> y</p>"), "x y");
        assert_eq!(md("<p>x<code> </code>y</p>"), "x y");
        // Touching spans would merge their fences; they are separated by a space instead.
        assert_eq!(md("<code>a</code><code>b</code>"), "`a` `b`");
    }

    #[test]
    fn emphasis() {
        assert_eq!(
            md("<p><b>bold</b> and <i>it</i> and <u>u</u> <b></b>end</p>"),
            "**bold** and *it* and u end"
        );
        assert_eq!(md("<strong>s</strong> <em>e</em>"), "**s** *e*");
        assert_eq!(md("<p>a<b> b </b>c</p>"), "a **b** c");
        assert_eq!(md("<b>Note:</b> text"), "**Note:** text");
        assert_eq!(md("<b>a <b>b</b> c</b>"), "**a b c**");
        assert_eq!(md("<b><i> </i></b>x"), "x");
    }

    #[test]
    fn emphasis_falls_back_to_tags_where_markdown_would_not_apply() {
        assert_eq!(md("x<b>(y)</b>z"), "x<strong>(y)</strong>z");
        assert_eq!(md("<b><code>c</code></b>s"), "<strong>`c`</strong>s");
        assert_eq!(
            md("<b>a</b><b>b</b>"),
            "<strong>a</strong><strong>b</strong>"
        );
        assert_eq!(md("<i><b>z</b></i>"), "<em><strong>z</strong></em>");
        assert_eq!(md("(<b>fine</b>)"), "(**fine**)");
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"See <a href="https://example.com/a b(c)">the docs</a>."#),
            "See [the docs](https://example.com/a%20b%28c%29)."
        );
        assert_eq!(md(r#"<a href="https://x.com/y"></a>"#), "<https://x.com/y>");
        assert_eq!(
            md(r#"<a href="https://x.com/y">https://x.com/y</a>"#),
            "<https://x.com/y>"
        );
        assert_eq!(
            md(r##"<a href="#frag">local</a> <a>bare</a>"##),
            "local bare"
        );
        assert_eq!(md(r#"<a href="mailto:x@y.z">mail</a>"#), "mail");
        assert_eq!(
            md(r#"<a href="https://x.com/[q]"><code>c</code> [x]</a>"#),
            "[`c` \\[x\\]](https://x.com/%5Bq%5D)"
        );
        assert_eq!(
            md(r#"Wow!<a href="https://x.com">link</a>"#),
            "Wow\\![link](https://x.com)"
        );
        // No links inside links: the inner one keeps just its text.
        assert_eq!(
            md(r#"<a href="https://a.com">x <a href="https://b.com">y</a></a>"#),
            "[x y](https://a.com)"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            md("<p>See https://example.com/a_b. Or (http://x.org/y).</p>"),
            "See <https://example.com/a_b>. Or (<http://x.org/y>)."
        );
        assert_eq!(md("http:// alone"), "http:// alone");
        assert_eq!(md("](http://a.com)"), "\\](<http://a.com>)");
        // Inside link text a URL stays text (links cannot nest).
        assert_eq!(
            md(r#"<a href="https://x.com">see https://y.com</a>"#),
            "[see https://y.com](https://x.com)"
        );
    }

    #[test]
    fn markdown_characters_are_escaped() {
        assert_eq!(
            md("<p>[Required] a_b *c* `d` |e| ~f~ \\g</p>"),
            "\\[Required\\] a\\_b \\*c\\* \\`d\\` \\|e\\| \\~f\\~ \\\\g"
        );
        assert_eq!(md("![x](y)"), "!\\[x\\](y)");
        assert_eq!(md("use --foo or a---b"), "use -\\-foo or a-\\-\\-b");
    }

    #[test]
    fn pseudo_tags_and_stray_angle_brackets_are_text() {
        assert_eq!(md("redis-cli -h <node>"), "redis-cli -h \\<node\\>");
        assert_eq!(
            md("<p>Use <primary> and </primary> here</p>"),
            "Use \\<primary\\> and \\</primary\\> here"
        );
        assert_eq!(md("a < b and x<y, 1 <2 >"), "a \\< b and x\\<y, 1 \\<2 \\>");
        assert_eq!(md("<a*b*>"), "\\<a\\*b\\*\\>");
        assert_eq!(md("x <!-- comment --> y"), "x y");
        assert_eq!(md("x <!-- open"), "x \\<!-\\- open");
    }

    #[test]
    fn entities() {
        assert_eq!(
            md("&lt; &gt; &amp; &quot; &apos; a&nbsp;b &#65; &#x42; &amp;lt;"),
            "\\< \\> & \" ' a b A B \\&lt;"
        );
        assert_eq!(
            md("&bogus; & AT&T &#xZZ; &#0; &#x110000; &#+5; &amp"),
            "\\&bogus; & AT&T &#xZZ; \\&#0; \\&#x110000; &#+5; &amp"
        );
        assert_eq!(md("&mdash;&hellip;"), "—…");
    }

    #[test]
    fn line_breaks() {
        assert_eq!(md("<p>a<br/>b<br>c</p>"), "a\\\nb\\\nc");
        assert_eq!(md("<p><br/>a<br/><br/>b<br/></p>"), "a\\\nb");
        // The line after a break starts like a paragraph, so it is escaped like one.
        assert_eq!(md("<p>a<br/>- b</p>"), "a\\\n\\- b");
        assert_eq!(md("<p>C:\\<br/>x</p>"), "C:\\\\\\\nx");
    }

    #[test]
    fn dangerous_paragraph_starts_are_escaped() {
        assert_eq!(md("<p># not a heading</p>"), "\\# not a heading");
        assert_eq!(md("<p>1. not a list</p>"), "1\\. not a list");
        assert_eq!(md("<p>2) nor this</p>"), "2\\) nor this");
        assert_eq!(
            md("<p>- x</p><p>+ y</p><p>= z</p>"),
            "\\- x\n\n\\+ y\n\n\\= z"
        );
        assert_eq!(md("<p>--cache-cluster-id</p>"), "\\-\\-cache-cluster-id");
        assert_eq!(md("<p>> quote</p>"), "\\> quote");
        assert_eq!(md("<p>1.0 is fine</p>"), "1.0 is fine");
    }

    #[test]
    fn control_and_bidi_characters() {
        assert_eq!(md("a\u{202E}b\u{0}c\r\nd\u{7}e"), "ab c d e");
        assert_eq!(md("&#x202E;x&#x2066;"), "x");
        assert_eq!(md("x\u{F0000}y"), "x\u{FFFD}y");
    }

    // --- blocks ------------------------------------------------------------------------------

    #[test]
    fn lists() {
        assert_eq!(md("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
        assert_eq!(
            md("<p>Before:</p><ul><li>a</li></ul><p>After.</p>"),
            "Before:\n\n- a\n\nAfter."
        );
        assert_eq!(md("Text<ul><li>a</li></ul>more"), "Text\n\n- a\n\nmore");
        assert_eq!(
            md("<ol><li>first</li><li>second</li></ol>"),
            "1. first\n2. second"
        );
        assert_eq!(
            md(r#"<ol start="3"><li>a</li><li>b</li></ol>"#),
            "3. a\n4. b"
        );
    }

    #[test]
    fn nested_lists() {
        assert_eq!(
            md("<ul><li>a<ul><li>b</li><li>c<ul><li>d</li></ul></li></ul></li><li>e</li></ul>"),
            "- a\n  - b\n  - c\n    - d\n- e"
        );
        assert_eq!(
            md("<ol><li>first</li><li>second<ul><li>x</li></ul></li></ol>"),
            "1. first\n2. second\n   - x"
        );
        // A list directly inside a list joins the previous item.
        assert_eq!(md("<ul><li>a</li><ul><li>b</li></ul></ul>"), "- a\n  - b");
        // An item that starts with a list.
        assert_eq!(
            md("<ul><li><ul><li>a</li><li>b</li></ul></li></ul>"),
            "- - a\n  - b"
        );
        // Only an ordered list starting at 1 may follow a paragraph without a blank line.
        assert_eq!(
            md(r#"<ul><li>a<ol start="2"><li>b</li></ol></li></ul>"#),
            "- a\n\n  2. b"
        );
    }

    #[test]
    fn ten_item_ordered_list_indents_by_marker_width() {
        let items: String = (1..=9).map(|i| format!("<li>i{i}</li>")).collect();
        let html = format!("<ol>{items}<li>j<ul><li>k</li></ul></li></ol>");
        let expected =
            "1. i1\n2. i2\n3. i3\n4. i4\n5. i5\n6. i6\n7. i7\n8. i8\n9. i9\n10. j\n    - k";
        assert_eq!(md(&html), expected);
    }

    #[test]
    fn list_items_with_paragraphs() {
        assert_eq!(
            md("<ul>\n  <li>\n    <p>one</p>\n    <p>two</p>\n  </li>\n  <li><p>three</p></li>\n</ul>"),
            "- one\n\n  two\n- three"
        );
        assert_eq!(md("<ul><li>text <p>more</p></li></ul>"), "- text\n\n  more");
        assert_eq!(
            md("<ul><li># x</li><li>1. y</li></ul>"),
            "- \\# x\n- 1\\. y"
        );
    }

    #[test]
    fn orphan_and_unclosed_items() {
        assert_eq!(md("<li>a</li>\n<li>b</li>"), "- a\n- b");
        assert_eq!(md("<ul><li>a<li>b</ul>"), "- a\n- b");
        assert_eq!(md("<ul><li>a<li>b"), "- a\n- b");
        assert_eq!(md("<ul><li></li><li>x</li></ul>"), "- x");
        assert_eq!(md("<ul> text <li>a</li> </ul>"), "- text\n- a");
        assert_eq!(
            md("<ul><li>a</li> tail <b>b</b></ul>"),
            "- a\n\n  tail **b**"
        );
    }

    #[test]
    fn note_and_important() {
        assert_eq!(
            md("<note><p>Be careful.</p><p>Really.</p></note>"),
            "**Note:** Be careful.\n\nReally."
        );
        assert_eq!(md("<important>Text</important>"), "**Important:** Text");
        assert_eq!(md("<note><ul><li>x</li></ul></note>"), "**Note:**\n\n- x");
        assert_eq!(
            md("<p>Intro</p><note>\n   <p>N</p>\n</note><p>Outro</p>"),
            "Intro\n\n**Note:** N\n\nOutro"
        );
        assert_eq!(md("<b><note>x</note></b>"), "**Note: x**");
        assert_eq!(
            md("<ul><li><important><p>i</p></important></li></ul>"),
            "- **Important:** i"
        );
    }

    #[test]
    fn pre_blocks() {
        assert_eq!(
            md("<pre>\n    line1\n      line2 &lt;x&gt;\n</pre>"),
            "```text\nline1\n  line2 <x>\n```"
        );
        assert_eq!(
            md("<p>Example:</p><pre><code>let x = 1;\n</code></pre><p>Done</p>"),
            "Example:\n\n```text\nlet x = 1;\n```\n\nDone"
        );
        assert_eq!(md("<pre>a\n```\nb</pre>"), "````text\na\n```\nb\n````");
        assert_eq!(
            md("<pre>a  \n\n\n\tb<br/>c</pre>"),
            "```text\na\n\n    b\nc\n```"
        );
        assert_eq!(md("<pre>  \n </pre>"), "");
        assert_eq!(
            md("<ul><li>Run:<pre>a\n b</pre></li></ul>"),
            "- Run:\n\n  ```text\n  a\n   b\n  ```"
        );
        assert_eq!(md("<b><pre>x  y</pre></b>"), "**`x y`**");
    }

    #[test]
    fn definition_lists() {
        assert_eq!(
            md("<dl><dt>Term</dt><dd>Def</dd><dt><code>T2</code></dt><dd><p>D2</p></dd></dl>"),
            "**Term**\n\nDef\n\n**`T2`**\n\nD2"
        );
        assert_eq!(
            md("<dl><dt>a<dd>b<dt>c<dd>d</dl>"),
            "**a**\n\nb\n\n**c**\n\nd"
        );
    }

    #[test]
    fn other_known_elements() {
        assert_eq!(md("<h2>Title</h2><p>x</p>"), "**Title**\n\nx");
        assert_eq!(md("a<hr/>b"), "a\n\nb");
        assert_eq!(md("<table><tr><td>a</td><td>b</td></tr></table>"), "a\n\nb");
        assert_eq!(md("<span>s</span><img src='x'/>t"), "st");
        // A placeholder that happens to be an element name stays text when left unclosed.
        assert_eq!(
            md("arn:aws:dynamodb:table/<table>"),
            "arn:aws:dynamodb:table/\\<table\\>"
        );
        assert_eq!(
            md("<ul><li><pre>x</pre></li></ul>"),
            "- ```text\n  x\n  ```"
        );
    }

    #[test]
    fn unclosed_tags_degrade_to_text() {
        assert_eq!(md("<p>Use <code>foo to"), "Use \\<code\\>foo to");
        assert_eq!(md("<b>bold"), "\\<b\\>bold");
        assert_eq!(md("x</b>y</code>"), "xy");
        assert_eq!(md("<p>text"), "text");
        assert_eq!(md("<a href="), "\\<a href=");
        assert_eq!(md(r#"<a href="x>y"#), "\\<a href=\"x\\>y");
        assert_eq!(md("<note>careful"), "**Note:** careful");
        assert_eq!(md("<pre>  code"), "```text\ncode\n```");
        assert_eq!(md("<b><i>x</b></i>"), "<strong><em>x</em></strong>");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<ul><li>".repeat(5000) + "deep";
        assert!(md(&html).ends_with("deep"));
        let html = "<b>".repeat(5000) + "x" + &"</b>".repeat(5000);
        assert_eq!(md(&html), "**x**");
        let html = "<i><b>".repeat(3000) + "y";
        assert!(md(&html).ends_with('y'));
    }

    // --- wrapping ----------------------------------------------------------------------------

    #[test]
    fn wraps_at_100_columns() {
        let html = words(30);
        let first = words(20);
        let second = words(10);
        assert_eq!(first.len(), 99);
        assert_eq!(md(&html), format!("{first}\n{second}"));
    }

    #[test]
    fn wraps_list_items_with_continuation_indent() {
        let html = format!("<ul><li>{}</li></ul>", words(25));
        let first = format!("- {}", words(19));
        let second = format!("  {}", words(6));
        assert_eq!(md(&html), format!("{first}\n{second}"));
    }

    #[test]
    fn never_starts_a_continuation_line_with_markdown_syntax() {
        let prefix = words(19) + " abcde";
        assert_eq!(prefix.len(), 100);
        for risky in ["-", "+", "1.", "42)", "#tag", "=", "=="] {
            let html = format!("{prefix} {risky} next");
            let escaped = escape_word(risky, false);
            assert_eq!(md(&html), format!("{prefix} {escaped}\nnext"), "{risky}");
        }
        // Safe words wrap normally (an escaped `\|` cannot start a table row).
        assert_eq!(
            md(&format!("{prefix} | next")),
            format!("{prefix}\n\\| next")
        );
        assert_eq!(
            md(&format!("{prefix} 1.0 next")),
            format!("{prefix}\n1.0 next")
        );
        // Inside a code span too: `- b` must not start a line.
        let html = format!("{} <code>a - b</code>", words(19));
        assert_eq!(md(&html), format!("{} `a -\nb`", words(19)));
    }

    #[test]
    fn long_words_and_links_are_not_broken() {
        let long = "x".repeat(150);
        assert_eq!(md(&long), long);
        assert_eq!(md(&format!("a {long} b")), format!("a\n{long}\nb"));
        let url = format!("https://example.com/{}", "p".repeat(90));
        let html = format!(r#"{} <a href="{url}">the link text</a>"#, words(15));
        assert_eq!(md(&html), format!("{} [the link\ntext]({url})", words(15)));
        let html = format!("see {url} now");
        assert_eq!(md(&html), format!("see\n<{url}>\nnow"));
    }

    // --- doc_lines ---------------------------------------------------------------------------

    #[test]
    fn doc_lines_prefix_a_space() {
        assert_eq!(doc_lines("a\n\n  b"), vec![" a", "", "   b"]);
        assert!(doc_lines("").is_empty());
        assert_eq!(
            doc_lines(&md("<p>x</p><ul><li>y</li></ul>")),
            vec![" x", "", " - y"]
        );
    }

    // --- properties --------------------------------------------------------------------------

    /// Checks the layout guarantees: no trailing whitespace, no stray blank lines, balanced
    /// fences, and indentation only where an open list item allows it (so nothing can turn into
    /// an indented code block, i.e. a doctest).
    fn assert_well_formed(input: &str, out: &str) {
        let ctx = || format!("input: {input:?}\noutput:\n{out}");
        assert!(!out.starts_with('\n') && !out.ends_with('\n'), "{}", ctx());
        assert!(!out.contains("\n\n\n"), "{}", ctx());
        assert!(!out.contains('\r') && !out.contains('\t'), "{}", ctx());
        assert!(!out.chars().any(is_placeholder), "{}", ctx());
        let mut fence: Option<String> = None;
        let mut columns = vec![0];
        for line in out.split('\n') {
            assert!(
                !line.ends_with(' '),
                "trailing space in {line:?}\n{}",
                ctx()
            );
            if let Some(f) = &fence {
                if line.trim_start() == f {
                    fence = None;
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            while columns.last().is_some_and(|&c| c > indent) {
                columns.pop();
            }
            assert_eq!(
                columns.last(),
                Some(&indent),
                "indent of {line:?}\n{}",
                ctx()
            );
            let mut rest = &line[indent..];
            let mut column = indent;
            loop {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let marker = if rest.starts_with("- ") {
                    2
                } else if digits > 0 && rest[digits..].starts_with(". ") {
                    digits + 2
                } else {
                    break;
                };
                column += marker;
                columns.push(column);
                rest = &rest[marker..];
            }
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            if ticks >= 3 && &rest[ticks..] == "text" {
                fence = Some("`".repeat(ticks));
            }
        }
        assert!(fence.is_none(), "unclosed fence\n{}", ctx());
    }

    #[test]
    fn well_formed_on_examples() {
        for html in [
            "<ul><li><p>a</p><ul><li><p>b</p><pre>  x\n    y</pre><p>c</p></li></ul></li></ul>",
            "<ol><li><note><p>n</p><ul><li>d</li></ul></note></li></ol>",
            "<dl><dt>t</dt><dd><ul><li>a</li></ul></dd></dl>",
        ] {
            assert_well_formed(html, &md(html));
        }
    }

    #[test]
    fn pseudo_random_fragments_never_break_the_output() {
        const FRAGMENTS: &[&str] = &[
            "<p>",
            "</p>",
            "<ul>",
            "</ul>",
            "<ol>",
            "</ol>",
            "<li>",
            "</li>",
            "<code>",
            "</code>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<a href=\"https://e.com/x\">",
            "<a>",
            "</a>",
            "<note>",
            "</note>",
            "<important>",
            "</important>",
            "<pre>",
            "</pre>",
            "<br/>",
            "<dl>",
            "<dt>",
            "<dd>",
            "</dl>",
            "<node>",
            "</node>",
            "&lt;",
            "&gt;",
            "&amp;",
            "&#x41;",
            "&#0;",
            "&bogus;",
            "&",
            "<",
            ">",
            " ",
            "\n        ",
            "word",
            "- ",
            "1. ",
            "#",
            "`",
            "``",
            "```",
            "*",
            "_",
            "[x]",
            "[",
            "]",
            "(",
            ")",
            "https://e.com/a_b.",
            "http://",
            "<!--",
            "-->",
            "=",
            "|",
            "~",
            "\t",
            "é",
            "日本",
            "\u{202e}",
            "\u{0}",
            "\r\n",
            "<p/>",
            "<td>",
            "<title>",
            "</title>",
            "    indented",
            "!",
            "\\",
            "**",
            "+",
            "--",
            "<h1>",
            "</h1>",
            "<hr/>",
            "<u>",
            "</u>",
            "averyveryverylongwordwithoutanyspacesthatgoesonandonandonforeverandeverandever",
        ];
        // xorshift64*: deterministic, no dependencies.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        for _ in 0..500 {
            let len = (next() % 80) as usize;
            let html: String = (0..len)
                .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
                .collect();
            let out = md(&html);
            assert_well_formed(&html, &out);
            assert_eq!(out, md(&html), "not deterministic");
        }
    }
}
