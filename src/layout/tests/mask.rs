//! `mask_layout`: exact outputs for tricky inputs, and properties over
//! generated layouts.

use crate::layout::load_str;
use crate::layout::mask::mask_layout;

/// Asserts the masked text, and that it keeps the length in bytes.
#[track_caller]
fn masks(input: &str, expected: &str) {
    let masked = mask_layout(input);
    assert_eq!(masked, expected, "input: {input:?}");
    assert_eq!(masked.len(), input.len());
}

#[test]
fn masks_string_values_and_keeps_safe_keys() {
    masks(
        "[sites.a.secrets.X]\ntype = \"runtime\"\nscope = [\"web\", \"user\"]\nvalue = \"sk_test\"\n",
        "[sites.a.secrets.X]\ntype = \"runtime\"\nscope = [\"web\", \"user\"]\nvalue = \"*******\"\n",
    );
    masks(
        "[sites.a]\nowner = \"o\"\nsupporting = [\"ag\"]\nphp = 8.2\nenvironments = [\"dev\"]\n",
        "[sites.a]\nowner = \"o\"\nsupporting = [\"ag\"]\nphp = 8.2\nenvironments = [\"dev\"]\n",
    );
}

#[test]
fn masks_literal_and_multibyte_values() {
    masks("value = 'a\"b'\n", "value = '***'\n");
    let stars = "*".repeat("pässwörd🔑".len());
    masks("value = \"pässwörd🔑\"", &format!("value = \"{stars}\""));
}

#[test]
fn masks_escaped_quotes_inside_basic_strings() {
    masks(r#"value = "a\"b\\" # c"#, r#"value = "******" # c"#);
    masks(r#"value = "\\" , x"#, r#"value = "**" ***"#);
}

#[test]
fn masks_multi_line_strings_across_lines() {
    masks(
        "value = \"\"\"\nab\ncd\"\"\"\ntype = \"env\"\n",
        "value = \"\"\"\n**\n**\"\"\"\ntype = \"env\"\n",
    );
    masks("value = '''a\n''b'''''\n", "value = '''*\n*****'''\n");
    masks(
        "value = \"\"\"a\\\"\"\"b\"\"\"",
        "value = \"\"\"******\"\"\"",
    );
}

#[test]
fn unterminated_multi_line_string_masks_to_the_end() {
    masks(
        "value = \"\"\"abc\n[sites.a]\ntype = \"x\"\n",
        "value = \"\"\"***\n*********\n**********\n",
    );
}

#[test]
fn unterminated_string_masks_to_the_end_of_its_line() {
    masks(
        "value = \"abc\ntype = \"env\"\n",
        "value = \"***\ntype = \"env\"\n",
    );
    masks(
        "value = 'abc\r\nvalue = \"x\"",
        "value = '***\r\nvalue = \"*\"",
    );
    masks("value = \"abc\\\nx = 1", "value = \"****\nx = *");
}

#[test]
fn masks_bare_tokens_and_numbers() {
    masks("value = sk_live_abc\n", "value = ***********\n");
    masks("value = 12 # twelve\n", "value = ** # twelve\n");
    masks("value = abc#def\n", "value = *******\n");
    masks(
        "value = 1979-05-27 07:32:00\n",
        "value = *******************\n",
    );
    // toml reads unquoted words as one value: the blanks between are masked.
    masks("value = two  words # c\n", "value = ********** # c\n");
    masks(
        "overrides = { dev = two words, live = x }\n",
        "overrides = { dev = *********, live = * }\n",
    );
    masks("value = #abc\n", "value = ****\n");
    masks("type = #c\n", "type = #c\n");
}

#[test]
fn masks_junk_after_a_value() {
    masks("value = \"a\" \"b\"\n", "value = \"*\" ***\n");
    masks(
        "type = \"env\" value = \"x\"\n",
        "type = \"env\" ***********\n",
    );
    masks("[sites.a] value = \"x\"\n", "[sites.a] ***********\n");
}

#[test]
fn masks_inline_tables() {
    masks(
        "overrides = { live = \"x\", dev = 'yy' }\n",
        "overrides = { live = \"*\", dev = '**' }\n",
    );
    masks(
        "secrets.X = { type = \"env\", scope = [\"ic\"], value = \"v\" }",
        "secrets.X = { type = \"env\", scope = [\"ic\"], value = \"*\" }",
    );
    masks(
        "overrides = { type = \"x\" }",
        "overrides = { type = \"*\" }",
    );
    masks("x = { a = { b = 1 } }", "x = { a = { b = * } }");
    masks(
        "overrides = {\n  live = \"x\",\n  dev = \"y\"\n}\n",
        "overrides = {\n  live = \"*\",\n  dev = \"*\"\n}\n",
    );
}

#[test]
fn masks_dotted_keys_by_their_last_segment() {
    masks("secrets.X.value = \"abc\"\n", "secrets.X.value = \"***\"\n");
    masks("secrets.X.type = \"env\"\n", "secrets.X.type = \"env\"\n");
    masks(
        "secrets . \"X\" . 'type' = \"env\"\n",
        "secrets . \"X\" . 'type' = \"env\"\n",
    );
    masks("overrides.type = \"x\"\n", "overrides.type = \"*\"\n");
    masks("\"a.type\" = \"x\"\n", "\"a.type\" = \"*\"\n");
}

#[test]
fn masks_everything_under_an_overrides_header() {
    masks(
        "[sites.a.secrets.X.overrides]\ntype = \"x\"\n[sites.a]\ntype = \"y\"\n",
        "[sites.a.secrets.X.overrides]\ntype = \"*\"\n[sites.a]\ntype = \"y\"\n",
    );
}

#[test]
fn masks_arrays_of_values() {
    masks(
        "value = [\"a\", 'b', 3, [\"c\"]]\n",
        "value = [\"*\", '*', *, [\"*\"]]\n",
    );
    masks(
        "value = [\n  \"ab\", # first\n  \"cd\",\n]\n",
        "value = [\n  \"**\", # first\n  \"**\",\n]\n",
    );
    masks("scope = [{ value = \"x\" }]", "scope = [{ value = \"*\" }]");
}

#[test]
fn an_unclosed_array_ends_at_the_next_statement() {
    masks(
        "value = [\"a\",\n[sites.b]\nowner = \"o\"\n",
        "value = [\"*\",\n[sites.b]\nowner = \"o\"\n",
    );
    masks(
        "value = [\"a\",\ntype = \"env\"\n",
        "value = [\"*\",\ntype = \"env\"\n",
    );
    masks("value = [\n[true], [1]\n]", "value = [\n[****], [*]\n]");
}

#[test]
fn masks_lines_that_are_not_key_value_pairs() {
    masks(
        "[sites.a.secrets.X]\nbad key here\nvalue = \"s\"\n",
        "[sites.a.secrets.X]\n************\nvalue = \"*\"\n",
    );
    masks("valeu\n= \"abc\"\n", "*****\n= \"***\"\n");
    masks("sk_live # not a comment\n", "***********************\n");
    masks("\"a=b\" sk\n", "********\n");
}

#[test]
fn unknown_keys_are_masked_and_keys_are_kept() {
    masks(
        "valeu = \"x\"\nType = \"y\"\n",
        "valeu = \"*\"\nType = \"*\"\n",
    );
}

#[test]
fn keeps_comments_headers_and_blank_lines() {
    let text = "# a layout\n\n[orgs.o]   # org\n[[sites.a.secrets]]\n  # indented\n";
    masks(text, text);
}

#[test]
fn masks_values_in_comments_that_read_as_key_value() {
    // A commented-out value is still a secret.
    masks(
        "# value = \"sk_live_old\"\nvalue = \"new\"\n",
        "# value = \"***********\"\nvalue = \"***\"\n",
    );
    masks("  ## value = 'old' # was\n", "  ## value = '***' # was\n");
    // Prose and commented-out safe fields stay readable.
    masks(
        "# type = \"env\"  scope = x\n",
        "# type = \"env\"  *********\n",
    );
    masks(
        "# names: a-z, 0-9 (see docs)\n",
        "# names: a-z, 0-9 (see docs)\n",
    );
    // Under a header whose values are all hidden.
    masks(
        "[sites.s.secrets.X.overrides]\n# type = \"old\"\n",
        "[sites.s.secrets.X.overrides]\n# type = \"***\"\n",
    );
    // A stray `#` in an inline table or after `=`: what follows on the line
    // is masked, and a comment cannot open a string beyond its line.
    masks(
        "overrides = { live = \"a\", #dev = \"b\" }\n",
        "overrides = { live = \"*\", #dev = \"*\" *\n",
    );
    masks(
        "scope = # [\"web\"], value = \"s\"\n",
        "scope = # [\"web\"]*************\n",
    );
    masks(
        "value = \"x\" # old = \"\"\"\ntype = \"env\"\n",
        "value = \"*\" # old = \"\"\"\ntype = \"env\"\n",
    );
}

#[test]
fn masks_lines_whose_key_is_not_a_key() {
    // A multi-line value whose opening quotes were mistyped: its lines are
    // read as TOML, and base64 ends with `=`.
    masks(
        "value = \"\"\nMIIBab+/cd==\nQUJD=\nx=\ny = \n",
        "value = \"\"\n**********=*\n****=\n*=\n**= \n",
    );
    masks("a b = \"x\"\n", "****= \"*\"\n");
    masks("\"a b\".c-d_e = 1\n", "\"a b\".c-d_e = *\n");
    masks("type=\"env\"\n", "type=\"env\"\n");
    // Under a safe key, a token that is no TOML scalar is masked too.
    masks("php = 8.2\n", "php = 8.2\n");
    masks("scope = [web, tru]\n", "scope = [***, ***]\n");
    masks("scope = [sk_live\"\n", "scope = [********\n");
    // A safe key's string left open.
    masks(
        "x = { owner = '\"o\", value = \"s\" }\n",
        "x = { owner = '******************\n",
    );
}

#[test]
fn handles_degenerate_inputs() {
    for input in [
        "",
        "=",
        "\"",
        "'''",
        "[",
        "]",
        "{",
        "value = [",
        "value = {",
        "a = {,}",
        "\\",
        "value=\"\\",
        "[[[",
        "x = [}]",
    ] {
        let masked = mask_layout(input);
        assert_eq!(masked.len(), input.len(), "input: {input:?}");
    }
    masks("value = {", "value = {");
    masks("value=\"\\", "value=\"*");
}

/// A tiny deterministic generator (no extra dependencies).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A secret-looking value, distinct from every other text of the layout.
fn value(rng: &mut Rng, n: usize) -> String {
    let alphabet = [
        "Q", "Z", "9", "é", "🔑", "#", "=", ",", "]", "}", "[", " ", "'", "\\\\", "\\\"", "x",
    ];
    let mut v = format!("SECRET{n}Q");
    for _ in 0..rng.below(12) {
        v.push_str(rng.pick(&alphabet));
    }
    v
}

/// One `key = value` with `value` quoted in one of TOML's four ways
/// (escaped as needed) or bare, with room for comments and odd spacing.
fn quoted(rng: &mut Rng, v: &str) -> String {
    let literal = v
        .replace("\\\\", "x")
        .replace("\\\"", "x")
        .replace('\'', "x");
    match rng.below(5) {
        0 => format!("\"{v}\""),
        1 => format!("'{literal}'"),
        2 => format!("\"\"\"\n{v}\n\"\"\""),
        3 => format!("'''{literal}\n'''"),
        _ => format!("\"{v}"),
    }
}

#[test]
fn generated_layouts_keep_length_and_hide_every_value() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for case in 0..400 {
        let mut text = String::new();
        let mut secrets = Vec::new();
        for n in 0..rng.below(6) + 1 {
            let v = value(&mut rng, n);
            let q = quoted(&mut rng, &v);
            let line = match rng.below(5) {
                0 => format!("[sites.s{n}.secrets.K{n}]\ntype = \"env\"\nvalue = {q} # note\n"),
                1 => format!("secrets.K{n}.value={q}\n"),
                2 => format!("overrides = {{ live = {q}, dev = 'x' }}\n"),
                3 => format!("value = [ {q},\n 'x' ]\n"),
                _ => format!("junk line\nvalue   =   {q}\n"),
            };
            text.push_str(&line);
            secrets.push(
                v.replace("\\\\", "x")
                    .replace("\\\"", "x")
                    .replace('\'', "x"),
            );
        }
        let masked = mask_layout(&text);
        assert_eq!(masked.len(), text.len(), "case {case}: {text:?}");
        for n in 0..secrets.len() {
            assert!(
                !masked.contains(&format!("SECRET{n}")),
                "case {case}: {text:?} → {masked:?}"
            );
        }
    }
}

#[test]
fn random_text_keeps_length_and_utf8() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pieces = [
        "value", "type", " = ", "\"", "'", "\"\"\"", "'''", "[", "]", "{", "}", ",", "\n", "#",
        "\\", ".", "é", "🔑", "x", " ", "\r\n",
    ];
    for _ in 0..2000 {
        let text: String = (0..rng.below(40)).map(|_| rng.pick(&pieces)).collect();
        let masked = mask_layout(&text);
        assert_eq!(masked.len(), text.len(), "{text:?}");
        let newlines = |s: &str| s.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>();
        assert_eq!(newlines(&masked), newlines(&text), "{text:?}");
    }
}

#[test]
fn every_value_the_loader_reads_is_masked() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..200 {
        let mut text = String::new();
        for n in 0..rng.below(4) + 1 {
            let v = value(&mut rng, n);
            let q = quoted(&mut rng, &v);
            text.push_str(&format!(
                "[sites.s{n}.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = {q}\noverrides = {{ live = {q} }}\n"
            ));
        }
        let loaded = load_str("gen.toml", &text);
        let masked = mask_layout(&text);
        for site in loaded.layout.sites.values() {
            for secret in site.secrets.values() {
                let spans = secret.value.iter().map(|v| v.span(secret.span.file)).chain(
                    secret
                        .overrides
                        .values()
                        .map(|o| o.value.span(secret.span.file)),
                );
                for span in spans {
                    let shown = &masked[span.range()];
                    assert!(
                        shown.bytes().all(|b| b"*\"'\n\r".contains(&b)),
                        "{text:?} → {shown:?}"
                    );
                }
            }
        }
    }
}
