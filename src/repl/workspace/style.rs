//! Writing new TOML like the text around it: indentation, spacing, quotes,
//! and the commas and spaces of inline tables.

use toml_edit::{Decor, InlineTable, Item, Table, Value};
use zeroize::Zeroizing;

/// How a table writes its `key = value` lines: indentation and the spacing
/// around `=`, per key (alignment differs from key to key).
pub(super) struct Style {
    /// Each value key of the table with the way its line is written.
    lines: Vec<(String, Line)>,
}

/// How one `key = value` line is written.
struct Line {
    /// Before the key.
    indent: String,
    /// Between key and `=`.
    before_eq: String,
    /// Between `=` and value.
    after_eq: String,
}

impl Style {
    /// The style of the `key = value` lines of `table`, if it has any.
    pub(super) fn of(table: &Table) -> Option<Style> {
        let text = |raw: Option<&toml_edit::RawString>, default: &str| {
            raw.and_then(|r| r.as_str()).unwrap_or(default).to_owned()
        };
        let lines: Vec<_> = table
            .iter()
            .filter_map(|(name, item)| {
                let key = table.key(name)?;
                let value = item.as_value()?;
                let prefix = text(key.leaf_decor().prefix(), "");
                let indent = prefix.rsplit('\n').next().unwrap_or("");
                let line = Line {
                    indent: if indent.trim().is_empty() { indent } else { "" }.to_owned(),
                    before_eq: text(key.leaf_decor().suffix(), " "),
                    after_eq: text(value.decor().prefix(), " "),
                };
                Some((name.to_owned(), line))
            })
            .collect();
        (!lines.is_empty()).then_some(Style { lines })
    }

    /// Gives `table`'s `key = value` line this style: that of the same key,
    /// else of the first.
    pub(super) fn apply(&self, table: &mut Table, key: &str) {
        let Some((_, line)) = self
            .lines
            .iter()
            .find(|(k, _)| k == key)
            .or(self.lines.first())
        else {
            return;
        };
        if let Some(mut k) = table.key_mut(key) {
            let decor = k.leaf_decor_mut();
            decor.set_prefix(line.indent.as_str());
            decor.set_suffix(line.before_eq.as_str());
        }
        if let Some(value) = table.get_mut(key).and_then(Item::as_value_mut) {
            value.decor_mut().set_prefix(line.after_eq.as_str());
        }
    }
}

/// Inserts `key = value` into a standard or dotted table before the first
/// of the keys `before` it has (else at the end), in the table's style.
pub(super) fn insert_before(table: &mut Table, key: &str, value: Value, before: &[&str]) {
    let style = Style::of(table).filter(|_| !table.is_dotted());
    let at = table.iter().position(|(k, _)| before.contains(&k));
    let moved: Vec<String> = match at {
        Some(at) => table.iter().skip(at).map(|(k, _)| k.to_owned()).collect(),
        None => Vec::new(),
    };
    let held: Vec<_> = moved.iter().filter_map(|k| table.remove_entry(k)).collect();
    table.insert(key, Item::Value(value));
    if let Some(style) = style {
        style.apply(table, key);
    }
    for (k, item) in held {
        table.insert_formatted(&k, item);
    }
}

/// Appends `key = value` to an inline table, spaced like its last entry
/// (`{ a = 1 }` → `{ a = 1, b = 2 }`, `{a=1}` → `{a=1,b=2}`).
pub(super) fn inline_insert(table: &mut InlineTable, key: &str, mut value: Value) {
    let last = table.iter().last().map(|(k, _)| k.to_owned());
    let Some(last) = last else {
        table.insert(key, value);
        return;
    };
    let key_decor = table.key(&last).map(|k| k.leaf_decor().clone());
    if let Some(prev) = table.get_mut(&last) {
        let decor = prev.decor_mut();
        let suffix = decor.suffix().cloned();
        // The space before `}` moves to the new last entry.
        decor.set_suffix("");
        let prefix = decor.prefix().cloned();
        let new = value.decor_mut();
        if let Some(prefix) = prefix {
            new.set_prefix(prefix);
        }
        if let Some(suffix) = suffix {
            new.set_suffix(suffix);
        }
    }
    table.insert(key, value);
    if let (Some(decor), Some(mut k)) = (key_decor, table.key_mut(key)) {
        *k.leaf_decor_mut() = decor;
    }
}

/// Removes `key` from an inline table, keeping the spacing after `{` and
/// before `}`.
pub(super) fn inline_remove(table: &mut InlineTable, key: &str) -> Option<Value> {
    let index = table.iter().position(|(k, _)| k == key)?;
    let key_decor = table.key(key).map(|k| k.leaf_decor().clone());
    let removed = table.remove(key)?;
    let len = table.len();
    let first = table.iter().next().map(|(k, _)| k.to_owned());
    if index == 0
        && let Some(first) = first
        && let Some(prefix) = key_decor.as_ref().and_then(Decor::prefix)
        && let Some(mut k) = table.key_mut(&first)
    {
        k.leaf_decor_mut().set_prefix(prefix.clone());
    }
    if index == len
        && let Some(last) = table.iter().last().map(|(k, _)| k.to_owned())
        && let Some(value) = table.get_mut(&last)
        && let Some(suffix) = removed.decor().suffix()
    {
        value.decor_mut().set_suffix(suffix.clone());
    }
    Some(removed)
}

/// Replaces `old` by `new`, keeping the comments and spacing around it and,
/// for a string, its quotes where the new text allows them.
pub(super) fn restyle(old: &mut Value, new: Value) {
    let mut new = match (&*old, new.as_str()) {
        (Value::String(_), Some(text)) => string(text, Some(old)),
        _ => new,
    };
    *new.decor_mut() = old.decor().clone();
    *old = new;
}

/// A TOML string: a literal string (`'…'`) if `like` is one and `text` can
/// be one, else a basic string (`"…"`) with escapes. The TOML text made on
/// the way holds the value: it is built at its final size (no copy left by
/// a growing buffer) and zeroed when dropped.
pub(super) fn string(text: &str, like: Option<&Value>) -> Value {
    let literal = matches!(like, Some(Value::String(s))
        if s.display_repr().starts_with('\'') && !s.display_repr().starts_with("'''"))
        && !text
            .chars()
            .any(|c| c == '\'' || (c.is_control() && c != '\t'));
    let raw = Zeroizing::new(if literal {
        let mut raw = String::with_capacity(text.len() + 2);
        raw.push('\'');
        raw.push_str(text);
        raw.push('\'');
        raw
    } else {
        basic(text)
    });
    raw.parse::<Value>().unwrap_or_else(|_| Value::from(text))
}

/// `text` as a TOML basic string.
fn basic(text: &str) -> String {
    let len: usize = text.chars().map(escaped_len).sum();
    let mut out = String::with_capacity(len + 2);
    out.push('"');
    for c in text.chars() {
        match escape(c) {
            Some(e) => out.push_str(e),
            None if c.is_control() => {
                // `\uXXXX`, written without `format!`'s own buffer.
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    let digit = (u32::from(c) >> shift) & 0xF;
                    out.extend(char::from_digit(digit, 16).map(|d| d.to_ascii_uppercase()));
                }
            }
            None => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Bytes `c` takes in a basic string.
fn escaped_len(c: char) -> usize {
    match escape(c) {
        Some(e) => e.len(),
        // `\uXXXX`: control characters are all below U+0100.
        None if c.is_control() => 6,
        None => c.len_utf8(),
    }
}

/// The short escape of a character a basic string cannot hold as it is;
/// `None` for one written as it is or (a control character) as `\uXXXX`.
fn escape(c: char) -> Option<&'static str> {
    match c {
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_strings_are_built_at_their_final_size() {
        let text = "a\"b\\c\nd\re\tf\u{1}g\u{7f}é🔑";
        let out = basic(text);
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007Fé🔑\"");
        // No growth: nothing was left behind in a freed buffer.
        assert_eq!(out.len(), out.capacity());
        assert_eq!(
            out.parse::<Value>()
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .as_deref(),
            Some(text)
        );
    }
}
