//! Layouts written in other forms — dotted keys, inline tables, CRLF line
//! endings, no final newline, a byte-order mark, quoted keys — keep every
//! line an edit does not touch.

use super::*;

pub(super) const DOTTED: &str = "[sites.d]\nowner = \"o\"\nsecrets.K.type = \"env\"\nsecrets.K.scope = [\"web\"]\nsecrets.K.value = \"k\"   # note\n\n[sites.z]\n";

#[test]
fn dotted_keys_get_dotted_keys() {
    let text = edited(DOTTED, &set(site("d"), None, "NEW", "n"));
    assert_changed(
        DOTTED,
        &text,
        &[],
        &[
            "secrets.NEW.type = \"runtime\"\n",
            "secrets.NEW.scope = [\"web\", \"user\"]\n",
            "secrets.NEW.value = \"n\"\n",
        ],
    );
    assert_eq!(
        value(
            &reload(&text).layout,
            site_secret(&reload(&text).layout, "d", "NEW")
        ),
        Some("n")
    );

    let text = edited(DOTTED, &set(site("d"), None, "K", "k2"));
    assert_changed(
        DOTTED,
        &text,
        &["secrets.K.value = \"k\"   # note\n"],
        &["secrets.K.value = \"k2\"   # note\n"],
    );
    let text = edited(DOTTED, &set(site("d"), Some("live"), "K", "l"));
    assert_changed(
        DOTTED,
        &text,
        &[],
        &["secrets.K.overrides = { live = \"l\" }\n"],
    );
    let loaded = reload(&text);
    assert_eq!(
        override_of(
            &loaded.layout,
            site_secret(&loaded.layout, "d", "K"),
            "live"
        ),
        Some("l")
    );

    let text = edited(DOTTED, &delete(site("d"), None, "K"));
    assert_changed(
        DOTTED,
        &text,
        &[
            "secrets.K.type = \"env\"\n",
            "secrets.K.scope = [\"web\"]\n",
            "secrets.K.value = \"k\"   # note\n",
        ],
        &[],
    );
    assert!(reload(&text).layout.sites["d"].secrets.is_empty());
}

pub(super) const INLINE: &str = "# one line per site\nsites.i = { owner = \"o\", secrets = { K = { type = \"env\", scope = [\"web\"], value = \"k\" } } }\nsites.j = { owner = \"o\" }\n";

#[test]
fn inline_tables_stay_inline() {
    let text = edited(INLINE, &set(site("i"), Some("dev"), "K", "d"));
    assert_changed(
        INLINE,
        &text,
        &[
            "sites.i = { owner = \"o\", secrets = { K = { type = \"env\", scope = [\"web\"], value = \"k\" } } }\n",
        ],
        &[
            "sites.i = { owner = \"o\", secrets = { K = { type = \"env\", scope = [\"web\"], value = \"k\", overrides = { dev = \"d\" } } } }\n",
        ],
    );
    let loaded = reload(&text);
    assert_eq!(
        override_of(&loaded.layout, site_secret(&loaded.layout, "i", "K"), "dev"),
        Some("d")
    );

    let text = edited(INLINE, &set(site("j"), None, "NEW", "n"));
    assert_changed(
        INLINE,
        &text,
        &["sites.j = { owner = \"o\" }\n"],
        &[
            "sites.j = { owner = \"o\", secrets = { NEW = { type = \"runtime\", scope = [\"web\", \"user\"], value = \"n\" } } }\n",
        ],
    );
    assert_eq!(
        value(
            &reload(&text).layout,
            site_secret(&reload(&text).layout, "j", "NEW")
        ),
        Some("n")
    );

    let text = edited(INLINE, &delete(site("i"), None, "K"));
    assert_changed(
        INLINE,
        &text,
        &[
            "sites.i = { owner = \"o\", secrets = { K = { type = \"env\", scope = [\"web\"], value = \"k\" } } }\n",
        ],
        &["sites.i = { owner = \"o\", secrets = {} }\n"],
    );
    reload(&text);
    let again = edited(&text, &set(site("i"), Some("dev"), "K", "d"));
    assert_changed(
        &text,
        &again,
        &["sites.i = { owner = \"o\", secrets = {} }\n"],
        &["sites.i = { owner = \"o\", secrets = { K = { overrides = { dev = \"d\" } } } }\n"],
    );
}

#[test]
fn a_multi_line_inline_table_gets_a_line_of_its_own() {
    let layout = "[sites.m.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\noverrides = {\n  dev = \"d\",\n  test = \"t\",\n}\n";
    let text = edited(layout, &set(site("m"), Some("live"), "K", "l"));
    assert_changed(layout, &text, &[], &["  live = \"l\",\n"]);
    let loaded = reload(&text);
    assert_eq!(
        override_of(
            &loaded.layout,
            site_secret(&loaded.layout, "m", "K"),
            "live"
        ),
        Some("l")
    );
    let text = edited(layout, &delete(site("m"), Some("dev"), "K"));
    assert_changed(layout, &text, &["  dev = \"d\",\n"], &[]);
    reload(&text);
}

pub(super) const CRLF: &str = "# windows\r\n[sites.c]\r\nphp = \"8.2\"\r\n\r\n[sites.c.secrets.K]\r\ntype = \"env\"\r\nscope = [\"web\"]\r\nvalue = \"k\"\r\n";

#[test]
fn crlf_line_endings_are_kept_and_given_to_new_lines() {
    let text = edited(CRLF, &set(site("c"), None, "K", "k2"));
    assert_changed(CRLF, &text, &["value = \"k\"\r\n"], &["value = \"k2\"\r\n"]);
    let text = edited(CRLF, &set(site("c"), None, "NEW", "n"));
    assert_changed(
        CRLF,
        &text,
        &[],
        &[
            "\r\n",
            "[sites.c.secrets.NEW]\r\n",
            "type = \"runtime\"\r\n",
            "scope = [\"web\", \"user\"]\r\n",
            "value = \"n\"\r\n",
        ],
    );
    assert_eq!(
        value(
            &reload(&text).layout,
            site_secret(&reload(&text).layout, "c", "NEW")
        ),
        Some("n")
    );
    let text = edited(CRLF, &delete(site("c"), None, "K"));
    assert_changed(
        CRLF,
        &text,
        &[
            "\r\n",
            "[sites.c.secrets.K]\r\n",
            "type = \"env\"\r\n",
            "scope = [\"web\"]\r\n",
            "value = \"k\"\r\n",
        ],
        &[],
    );
}

#[test]
fn a_missing_final_newline_stays_missing() {
    let layout = "[sites.n.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"";
    let text = edited(layout, &set(site("n"), None, "K", "k2"));
    assert_eq!(text, layout.replace("\"k\"", "\"k2\""));
    let text = edited(layout, &set(site("n"), Some("dev"), "K", "d"));
    assert_eq!(text, format!("{layout}\noverrides = {{ dev = \"d\" }}"));
    reload(&text);
}

#[test]
fn a_byte_order_mark_and_quoted_header_keys_are_kept() {
    let layout = "\u{feff}[sites.q.secrets.A]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"a\"\n\n[sites.\"q\".secrets.B]\ntype = 'env'\nscope = ['web']\nvalue = 'b'\n";
    let text = edited(layout, &set(site("q"), None, "B", "b2"));
    assert_changed(layout, &text, &["value = 'b'\n"], &["value = 'b2'\n"]);
    // The blank line before `B` is `B`'s: it stays.
    let text = edited(layout, &delete(site("q"), None, "A"));
    assert_eq!(
        text,
        "\u{feff}\n[sites.\"q\".secrets.B]\ntype = 'env'\nscope = ['web']\nvalue = 'b'\n"
    );
    let text = edited(layout, &set(site("q"), Some("dev"), "A", "d"));
    assert_changed(layout, &text, &[], &["overrides = { dev = \"d\" }\n"]);
    assert!(text.starts_with('\u{feff}'));
}

#[test]
fn tables_declared_out_of_order_stay_where_they_are() {
    let layout = "[sites.a.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"x\"\n\n[sites.b]\nphp = \"8.1\"\n\n[sites.a]\nowner = \"o\"\n\n[sites.c]\n";
    let text = edited(layout, &set(site("a"), None, "Y", "y"));
    assert_changed(
        layout,
        &text,
        &[],
        &[
            "[sites.a.secrets.Y]\n",
            "type = \"runtime\"\n",
            "scope = [\"web\", \"user\"]\n",
            "value = \"y\"\n",
            "\n",
        ],
    );
    // After `[sites.a]`, the owner's last table.
    assert!(text.find("[sites.a]").unwrap() < text.find("[sites.a.secrets.Y]").unwrap());
    assert!(text.find("[sites.a.secrets.Y]").unwrap() < text.find("[sites.c]").unwrap());
    reload(&text);
}

#[test]
fn dotted_keys_toml_edit_would_regroup_still_edit_right() {
    // toml_edit prints `secrets.X.*` together: the lines no longer
    // correspond, and the edit is checked against what toml_edit means.
    let layout = "[sites.r]\nsecrets.X.value = \"x\"\nphp = \"8.2\"\nsecrets.X.type = \"env\"\nsecrets.X.scope = [\"web\"]\n";
    for edit in [
        set(site("r"), None, "X", "x2"),
        set(site("r"), Some("dev"), "X", "d"),
        set(site("r"), None, "NEW", "n"),
        delete(site("r"), None, "X"),
    ] {
        let text = edited(layout, &edit);
        let loaded = reload(&text);
        let site = &loaded.layout.sites["r"];
        assert_eq!(site.php.as_ref().map(|p| p.value.as_str()), Some("8.2"));
        match &edit {
            Edit::Set {
                env: None, name, ..
            } => {
                let expected = if name == "X" { "x2" } else { "n" };
                assert_eq!(
                    value(&loaded.layout, &site.secrets[name.as_str()]),
                    Some(expected)
                );
            }
            Edit::Set { env: Some(_), .. } => {
                assert_eq!(
                    override_of(&loaded.layout, &site.secrets["X"], "dev"),
                    Some("d")
                );
            }
            Edit::Delete { .. } => assert!(site.secrets.is_empty()),
        }
    }
}

/// Every edit on every form: the result loads without findings and shows
/// the change; undo gives the text back byte for byte.
#[test]
fn every_edit_on_every_form_reloads_and_undoes() {
    let layouts = [
        (LAYOUT, site("shop"), "STRIPE_KEY"),
        (LAYOUT, org("acme"), "CI_TOKEN"),
        (DOTTED, site("d"), "K"),
        (INLINE, site("i"), "K"),
        (CRLF, site("c"), "K"),
    ];
    for (layout, owner, name) in layouts {
        let edits = [
            set(owner.clone(), None, "FRESH", "f"),
            set(owner.clone(), None, name, "v2"),
            set(owner.clone(), Some("live"), name, "l"),
            set(owner.clone(), Some("feat-1"), "FRESH2", "o"),
            delete(owner.clone(), None, name),
        ];
        let mut ws = workspace(layout);
        for edit in &edits {
            ws.apply(edit).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
            let loaded = ws.load();
            assert!(
                loaded.findings.is_empty(),
                "{edit:?}: {:#?}",
                loaded.findings
            );
        }
        let loaded = ws.load();
        let secrets = match &owner {
            OwnerRef::Site(id) => &loaded.layout.sites[id.as_str()].secrets,
            OwnerRef::Org(id) => &loaded.layout.orgs[id.as_str()].secrets,
        };
        assert!(!secrets.contains_key(name));
        assert_eq!(
            secrets.get("FRESH").and_then(|s| value(&loaded.layout, s)),
            Some("f")
        );
        assert_eq!(
            secrets
                .get("FRESH2")
                .and_then(|s| override_of(&loaded.layout, s, "feat-1")),
            Some("o")
        );
        while ws.undo().is_some() {}
        assert_eq!(ws.files()[0].current(), layout);
        assert!(!ws.dirty());
    }
}
