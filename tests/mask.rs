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

/// Masked in pieces on several threads (a large file is), a text gets
/// exactly the ranges it gets masked whole, whatever its lines: pieces
/// start at headers, and when a value runs across one (a multi-line string
/// or a broken array), the text is masked whole.
mod pieces {
    use proptest::prelude::*;
    use ward::layout::mask::hidden_ranges;

    /// Lines of layouts, well-formed and broken, values that span lines
    /// and headers that are not.
    const LINES: &[&str] = &[
        "[orgs.o]",
        "[sites.s.secrets.API_KEY]",
        "[sites.s.secrets.K.overrides]",
        "[[sites.s.secrets]]",
        "[sites.s",
        "  [orgs.o.secrets.X]",
        "type = \"env\"",
        "scope = [\"web\", \"user\"]",
        "value = \"s3cret\"",
        "value = '''multi",
        "value = \"\"\"multi",
        "end'''",
        "end\"\"\"",
        "overrides = { live = \"a\", dev = \"b\" }",
        "overrides = { live = \"a\",",
        "supporting = [\"a\",",
        "  \"b\", # c = d",
        "]",
        "# value = \"old\"",
        "php = \"8.2\"",
        "x",
        "\"quoted key\" = 'v'",
        "a.b.c = 1",
        "value = \"unclosed",
        "",
        "\r",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(LINES), 0..120)
            .prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn pieces_mask_what_the_whole_masks(text in text(), pieces in 2usize..7) {
            let whole = hidden_ranges(text.as_bytes(), 1);
            prop_assert_eq!(hidden_ranges(text.as_bytes(), pieces), whole);
        }
    }

    /// A multi-line string across the place a piece would start: the
    /// piece before does not stop there, and the text is masked whole
    /// (masked in pieces, the header inside the string would be kept).
    #[test]
    fn a_value_across_a_cut_masks_the_whole() {
        let text = format!(
            "{}value = \"\"\"\n[sites.t]\nvalue = \"in the string\"\n\"\"\"\n[sites.u]\nvalue = \"v\"\n",
            "[sites.s]\nx = 1\n".repeat(3)
        );
        let whole = hidden_ranges(text.as_bytes(), 1);
        let masked_header = text.find("[sites.t]").unwrap_or_default();
        assert!(
            whole
                .iter()
                .any(|&[a, b]| (a as usize) <= masked_header && masked_header < b as usize),
            "the header in the string is masked"
        );
        for pieces in 2..6 {
            assert_eq!(
                hidden_ranges(text.as_bytes(), pieces),
                whole,
                "{pieces} pieces"
            );
        }
    }
}
