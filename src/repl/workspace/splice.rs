//! Keeping every line an edit does not touch byte-identical.
//!
//! toml_edit re-prints a whole document, and normalises a few things on the
//! way (line endings to `\n`, a byte-order mark, a missing final newline, the
//! spelling of keys repeated in several headers). So the edit is applied to
//! a document, both the document before and after it are printed, and only
//! the lines that differ between those two prints are carried over into the
//! original text; all other lines are copied from it.

/// Largest line-diff table (cells) worth computing; larger changes are
/// carried over as one block.
const MAX_CELLS: usize = 1 << 22;

/// The original `text` changed as `before` → `after` changed (both are
/// toml_edit prints of `text`'s document, before and after the edit). Lines
/// the edit did not touch are copied from `text`, new lines take its line
/// ending. Falls back to `after` itself (with `text`'s line ending) when the
/// lines of `text` and `before` do not correspond and the carried-over text
/// does not mean what `after` means.
pub(super) fn splice(text: &str, before: &str, after: &str) -> String {
    let eol = eol_of(text);
    if let Some((spliced, aligned)) = carry_over(text, before, after, eol)
        && (aligned || same_document(&spliced, after))
    {
        return spliced;
    }
    let mut whole = String::with_capacity(after.len());
    if text.starts_with('\u{feff}') {
        whole.push('\u{feff}');
    }
    for line in after.split_inclusive('\n') {
        push_line(&mut whole, line, eol, true);
    }
    whole
}

/// The line ending new lines of `text` take: its first line's.
pub(super) fn eol_of(text: &str) -> &'static str {
    let first_break = text.find('\n').unwrap_or(0);
    if text[..first_break].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    }
}

/// [`splice`] for a section of a file (whose new lines take the file's
/// line ending `eol`): only when each line of `text` is the line of
/// `before` at the same place, so that the result is what the whole
/// file's splice gives for these lines; else `None`.
pub(super) fn splice_section(text: &str, before: &str, after: &str, eol: &str) -> Option<String> {
    match carry_over(text, before, after, eol)? {
        (spliced, true) => Some(spliced),
        (_, false) => None,
    }
}

/// Line-by-line carry-over; `None` when `text` and `before` do not have the
/// same number of lines. The flag says whether each line of `text` is the
/// line of `before` at the same place (see [`corresponds`]), which makes
/// the result right by construction.
fn carry_over(text: &str, before: &str, after: &str, eol: &str) -> Option<(String, bool)> {
    let original: Vec<&str> = text.split_inclusive('\n').collect();
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    if original.len() != old.len() {
        return None;
    }
    let aligned = original
        .iter()
        .zip(&old)
        .enumerate()
        .all(|(i, (o, b))| corresponds(o, b, i == 0));
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = &old[head..old.len() - tail];
    let new_mid = &new[head..new.len() - tail];

    let mut out = String::with_capacity(after.len() + text.len() / 8);
    original[..head].iter().for_each(|l| out.push_str(l));
    for op in diff(old_mid, new_mid) {
        match op {
            Op::Keep(i) => push_line(&mut out, original[head + i], eol, false),
            Op::Insert(j) => push_line(&mut out, new_mid[j], eol, true),
        }
    }
    for line in &original[original.len() - tail..] {
        push_line(&mut out, line, eol, false);
    }
    if text.starts_with('\u{feff}') && !out.starts_with('\u{feff}') {
        out.insert(0, '\u{feff}');
    }
    if !text.ends_with('\n') && !text.is_empty() {
        // The file had no final newline: it still has none.
        if let Some(stripped) = out.strip_suffix(eol) {
            out.truncate(stripped.len());
        }
    }
    Some((out, aligned))
}

/// Whether `original`, a line of the file, is `printed`, toml_edit's print
/// of it: the same but for the line ending, a byte-order mark on the
/// `first` line, and the spelling of a table header's keys.
fn corresponds(original: &str, printed: &str, first: bool) -> bool {
    let mut o = line_body(original);
    if first {
        o = o.strip_prefix('\u{feff}').unwrap_or(o);
    }
    let p = line_body(printed);
    o == p || (o.trim_start().starts_with('[') && p.trim_start().starts_with('['))
}

/// A line without its line ending.
fn line_body(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Appends `line`, first ending the previous line if it had no newline (the
/// last line of a file); a `new` line takes the file's line ending `eol`,
/// others are copied as they are.
fn push_line(out: &mut String, line: &str, eol: &str, new: bool) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    match line.strip_suffix('\n') {
        Some(body) if new => {
            out.push_str(body.strip_suffix('\r').unwrap_or(body));
            out.push_str(eol);
        }
        _ => out.push_str(line),
    }
}

/// Whether `text` means what `after` means: the guard against a carry-over
/// that went wrong (the lines of `text` and of toml_edit's print of it not
/// corresponding, say). Compared as data, since toml_edit's print of a key
/// repeated in several headers depends on which header comes first.
fn same_document(text: &str, after: &str) -> bool {
    let parse = |s: &str| s.trim_start_matches('\u{feff}').parse::<toml::Table>().ok();
    matches!((parse(text), parse(after)), (Some(a), Some(b)) if a == b)
}

/// One step of a line diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Line `i` of the old side stays.
    Keep(usize),
    /// Line `j` of the new side comes in.
    Insert(usize),
}

/// A shortest edit script from `old` to `new` as the lines that stay and the
/// lines that come in (removed lines are simply not kept), by longest common
/// subsequence; one block when the table would be too large.
fn diff(old: &[&str], new: &[&str]) -> Vec<Op> {
    let (n, m) = (old.len(), new.len());
    if n == 0 || m == 0 || (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        return (0..m).map(Op::Insert).collect();
    }
    // lcs[i * (m + 1) + j]: length of the LCS of old[i..] and new[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if old[i] == new[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(m);
    while i < n && j < m {
        if old[i] == new[j] {
            ops.push(Op::Keep(i));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] {
            i += 1;
        } else {
            ops.push(Op::Insert(j));
            j += 1;
        }
    }
    ops.extend((j..m).map(Op::Insert));
    ops
}

/// The one byte range in which `old` and `new` differ, on character
/// boundaries: `(start, old_end, new_end)`.
pub(super) fn differing(old: &str, new: &str) -> (usize, usize, usize) {
    let mut start = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(start) && new.is_char_boundary(start)) {
        start -= 1;
    }
    let room = old.len().min(new.len()) - start;
    let mut tail = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(old.len() - tail) && new.is_char_boundary(new.len() - tail)) {
        tail -= 1;
    }
    (start, old.len() - tail, new.len() - tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differing_stays_on_char_boundaries() {
        let (old, new) = ("aé", "aè");
        let (start, old_end, new_end) = differing(old, new);
        assert_eq!((&old[start..old_end], &new[start..new_end]), ("é", "è"));
        assert_eq!(differing("abc", "abc"), (3, 3, 3));
        assert_eq!(differing("abab", "ab"), (2, 4, 2));
    }

    #[test]
    fn diff_keeps_the_common_lines() {
        let old = ["a\n", "b\n", "c\n"];
        let new = ["a\n", "x\n", "c\n", "d\n"];
        let ops = diff(&old, &new);
        assert_eq!(
            ops,
            [Op::Keep(0), Op::Insert(1), Op::Keep(2), Op::Insert(3)]
        );
    }

    #[test]
    fn new_lines_take_the_files_line_ending() {
        let text = "a = 1\r\nb = 2\r\n";
        let spliced = splice(text, "a = 1\nb = 2\n", "a = 1\nb = 3\n");
        assert_eq!(spliced, "a = 1\r\nb = 3\r\n");
    }

    #[test]
    fn a_missing_final_newline_stays_missing() {
        let spliced = splice("a = 1\nb = 2", "a = 1\nb = 2\n", "a = 1\nb = 2\nc = 3\n");
        assert_eq!(spliced, "a = 1\nb = 2\nc = 3");
        let spliced = splice("a = 1\nb = 2", "a = 1\nb = 2\n", "a = 1\nb = 5\n");
        assert_eq!(spliced, "a = 1\nb = 5");
    }
}
