//! Splitting a command line into words, shell-like, keeping each word's byte
//! range so diagnostics can point at it; splitting `--exec` scripts on `;`.

use std::ops::Range;

use zeroize::Zeroizing;

/// One word of a command line.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The word with quotes and escapes removed. Any word may be a secret
    /// value: allocated at its final size (growing would leave copies in
    /// freed memory) and zeroed when dropped.
    pub text: Zeroizing<String>,
    /// Its bytes in the line, quotes included.
    pub span: Range<usize>,
    /// Whether any part was quoted or escaped (then `text` is not the line's
    /// bytes, and a quoted `--x` is not a flag).
    pub quoted: bool,
    /// A quote was left open: the word runs to the end of the line.
    pub unclosed: bool,
}

// Hand-written: a token may be a secret value.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token({:?})", self.span)
    }
}

/// Splits `line` into words: whitespace separates them; `'...'` is literal,
/// `"..."` allows `\"` and `\\`, and `\` outside quotes escapes one
/// character. An unclosed quote ends the last word at the end of the line.
pub fn tokenize(line: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = Token {
            // Unquoting only shortens: the rest of the line is room enough.
            text: Zeroizing::new(String::with_capacity(line.len() - start)),
            span: start..start,
            quoted: false,
            unclosed: false,
        };
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '\'' | '"' => {
                    token.quoted = true;
                    token.unclosed = !quoted_part(c, &mut chars, &mut token.text);
                }
                '\\' => {
                    token.quoted = true;
                    if let Some((_, next)) = chars.next() {
                        token.text.push(next);
                    }
                }
                _ => token.text.push(c),
            }
        }
        token.span.end = chars.peek().map_or(line.len(), |&(i, _)| i);
        tokens.push(token);
    }
    tokens
}

/// Reads up to the closing `quote`; `false` if the line ends first.
fn quoted_part(
    quote: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    out: &mut String,
) -> bool {
    while let Some((_, c)) = chars.next() {
        match c {
            c if c == quote => return true,
            '\\' if quote == '"' => match chars.next() {
                Some((_, e @ ('"' | '\\'))) => out.push(e),
                Some((_, e)) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    false
}

/// Splits an `--exec` script into commands on `;` outside quotes (`\;`
/// keeps a `;`). Empty commands are dropped.
pub fn split_commands(script: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote = None;
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in script.char_indices() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (Some('"') | None, '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, ';') => {
                out.push(&script[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&script[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// `line` with the bytes of `spans` replaced by `*` (same length, so every
/// other span stays valid).
pub fn mask_spans(line: &str, spans: &[Range<usize>]) -> String {
    let mut bytes = line.as_bytes().to_vec();
    for span in spans {
        if let Some(part) = bytes.get_mut(span.clone()) {
            part.fill(b'*');
        }
    }
    // Whole UTF-8 sequences are replaced (spans end on char boundaries);
    // should one not be, everything is masked.
    String::from_utf8(bytes).unwrap_or_else(|_| "*".repeat(line.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        tokenize(line)
            .into_iter()
            .map(|t| t.text.to_string())
            .collect()
    }

    #[test]
    fn splits_on_whitespace_and_keeps_spans() {
        let t = tokenize("  resolve  site.dev ");
        assert_eq!(t.len(), 2);
        assert_eq!(*t[1].text, "site.dev");
        assert_eq!(t[1].span, 11..19);
        assert!(!t[1].quoted);
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            words(r#"a "b c" 'd "e' f\ g"#),
            ["a", "b c", "d \"e", "f g"]
        );
        assert_eq!(words(r#""x\"y\\z\n""#), [r#"x"y\z\n"#]);
        let t = tokenize(r#"set "a b"c"#);
        assert_eq!(*t[1].text, "a bc");
        assert_eq!(t[1].span, 4..10);
        assert!(t[1].quoted);
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        let t = tokenize("set 'a b");
        assert_eq!(*t[1].text, "a b");
        assert_eq!(t[1].span, 4..8);
        assert!(t[1].unclosed);
    }

    #[test]
    fn exec_scripts_split_outside_quotes() {
        assert_eq!(
            split_commands(r#"a 'x;y'; b "p;q" ;; c\;d ;"#),
            [r#"a 'x;y'"#, r#"b "p;q""#, r"c\;d"]
        );
    }

    #[test]
    fn masking_keeps_length() {
        let span = 6..10;
        assert_eq!(mask_spans("set a €b c", &[span]), "set a **** c");
    }
}
