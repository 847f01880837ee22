//! A linear pre-scan of a YAML text for deeply nested flow collections.
//!
//! The YAML scanner behind `yaml_serde` keeps one entry per open flow collection (`[`, `{`)
//! and walks them all for every token, so `[[[[...` costs time quadratic in its depth before
//! the parser's own depth limit rejects it: 40,000 levels (78 KiB) take seconds, 200,000
//! levels minutes. This pre-scan finds such nesting in one pass, before parsing.
//!
//! It follows the YAML scanner's rules closely enough to skip what cannot open a
//! collection: quoted scalars, comments, block scalars (`|`, `>`, whose extent depends on
//! the indentation of the enclosing block collections, which it tracks as the scanner does)
//! and the text of plain scalars. Where it is unsure it counts a bracket rather than
//! skipping it, so it may overstate the depth of malformed text but should never
//! understate what the scanner reaches: compared with libyaml's scanner on several million
//! random soups of YAML tokens, it never reported less (the cases that once did are kept as
//! a test). On the docs' own blocks the deepest flow nesting is 1.

/// Flow collections nested deeper than this are refused before parsing. OpenAPI blocks nest
/// them a few levels at most (`enum: [a, b]`, `example: {a: [1]}`); the parser itself stops
/// at 128 levels of any nesting.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Where `text` first nests flow collections more than `limit` levels deep: its 1-based
/// line. `None` when it never does.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        limit,
        indents: Vec::new(),
    };
    scanner.document().err().map(|Deep(line)| line)
}

/// The line on which the limit was passed.
struct Deep(usize);

/// What may follow a line in block context.
#[derive(Clone, Copy)]
enum Next {
    /// Nothing special: the next line starts afresh.
    Fresh,
    /// A block scalar (`|`, `>`) in a block collection indented `parent`; `explicit` is its
    /// indentation indicator.
    BlockScalar {
        parent: isize,
        explicit: Option<isize>,
    },
    /// A plain scalar that continues on lines indented more than `parent`.
    Plain { parent: isize },
}

/// What a node in block context leads to.
enum Step {
    /// The line is done.
    Line(Next),
    /// The node was a key at this column: its value follows.
    Key(isize),
    /// Another node follows on the line (not valid YAML, read on all the same); a key
    /// among them would be one at this column.
    Another(isize),
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    line_start: usize,
    limit: usize,
    /// The columns of the open block collections, as YAML's scanner keeps them: a
    /// sequence entry or mapping key further right than the innermost opens one; a token
    /// further left closes those it is left of.
    indents: Vec<isize>,
}

/// True for the bytes that separate tokens.
fn is_blank_or_break(byte: Option<u8>) -> bool {
    matches!(byte, None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// True when the byte after the current one ends a token (space, tab, line end, end).
    fn separated(&self) -> bool {
        is_blank_or_break(self.bytes.get(self.at + 1).copied())
    }

    /// The column of the current position.
    fn column(&self) -> isize {
        (self.at - self.line_start) as isize
    }

    /// The indentation of the innermost open block collection (-1 at the top).
    fn indent(&self) -> isize {
        self.indents.last().copied().unwrap_or(-1)
    }

    /// A sequence entry or mapping key at `column` opens a collection when it is further
    /// right than the innermost one.
    fn roll(&mut self, column: isize) {
        if column > self.indent() {
            self.indents.push(column);
        }
    }

    /// A token at `column` closes the collections it is left of.
    fn unroll(&mut self, column: isize) {
        while self.indent() > column {
            self.indents.pop();
        }
    }

    /// Moves past a line break at the current position.
    fn line_break(&mut self) {
        self.at += 1;
        self.line += 1;
        self.line_start = self.at;
    }

    /// Moves past the rest of the line and its line break.
    fn skip_line(&mut self) {
        while let Some(byte) = self.peek() {
            if byte == b'\n' {
                self.line_break();
                return;
            }
            self.at += 1;
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips an anchor (`&name`) or alias (`*name`): the name is letters, digits, `-`, `_`.
    fn skip_anchor(&mut self) {
        self.at += 1;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'_')
        ) {
            self.at += 1;
        }
    }

    /// Skips a tag: `!<uri>`, or `!`, `!!` or `!handle!` and a suffix of URI characters.
    fn skip_tag(&mut self) {
        self.at += 1;
        if self.peek() == Some(b'<') {
            while !is_blank_or_break(self.peek()) && self.peek() != Some(b'>') {
                self.at += 1;
            }
            if self.peek() == Some(b'>') {
                self.at += 1;
            }
            return;
        }
        while let Some(byte) = self.peek() {
            let uri = byte.is_ascii_alphanumeric() || b"-_;/?:@&=+$.%!~*'()".contains(&byte);
            if !uri {
                return;
            }
            self.at += 1;
        }
    }

    /// True at a `---` or `...` that starts a line and is followed by a blank: it ends any
    /// scalar and every block collection.
    fn at_document_marker(&self) -> bool {
        self.at == self.line_start
            && (self.bytes[self.at..].starts_with(b"---")
                || self.bytes[self.at..].starts_with(b"..."))
            && is_blank_or_break(self.bytes.get(self.at + 3).copied())
    }

    /// Spaces at the current position (the indentation at a line start).
    fn indentation(&self) -> usize {
        self.bytes[self.at..]
            .iter()
            .take_while(|b| **b == b' ')
            .count()
    }

    /// True when the line from `from` holds nothing but blanks.
    fn blank_from(&self, from: usize) -> bool {
        self.bytes[from..]
            .iter()
            .take_while(|b| **b != b'\n')
            .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
    }

    fn document(&mut self) -> Result<(), Deep> {
        let mut next = Next::Fresh;
        while self.at < self.bytes.len() {
            next = match next {
                Next::BlockScalar { parent, explicit } => {
                    self.skip_block_scalar(parent, explicit);
                    Next::Fresh
                }
                Next::Plain { parent } => {
                    let indent = self.indentation();
                    if self.blank_from(self.at) {
                        self.skip_line();
                        next
                    } else if indent as isize > parent && !self.at_document_marker() {
                        // The scalar goes on: its text opens nothing.
                        self.at += indent;
                        let column = self.column();
                        let step = self.plain(column, true);
                        self.finish(step)?
                    } else {
                        self.block_line()?
                    }
                }
                Next::Fresh => self.block_line()?,
            };
        }
        Ok(())
    }

    /// Skips the lines of a block scalar: blank lines, and lines indented at least as much
    /// as its content. Without an indentation indicator, the content is indented as its
    /// first non-blank line, or as the longest blank line before it if that is longer, and
    /// at least one column more than its collection (and than column 0).
    fn skip_block_scalar(&mut self, parent: isize, explicit: Option<isize>) {
        let mut content = explicit.map(|extra| parent.max(0) + extra);
        let mut longest_blank = 0isize;
        while self.at < self.bytes.len() {
            if self.at_document_marker() {
                return;
            }
            let indent = self.indentation() as isize;
            if self.blank_from(self.at) {
                longest_blank = longest_blank.max(indent);
            } else {
                let needed = *content
                    .get_or_insert_with(|| indent.max(longest_blank).max(parent + 1).max(1));
                if indent < needed {
                    return;
                }
            }
            self.skip_line();
        }
    }

    /// One line in block context, from its start.
    fn block_line(&mut self) -> Result<Next, Deep> {
        if self.at_document_marker() {
            self.indents.clear();
            self.at += 3;
        } else {
            let indent = self.indentation();
            self.at += indent;
            if indent == 0 && self.peek() == Some(b'%') {
                self.skip_line();
                return Ok(Next::Fresh);
            }
        }
        let step = self.node(None)?;
        self.finish(step)
    }

    /// Follows keys to their values until the line is done.
    fn finish(&mut self, mut step: Step) -> Result<Next, Deep> {
        loop {
            match step {
                Step::Line(next) => return Ok(next),
                Step::Key(column) => {
                    self.roll(column);
                    step = self.node(None)?;
                }
                Step::Another(column) => step = self.node(Some(column))?,
            }
        }
    }

    /// One node starting at the current position in block context; `properties` is where
    /// its anchor or tag began, if anything did before it.
    fn node(&mut self, mut properties: Option<isize>) -> Result<Step, Deep> {
        // A key's column is that of its properties, when it has any.
        loop {
            self.skip_blanks();
            let Some(byte) = self.peek() else {
                return Ok(Step::Line(Next::Fresh));
            };
            if byte == b'\n' || byte == b'#' {
                self.skip_line();
                return Ok(Step::Line(Next::Fresh));
            }
            let column = self.column();
            self.unroll(column);
            let start = properties.unwrap_or(column);
            match byte {
                b':' if self.separated() => {
                    self.roll(start);
                    properties = None;
                    self.at += 1;
                }
                b'-' | b'?' if self.separated() => {
                    self.roll(column);
                    properties = None;
                    self.at += 1;
                }
                b'&' => {
                    properties = Some(start);
                    self.skip_anchor();
                }
                b'!' => {
                    properties = Some(start);
                    self.skip_tag();
                }
                // Tokens of their own wherever they appear (`,`, a closing bracket), or
                // bytes no token may start with: the scanner reads on, and so does this.
                // After a `,` the next node may be a key of its own.
                b',' => {
                    properties = None;
                    self.at += 1;
                }
                b']' | b'}' | b'@' | b'`' | b'%' => self.at += 1,
                b'[' | b'{' => {
                    self.at += 1;
                    self.flow()?;
                    return Ok(self.after_node(start));
                }
                b'"' | b'\'' => {
                    self.quoted(byte);
                    return Ok(self.after_node(start));
                }
                b'*' => {
                    self.skip_anchor();
                    return Ok(self.after_node(start));
                }
                b'|' | b'>' => {
                    self.at += 1;
                    let mut explicit = None;
                    while let Some(byte) = self.peek() {
                        match byte {
                            b'1'..=b'9' => explicit = Some(isize::from(byte - b'0')),
                            b'+' | b'-' => {}
                            _ => break,
                        }
                        self.at += 1;
                    }
                    self.skip_line();
                    let parent = self.indent();
                    return Ok(Step::Line(Next::BlockScalar { parent, explicit }));
                }
                _ => return Ok(self.plain(start, false)),
            }
        }
    }

    /// A plain scalar starting at `column` (or going on there, on a continuation line): up
    /// to `: ` (it was a key; a value follows), a comment, or the line end (it may go on
    /// on the next lines).
    fn plain(&mut self, column: isize, continued: bool) -> Step {
        let mut blank_before = continued;
        while let Some(byte) = self.peek() {
            match byte {
                b'\n' => {
                    self.line_break();
                    return Step::Line(Next::Plain {
                        parent: self.indent(),
                    });
                }
                b':' if self.separated() => {
                    self.at += 1;
                    return Step::Key(column);
                }
                b'#' if blank_before => {
                    self.skip_line();
                    return Step::Line(Next::Fresh);
                }
                _ => self.at += 1,
            }
            blank_before = matches!(byte, b' ' | b'\t' | b'\r');
        }
        Step::Line(Next::Fresh)
    }

    /// After a quoted scalar, flow collection or alias in block context: a `:` makes it a
    /// key whose value follows; a comment or the line end ends the line.
    fn after_node(&mut self, column: isize) -> Step {
        self.skip_blanks();
        match self.peek() {
            Some(b':') if self.separated() => {
                self.at += 1;
                Step::Key(column)
            }
            Some(b'\n' | b'#') | None => {
                self.skip_line();
                Step::Line(Next::Fresh)
            }
            // Not valid YAML (the parser will say so); the rest is read as another node,
            // so no bracket on it goes uncounted.
            Some(_) => Step::Another(column),
        }
    }

    /// Inside a flow collection, just after its opening bracket; returns after the bracket
    /// that closes it (or at the end of the text).
    ///
    /// As YAML's scanner does, it tells a token start from the inside of a plain scalar:
    /// a quote opens a quoted scalar and `#` a comment only at a token start; inside a
    /// plain scalar a quote is text and `#` starts a comment only after a blank.
    fn flow(&mut self) -> Result<(), Deep> {
        let mut depth = 1usize;
        if depth > self.limit {
            return Err(Deep(self.line));
        }
        let mut in_plain = false;
        let mut blank_before = false;
        while let Some(byte) = self.peek() {
            let blank = matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
            match byte {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.limit {
                        return Err(Deep(self.line));
                    }
                    in_plain = false;
                    self.at += 1;
                }
                b']' | b'}' => {
                    self.at += 1;
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                    in_plain = false;
                }
                b',' => {
                    in_plain = false;
                    self.at += 1;
                }
                b'\n' => {
                    self.line_break();
                    // A document marker is a token even here.
                    if self.at_document_marker() {
                        self.at += 3;
                        in_plain = false;
                    }
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'#' if !in_plain || blank_before => {
                    // A comment runs to the line end; the line break is read next.
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.at += 1;
                    }
                    in_plain = false;
                }
                b'"' | b'\'' if !in_plain => self.quoted(byte),
                // A value indicator: always at a token start, and inside a plain scalar
                // when a blank or a flow indicator follows.
                b':' if !in_plain
                    || matches!(
                        self.bytes.get(self.at + 1).copied(),
                        None | Some(
                            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                        )
                    ) =>
                {
                    in_plain = false;
                    self.at += 1;
                }
                b'-' | b'?' if !in_plain && self.separated() => self.at += 1,
                b'&' | b'*' if !in_plain => self.skip_anchor(),
                b'!' if !in_plain => self.skip_tag(),
                _ => {
                    in_plain = true;
                    self.at += 1;
                }
            }
            blank_before = blank;
        }
        Ok(())
    }

    /// Skips a quoted scalar opened by `quote` at the current position (it may span lines).
    fn quoted(&mut self, quote: u8) {
        self.at += 1;
        while let Some(byte) = self.peek() {
            match byte {
                b'\n' => {
                    self.line_break();
                    continue;
                }
                b'\\' if quote == b'"' => {
                    self.at += 1;
                    if self.peek() == Some(b'\n') {
                        self.line_break();
                        continue;
                    }
                }
                b'\'' if quote == b'\'' && self.bytes.get(self.at + 1) == Some(&b'\'') => {
                    self.at += 1;
                }
                _ if byte == quote => {
                    self.at += 1;
                    return;
                }
                _ => {}
            }
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str, limit: usize) -> bool {
        too_deep(text, limit).is_none()
    }

    #[test]
    fn nested_flow_collections_are_found_on_their_line() {
        let deep = format!("openapi: 3.1.0\npaths:\n  x: {}", "[".repeat(100));
        assert_eq!(too_deep(&deep, MAX_FLOW_DEPTH), Some(3));
        assert_eq!(too_deep(&"{".repeat(65), MAX_FLOW_DEPTH), Some(1));
        assert_eq!(too_deep(&"[{".repeat(40), MAX_FLOW_DEPTH), Some(1));
        let across_lines = format!("a:\n  - {}", "[\n".repeat(70));
        assert!(too_deep(&across_lines, MAX_FLOW_DEPTH).is_some());
        assert!(depth_ok(
            &format!("a: {}{}", "[".repeat(64), "]".repeat(64)),
            64
        ));
        assert!(!depth_ok(
            &format!("a: {}{}", "[".repeat(65), "]".repeat(65)),
            64
        ));
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let many = "[".repeat(500);
        for text in [
            format!("a: \"{many}\"\n"),
            format!("a: '{many} it''s'\n"),
            format!("a: |\n  {many}\n  more {many}\nb: 1\n"),
            format!("- >-\n    {many}\n"),
            format!("a: see {many}\n"),
            format!("a: plain\n  continued {many}\n"),
            format!("# {many}\na: 1 # {many}\n"),
            format!("a: [\"{many}\", '{many}'] # {many}\n"),
            format!("a: {{b: \"{many}\"}}\n"),
            format!("- key: |2\n    {many}\n"),
        ] {
            assert!(depth_ok(&text, MAX_FLOW_DEPTH), "{text}");
        }
    }

    #[test]
    fn text_that_ends_does_not_hide_what_follows() {
        let deep = "[".repeat(100);
        for text in [
            // The block scalar ends where a line is not indented more than its key.
            format!("a: |\n  text\nb: {deep}\n"),
            format!("- k: |\n  {deep}\n"),
            // A quote inside a plain scalar opens nothing.
            format!("a: it's\nb: {deep}\n'\n"),
            format!("a: [x'y, {deep}]\n"),
            // A comment ends a plain scalar; the next line is read afresh.
            format!("a: v # c\n  {deep}\n"),
            // A continuation line may hold a key.
            format!("a: v\n  w: {deep}\n"),
        ] {
            assert!(too_deep(&text, MAX_FLOW_DEPTH).is_some(), "{text}");
        }
    }

    /// Inputs where earlier versions of this scan counted fewer levels than YAML's own
    /// scanner (libyaml, as `yaml_serde` runs it) reaches, with that scanner's depth; found
    /// by comparing the two on millions of random token soups.
    #[test]
    fn never_less_than_the_yaml_scanner_on_what_it_once_missed() {
        let cases: [(&str, usize); 10] = [
            (",[", 1),
            ("}\n  '', {[", 2),
            ("|\n    - &x : x: ,}: :'\n    \n  {", 1),
            (
                "2*x\\\n---\n{2]#---[\n\n  ,]: &x ,x: #  #x: \n\\\"]\n? \n",
                1,
            ),
            ("-: ''\t2\n  ,\"\n? [", 1),
            (":? \n: : ''[]\r\n#:", 1),
            (
                "*x,: \\||a\n  {}: },  >,---'\\---x: ,  {  [}>'*x|2a: |---|\n    ]\n  ",
                1,
            ),
            ("\n  '',:x: \\#\t\r\n\n    {\n    ", 1),
            (
                "''\n    x: 2\r\n*x- -{'':\n  2\t-\r\n,{:}\t:&x ]- *xx: }|[*x\"\n  ",
                1,
            ),
            ("[[''\n{}\r\n---\n  \"-x: \n,x: \"\r\n[: ---- '\t|[''", 4),
        ];
        for (text, depth) in cases {
            assert!(too_deep(text, depth - 1).is_some(), "{text:?}");
        }
    }

    #[test]
    fn the_scan_is_linear() {
        // Megabytes of brackets in a quoted scalar, 200,000 levels, long lines of dashes
        // and of keys: each a single pass.
        let text = format!(
            "a: \"{}\"\nb: {}",
            "[".repeat(2_000_000),
            "[".repeat(200_000)
        );
        let started = std::time::Instant::now();
        assert_eq!(too_deep(&text, MAX_FLOW_DEPTH), Some(2));
        assert_eq!(too_deep(&"- ".repeat(500_000), MAX_FLOW_DEPTH), None);
        assert_eq!(too_deep(&"a: ".repeat(500_000), MAX_FLOW_DEPTH), None);
        assert_eq!(too_deep(&"\"a\" ".repeat(300_000), MAX_FLOW_DEPTH), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}
