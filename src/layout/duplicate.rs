//! toml reports a table or key declared twice in one file at the second
//! declaration only; SPEC §1 wants an error that points at both. This finds
//! the first one lexically: the same header earlier in the file, or the same
//! key earlier in the same table.

use std::collections::HashMap;
use std::ops::Range;

/// What a duplicate-key error is about.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Duplicate {
    /// The first declaration, as a byte range of the file.
    First(Range<usize>),
    /// A key repeated only because its table's header is repeated: that
    /// header is already reported.
    Cascade,
    /// Not found, e.g. a dotted key declared the table first.
    Unknown,
}

/// The lines of a file read once, with the first declaration of each
/// header and key: a file with 10k duplicate keys has 10k errors to look
/// up, each in constant time.
pub(super) struct Index {
    /// (start, line, end of its header or key) of every line.
    lines: Vec<(usize, Line, usize)>,
    /// For each line, the line that first declared the same header, or the
    /// same key in the same table.
    first: Vec<Option<usize>>,
    /// For each line, the header line of its table.
    table: Vec<Option<usize>>,
}

impl Index {
    /// Reads every line of `text`.
    pub(super) fn new(text: &str) -> Self {
        let lines: Vec<(usize, Line, usize)> = text
            .split_inclusive('\n')
            .scan(0, |start, line| {
                let here = *start;
                *start += line.len();
                let (read, end) = read(line);
                Some((here, read, end))
            })
            .collect();
        let mut headers: HashMap<&str, usize> = HashMap::new();
        let mut keys: HashMap<&str, usize> = HashMap::new();
        let (mut first, mut table) = (Vec::new(), Vec::new());
        let mut current = None;
        for (i, (_, line, _)) in lines.iter().enumerate() {
            let earliest = match line {
                Line::Header(h) => {
                    keys.clear();
                    current = Some(i);
                    Some(*headers.entry(h).or_insert(i))
                }
                Line::Key(k) => Some(*keys.entry(k).or_insert(i)),
                Line::Other => None,
            };
            first.push(earliest.filter(|&f| f != i));
            table.push(current.filter(|&t| t != i));
        }
        Index {
            lines,
            first,
            table,
        }
    }

    /// Looks for the first declaration of what the duplicate-key error at
    /// byte `at` of the text reports again.
    pub(super) fn find(&self, text: &str, at: usize) -> Duplicate {
        let Some(i) = self
            .lines
            .partition_point(|(start, ..)| *start <= at)
            .checked_sub(1)
        else {
            return Duplicate::Unknown;
        };
        if let (Line::Key(_), Some(t)) = (&self.lines[i].1, self.table[i])
            && let Line::Header(h) = &self.lines[t].1
            && !h.starts_with("[[")
            && self.first[t].is_some()
        {
            return Duplicate::Cascade;
        }
        let Some((start, _, end)) = self.first[i].map(|f| &self.lines[f]) else {
            return Duplicate::Unknown;
        };
        // The header, or the key without its value.
        let line = &text[*start..start + end];
        let indent = line.len() - line.trim_start().len();
        Duplicate::First(start + indent..start + line.trim_end().len())
    }
}

/// Looks for the first declaration of what the duplicate-key error at byte
/// `at` of `text` reports again (reads the whole text: for one error).
#[cfg(test)]
pub(super) fn find(text: &str, at: usize) -> Duplicate {
    Index::new(text).find(text, at)
}

/// A line as far as duplicates go: whitespace outside quotes and comments
/// dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Line {
    /// `[a.b]` or `[[a.b]]`.
    Header(String),
    /// The key of `key = value`.
    Key(String),
    Other,
}

/// Reads a line; the number is where its header or key ends (in bytes).
fn read(line: &str) -> (Line, usize) {
    let mut norm = String::new();
    let mut quote = None;
    let mut eq = None;
    let mut end = line.trim_end().len();
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some('"'), '\\') => {
                norm.push(c);
                norm.extend(chars.next().map(|(_, c)| c));
                continue;
            }
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => {
                end = i;
                break;
            }
            (None, '=') if eq.is_none() => {
                eq = Some(norm.len());
                end = i;
            }
            (None, c) if c.is_whitespace() => continue,
            (None, _) => {}
        }
        norm.push(c);
    }
    let line = match eq {
        _ if norm.starts_with('[') => Line::Header(norm),
        Some(eq) if eq > 0 => Line::Key(norm[..eq].to_string()),
        _ => Line::Other,
    };
    (line, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the duplicate error at the last `second` finds.
    fn first(text: &str, second: &str) -> Duplicate {
        let at = text.rfind(second).expect("second declaration");
        find(text, at)
    }

    /// The declaration `decl` starting at byte `start`.
    fn at(start: usize, decl: &str) -> Duplicate {
        Duplicate::First(start..start + decl.len())
    }

    #[test]
    fn finds_the_first_header() {
        let text = "[orgs.o] # c\n\n[sites.s]\n  [ orgs . o ]  # again\n";
        assert_eq!(first(text, "o ]"), at(0, "[orgs.o]"));
    }

    #[test]
    fn finds_the_first_key_in_the_same_table_only() {
        let text = "[a]\ntype = 1\n[b]\n  type = 2\n\"type\" = 3\ntype=4\n";
        let b = text.find("[b]").expect("[b]") + 6;
        assert_eq!(first(text, "type=4"), at(b, "type"));
        let text = "[a]\n\"x = y\" = 1\n\"x = y\" = 2\n";
        assert_eq!(first(text, "\"x = y\" = 2"), at(4, "\"x = y\""));
    }

    #[test]
    fn keys_under_a_repeated_header_are_a_cascade() {
        let text = "[s.X]\ntype = 1\n[s.X]\ntype = 2\n";
        assert_eq!(first(text, "type = 2"), Duplicate::Cascade);
        // Arrays of tables repeat their header by design.
        let text = "[[s]]\ntype = 1\n[[s]]\ntype = 2\ntype = 3\n";
        let second = text.find("type = 2").expect("type = 2");
        assert_eq!(first(text, "type = 3"), at(second, "type"));
    }

    #[test]
    fn quotes_and_comments_are_read() {
        assert_eq!(read("\"a = b\" = 1 # x").0, Line::Key("\"a = b\"".into()));
        assert_eq!(
            read("[\"a # b\"] # c").0,
            Line::Header("[\"a # b\"]".into())
        );
        assert_eq!(read("\"a\\\"=\" = 1").0, Line::Key("\"a\\\"=\"".into()));
        assert_eq!(read("# [x]").0, Line::Other);
        assert_eq!(first("x = 1\n", "x = 1"), Duplicate::Unknown);
    }
}
