//! Each kind of edit on a realistic file: exactly the lines it changes, and
//! the model after reloading.

use super::*;
use crate::repl::workspace::EditError;

#[test]
fn a_new_secret_goes_after_the_owners_last_table_in_its_style() {
    let text = edited(LAYOUT, &set(site("shop"), None, "SENDGRID", "sg-1"));
    assert_changed(
        LAYOUT,
        &text,
        &[],
        &[
            "[sites.shop.secrets.SENDGRID]\n",
            "  type = \"runtime\"\n",
            "  scope = [\"web\", \"user\"]\n",
            "  value = \"sg-1\"\n",
            "\n",
        ],
    );
    let loaded = reload(&text);
    let secret = site_secret(&loaded.layout, "shop", "SENDGRID");
    assert_eq!(value(&loaded.layout, secret), Some("sg-1"));
    assert_eq!(
        secret.ty.as_ref().map(|t| t.value.as_str()),
        Some("runtime")
    );
    assert!(secret.has_scope("web") && secret.has_scope("user"));
    let names: Vec<_> = loaded.layout.sites["shop"].secrets.keys().collect();
    assert_eq!(names, ["STRIPE_KEY", "SENDGRID"]);
}

#[test]
fn a_new_org_secret_goes_after_the_orgs_tables() {
    let text = edited(LAYOUT, &set(org("acme"), None, "NPM_TOKEN", "npm"));
    assert_changed(
        LAYOUT,
        &text,
        &[],
        &[
            "[orgs.acme.secrets.NPM_TOKEN]\n",
            "type  = \"runtime\"\n",
            "scope = [\"web\", \"user\"]\n",
            "value = \"npm\"\n",
            "\n",
        ],
    );
    let loaded = reload(&text);
    assert_eq!(
        value(
            &loaded.layout,
            &loaded.layout.orgs["acme"].secrets["NPM_TOKEN"]
        ),
        Some("npm")
    );
}

#[test]
fn a_name_that_needs_quotes_is_quoted() {
    let edit = set(site("blog"), None, "github-oauth.github.com", "gh");
    let text = edited(LAYOUT, &edit);
    let (_, added) = changed_lines(LAYOUT, &text);
    assert_eq!(
        added[1],
        "[sites.blog.secrets.\"github-oauth.github.com\"]\n"
    );
    let loaded = reload(&text);
    let secret = site_secret(&loaded.layout, "blog", "github-oauth.github.com");
    assert_eq!(value(&loaded.layout, secret), Some("gh"));
}

#[test]
fn setting_a_default_changes_only_the_value_and_keeps_its_comment() {
    let text = edited(LAYOUT, &set(site("shop"), None, "STRIPE_KEY", "sk_new"));
    assert_changed(
        LAYOUT,
        &text,
        &["  value = \"sk_test\"   # test key\n"],
        &["  value = \"sk_new\"   # test key\n"],
    );
    let loaded = reload(&text);
    let secret = site_secret(&loaded.layout, "shop", "STRIPE_KEY");
    assert_eq!(value(&loaded.layout, secret), Some("sk_new"));
    // Type and scope are immutable: the edit's are ignored.
    assert!(!secret.has_scope("user") || secret.has_scope("web"));
    assert_eq!(
        secret.ty.as_ref().map(|t| t.value.as_str()),
        Some("runtime")
    );
}

#[test]
fn a_literal_string_stays_literal_when_it_can() {
    let text = edited(LAYOUT, &set(org("acme"), None, "CI_TOKEN", "tok-456"));
    assert_changed(
        LAYOUT,
        &text,
        &["value = 'tok-123'\n"],
        &["value = 'tok-456'\n"],
    );
    let text = edited(
        LAYOUT,
        &set(org("acme"), None, "CI_TOKEN", "it's \"x\"\\\n"),
    );
    assert_changed(
        LAYOUT,
        &text,
        &["value = 'tok-123'\n"],
        &["value = \"it's \\\"x\\\"\\\\\\n\"\n"],
    );
    let loaded = reload(&text);
    let secret = &loaded.layout.orgs["acme"].secrets["CI_TOKEN"];
    assert_eq!(value(&loaded.layout, secret), Some("it's \"x\"\\\n"));
}

#[test]
fn a_withheld_default_gets_a_value_line_before_the_overrides() {
    let layout = "[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\n# live only\noverrides = { live = \"l\" }\n";
    let text = edited(layout, &set(site("s"), None, "K", "v"));
    assert_changed(layout, &text, &[], &["value = \"v\"\n"]);
    assert_eq!(text.lines().nth(3), Some("value = \"v\""));
    let loaded = reload(&text);
    assert_eq!(
        value(&loaded.layout, site_secret(&loaded.layout, "s", "K")),
        Some("v")
    );
}

#[test]
fn an_override_only_entry_becomes_a_secret_with_type_and_scope() {
    let layout = "[sites.s]\nowner = \"o\"\n\n[sites.s.secrets.K]\noverrides = { live = \"l\" }\n";
    let text = edited(layout, &set(site("s"), None, "K", "v"));
    assert_changed(
        layout,
        &text,
        &[],
        &[
            "type = \"runtime\"\n",
            "scope = [\"web\", \"user\"]\n",
            "value = \"v\"\n",
        ],
    );
    let loaded = reload(&text);
    let secret = site_secret(&loaded.layout, "s", "K");
    assert!(secret.declares_default());
    assert_eq!(override_of(&loaded.layout, secret, "live"), Some("l"));
}

#[test]
fn an_override_without_overrides_adds_an_inline_table() {
    let edit = set(site("shop"), Some("live"), "STRIPE_KEY", "sk_live");
    let text = edited(LAYOUT, &edit);
    assert_changed(
        LAYOUT,
        &text,
        &[],
        &["  overrides = { live = \"sk_live\" }\n"],
    );
    let loaded = reload(&text);
    let secret = site_secret(&loaded.layout, "shop", "STRIPE_KEY");
    assert_eq!(override_of(&loaded.layout, secret, "live"), Some("sk_live"));
    assert_eq!(value(&loaded.layout, secret), Some("sk_test"));
}

#[test]
fn an_override_joins_the_inline_table() {
    let text = edited(
        LAYOUT,
        &set(org("acme"), Some("dev"), "CI_TOKEN", "tok-dev"),
    );
    assert_changed(
        LAYOUT,
        &text,
        &["overrides = { live = \"tok-live\" }\n"],
        &["overrides = { live = \"tok-live\", dev = \"tok-dev\" }\n"],
    );
    let loaded = reload(&text);
    let secret = &loaded.layout.orgs["acme"].secrets["CI_TOKEN"];
    assert_eq!(override_of(&loaded.layout, secret, "dev"), Some("tok-dev"));
    assert_eq!(
        override_of(&loaded.layout, secret, "live"),
        Some("tok-live")
    );
}

#[test]
fn an_override_in_a_compact_inline_table_stays_compact() {
    let layout =
        "[orgs.o.secrets.K]\ntype=\"env\"\nscope=[\"ic\"]\nvalue=\"v\"\noverrides={dev=\"d\"}\n";
    let text = edited(layout, &set(org("o"), Some("live"), "K", "l"));
    assert_changed(
        layout,
        &text,
        &["overrides={dev=\"d\"}\n"],
        &["overrides={dev=\"d\",live=\"l\"}\n"],
    );
    reload(&text);
}

#[test]
fn replacing_an_override_keeps_the_others() {
    let text = edited(LAYOUT, &set(org("acme"), Some("live"), "CI_TOKEN", "tok-2"));
    assert_changed(
        LAYOUT,
        &text,
        &["overrides = { live = \"tok-live\" }\n"],
        &["overrides = { live = \"tok-2\" }\n"],
    );
}

#[test]
fn an_overrides_sub_table_is_edited_in_place() {
    let layout = "[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"\n\n[sites.s.secrets.K.overrides]\ndev = \"d\"  # dev\n\n[sites.t]\n";
    let text = edited(layout, &set(site("s"), Some("live"), "K", "l"));
    assert_changed(layout, &text, &[], &["live = \"l\"\n"]);
    let text = edited(layout, &set(site("s"), Some("dev"), "K", "d2"));
    assert_changed(
        layout,
        &text,
        &["dev = \"d\"  # dev\n"],
        &["dev = \"d2\"  # dev\n"],
    );
    let text = edited(layout, &delete(site("s"), Some("dev"), "K"));
    assert_changed(
        layout,
        &text,
        &[
            "[sites.s.secrets.K.overrides]\n",
            "dev = \"d\"  # dev\n",
            "\n",
        ],
        &[],
    );
    let loaded = reload(&text);
    assert!(site_secret(&loaded.layout, "s", "K").overrides.is_empty());
}

#[test]
fn a_site_override_on_an_org_secret_is_an_override_only_entry() {
    let edit = set(site("shop"), Some("live"), "CI_TOKEN", "tok-shop");
    let text = edited(LAYOUT, &edit);
    assert_changed(
        LAYOUT,
        &text,
        &[],
        &[
            "[sites.shop.secrets.CI_TOKEN]\n",
            "  overrides = { live = \"tok-shop\" }\n",
            "\n",
        ],
    );
    let loaded = reload(&text);
    let secret = site_secret(&loaded.layout, "shop", "CI_TOKEN");
    assert!(!secret.declares_default());
    assert_eq!(
        override_of(&loaded.layout, secret, "live"),
        Some("tok-shop")
    );
}

#[test]
fn deleting_a_secret_removes_its_table_and_its_comment() {
    let layout = LAYOUT.replace("[sites.blog.secrets", "[sites.shop.secrets.OTHER]\nvalue = \"o\"\ntype = \"env\"\nscope = [\"web\"]\n\n[sites.blog.secrets");
    let text = edited(&layout, &delete(site("shop"), None, "STRIPE_KEY"));
    assert_changed(
        &layout,
        &text,
        &[
            "# Stripe: rotate every 90 days\n",
            "[sites.shop.secrets.STRIPE_KEY]\n",
            "  type = \"runtime\"\n",
            "  scope = [\"web\", \"user\"]\n",
            "  value = \"sk_test\"   # test key\n",
            "\n",
        ],
        &[],
    );
    let loaded = reload(&text);
    let names: Vec<_> = loaded.layout.sites["shop"].secrets.keys().collect();
    assert_eq!(names, ["OTHER"]);
}

#[test]
fn deleting_the_secret_that_declared_its_site_keeps_the_site() {
    let text = edited(LAYOUT, &delete(site("blog"), None, "WP_SALT"));
    assert_changed(
        LAYOUT,
        &text,
        &[
            "[sites.blog.secrets.WP_SALT]\n",
            "type = \"runtime\"\n",
            "scope = [\"web\"]\n",
            "value = \"salt\"\n",
        ],
        &["[sites.blog]\n"],
    );
    let loaded = reload(&text);
    assert!(loaded.layout.sites["blog"].secrets.is_empty());
}

#[test]
fn deleting_an_override_removes_an_emptied_overrides() {
    let text = edited(LAYOUT, &delete(org("acme"), Some("live"), "CI_TOKEN"));
    assert_changed(
        LAYOUT,
        &text,
        &["overrides = { live = \"tok-live\" }\n"],
        &[],
    );
    let loaded = reload(&text);
    assert!(
        loaded.layout.orgs["acme"].secrets["CI_TOKEN"]
            .overrides
            .is_empty()
    );

    let layout = LAYOUT.replace(
        "{ live = \"tok-live\" }",
        "{ dev = \"d\", live = \"tok-live\" }",
    );
    let text = edited(&layout, &delete(org("acme"), Some("live"), "CI_TOKEN"));
    assert_changed(
        &layout,
        &text,
        &["overrides = { dev = \"d\", live = \"tok-live\" }\n"],
        &["overrides = { dev = \"d\" }\n"],
    );
    let text = edited(&layout, &delete(org("acme"), Some("dev"), "CI_TOKEN"));
    assert_changed(
        &layout,
        &text,
        &["overrides = { dev = \"d\", live = \"tok-live\" }\n"],
        &["overrides = { live = \"tok-live\" }\n"],
    );
}

#[test]
fn deleting_the_last_override_of_an_override_only_entry_removes_it() {
    let with = edited(LAYOUT, &set(site("shop"), Some("live"), "CI_TOKEN", "t"));
    let text = edited(&with, &delete(site("shop"), Some("live"), "CI_TOKEN"));
    assert_eq!(text, LAYOUT);
}

#[test]
fn an_unknown_owner_is_an_error() {
    let mut ws = workspace(LAYOUT);
    let err = ws
        .apply(&set(site("nosuch"), None, "K", "secret-value"))
        .unwrap_err();
    assert!(matches!(&err, EditError::UnknownOwner { kind: "site", id } if id == "nosuch"));
    assert_eq!(err.to_string(), "no layout file declares site `nosuch`");
    // A supporting org or a site's owner that no file declares is unknown too.
    let err = ws.apply(&set(org("shop"), None, "K", "v")).unwrap_err();
    assert!(matches!(err, EditError::UnknownOwner { kind: "org", .. }));
    assert!(ws.edits().is_empty() && !ws.dirty());
}

#[test]
fn deleting_what_is_not_there_is_an_error() {
    let mut ws = workspace(LAYOUT);
    let err = ws.apply(&delete(site("shop"), None, "NOPE")).unwrap_err();
    assert!(matches!(err, EditError::NotFound { env: None, .. }));
    assert_eq!(err.to_string(), "site `shop` has no secret `NOPE`");
    let err = ws
        .apply(&delete(site("shop"), Some("live"), "STRIPE_KEY"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "secret `STRIPE_KEY` of site `shop` has no override for `live`"
    );
    let err = ws
        .apply(&delete(org("acme"), Some("dev"), "CI_TOKEN"))
        .unwrap_err();
    assert!(matches!(err, EditError::NotFound { env: Some(_), .. }));
    assert_eq!(ws.files()[0].current(), LAYOUT);
}

#[test]
fn a_broken_file_that_declares_the_owner_cannot_be_edited() {
    let broken = "[sites.bad]\nowner = \"acme\"\n[sites.bad.secrets.K]\nvalue = \"unterminated\n";
    let mut ws = Workspace::from_texts(vec![
        ("good.toml".into(), LAYOUT.into()),
        ("broken.toml".into(), broken.into()),
    ]);
    let err = ws.apply(&set(site("bad"), None, "K", "v")).unwrap_err();
    assert!(matches!(&err, EditError::Unparseable { file } if file == "broken.toml"));
    assert_eq!(
        err.to_string(),
        "cannot edit `broken.toml`: it is not valid TOML"
    );
    // Other files can still be edited.
    ws.apply(&set(site("shop"), None, "STRIPE_KEY", "v"))
        .expect("good.toml is fine");
    assert_eq!(ws.changed_files(), [std::path::Path::new("good.toml")]);
}

#[test]
fn a_malformed_entry_is_an_error() {
    let layout = "[sites.s]\nsecrets = \"oops\"\n";
    let mut ws = workspace(layout);
    let err = ws.apply(&set(site("s"), None, "K", "v")).unwrap_err();
    assert!(matches!(&err, EditError::Malformed { path, .. } if path == "sites.s.secrets"));
    let layout = "[sites.s.secrets.K]\ntype = \"env\"\noverrides = \"oops\"\n";
    let err = workspace(layout)
        .apply(&set(site("s"), Some("dev"), "K", "v"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot edit `sites.s.secrets.K.overrides` in `layout.toml`: it is not a valid layout entry"
    );
}

#[test]
fn no_value_reaches_an_error_or_debug_output() {
    let canary = "CANARY-f00d";
    let mut ws = workspace(LAYOUT);
    ws.apply(&set(site("shop"), None, "STRIPE_KEY", canary))
        .expect("applies");
    let edit = set(site("nosuch"), Some("live"), "K", canary);
    let err = ws.apply(&edit).unwrap_err();
    let mut rendered = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    handler.render_report(&mut rendered, &err).expect("renders");
    let shown = format!(
        "{rendered} {err:?} {ws:?} {:?} {:?}",
        ws.edits(),
        ws.files()
    );
    assert!(!shown.contains(canary), "{shown}");
    assert!(!shown.contains("sk_test"), "{shown}");
}

#[test]
fn an_edit_goes_into_the_file_that_declares_the_owner() {
    let sites = "[sites.shop]\nowner = \"acme\"\n";
    let orgs =
        "[orgs.acme]\n\n[orgs.acme.secrets.T]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"t\"\n";
    let mut ws = Workspace::from_texts(vec![
        ("sites.toml".into(), sites.into()),
        ("orgs.toml".into(), orgs.into()),
    ]);
    ws.apply(&set(org("acme"), None, "NEW", "n"))
        .expect("applies");
    ws.apply(&set(site("shop"), Some("live"), "T", "l"))
        .expect("applies");
    assert_eq!(
        ws.changed_files(),
        [
            std::path::Path::new("sites.toml"),
            std::path::Path::new("orgs.toml")
        ]
    );
    let loaded = ws.load();
    assert!(loaded.findings.is_empty(), "{:#?}", loaded.findings);
    assert_eq!(
        value(&loaded.layout, &loaded.layout.orgs["acme"].secrets["NEW"]),
        Some("n")
    );
    assert_eq!(
        override_of(
            &loaded.layout,
            site_secret(&loaded.layout, "shop", "T"),
            "live"
        ),
        Some("l")
    );
    let names: Vec<_> = loaded
        .layout
        .sources
        .iter()
        .map(|(_, f)| f.name.as_str())
        .collect();
    assert_eq!(names, ["sites.toml", "orgs.toml"]);
    let before = ws.baseline();
    assert!(before.layout.orgs["acme"].secrets.get("NEW").is_none());
}
