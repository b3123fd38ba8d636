//! The masker on broken lines: diagnostics print the source around a
//! syntax error, so what a mistake turns into a name or header must not
//! show a value. (Well-formed input is covered by the unit tests in
//! `src/layout/tests/mask.rs`.)

use ward::layout::mask::mask_layout;

#[track_caller]
fn masks(input: &str, expected: &str) {
    let masked = mask_layout(input);
    assert_eq!(masked, expected, "input: {input:?}");
    assert_eq!(masked.len(), input.len());
}

#[test]
fn a_broken_array_of_a_safe_key_is_masked_after_the_break() {
    // `]` forgotten and the value written on the same line.
    masks(
        "scope = [\"web\"value = \"s3cret\"]\n",
        "scope = [\"web\"****************]\n",
    );
    // Two items without a comma: the second may be anything.
    masks(
        "scope = [\"web\" \"user\"]\n",
        "scope = [\"web\" \"****\"]\n",
    );
    // A well-formed array over several lines, with a comment, is kept.
    let text = "supporting = [\"a\", \"b\",\n  \"c\", # c\n]\n";
    masks(text, text);
}

#[test]
fn a_multi_line_string_is_masked_even_under_a_safe_key() {
    // A stray `"""` makes every line up to the next one part of a string.
    masks(
        "environments = [\"\"\"feat\n[sites.s]\nvalue = \"x\"\n\"\"\"]\n",
        "environments = [\"\"\"****\n*********\n***********\n\"\"\"]\n",
    );
    masks(
        "owner = '''acme\nvalue = \"s3cret\"\n",
        "owner = '''****\n****************\n",
    );
}

#[test]
fn a_broken_header_is_masked_with_what_follows_it() {
    // Unclosed: the rest of the line, and the values of the table it
    // might open, are hidden until the next good header.
    masks(
        "[sites.s.secrets.X value = \"s3cret\"\ntype = \"env\"\n[sites.t]\nphp = \"8.2\"\n",
        "[**********************************\ntype = \"***\"\n[sites.t]\nphp = \"8.2\"\n",
    );
    // `=` in a header outside quotes.
    masks(
        "[sites.a = \"s3cret\"]\nphp = \"8.2\"\n",
        "[*******************\nphp = \"***\"\n",
    );
    // Inside quotes, `=` and `]` are part of a key.
    let text = "[sites.\"a=]b\"]\nphp = \"8.2\"\n";
    masks(text, text);
}
