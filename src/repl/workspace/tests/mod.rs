//! The workspace: every edit on realistic files, the lines it may change,
//! undo, and saving.

mod edits;
mod forms;
mod save;
mod section;
mod undo;

use std::path::PathBuf;

use super::{Edit, OwnerRef, Workspace};
use crate::layout::{Layout, Loaded, Secret, load_str};

/// A realistic layout: comments everywhere, odd spacing, both string styles.
const LAYOUT: &str = r#"# Acme's secrets: keep this file in sync with the dashboard.
[orgs.acme]   # the org

[orgs.acme.secrets.CI_TOKEN]
type  = "env"     # aligned by hand
scope = ["ic"]
value = 'tok-123'
overrides = { live = "tok-live" }

[sites.shop]
owner = "acme"
environments = ["dev", "test", "live"]

# Stripe: rotate every 90 days
[sites.shop.secrets.STRIPE_KEY]
  type = "runtime"
  scope = ["web", "user"]
  value = "sk_test"   # test key

[sites.blog.secrets.WP_SALT]
type = "runtime"
scope = ["web"]
value = "salt"
# end of file
"#;

fn site(id: &str) -> OwnerRef {
    OwnerRef::Site(id.into())
}

fn org(id: &str) -> OwnerRef {
    OwnerRef::Org(id.into())
}

/// `secret:…:set` of a default (type runtime, scope web and user, as a new
/// secret gets them from the session) or, with `env`, of an override.
fn set(owner: OwnerRef, env: Option<&str>, name: &str, value: &str) -> Edit {
    Edit::Set {
        owner,
        env: env.map(Into::into),
        name: name.into(),
        value: value.into(),
        ty: Some("runtime".into()),
        scope: Some(vec!["web".into(), "user".into()]),
    }
}

/// `secret:…:delete`.
fn delete(owner: OwnerRef, env: Option<&str>, name: &str) -> Edit {
    Edit::Delete {
        owner,
        env: env.map(Into::into),
        name: name.into(),
    }
}

/// A workspace of one in-memory file.
fn workspace(text: &str) -> Workspace {
    Workspace::from_texts(vec![(PathBuf::from("layout.toml"), text.to_owned())])
}

/// Applies `edit` to a one-file workspace of `text` and returns the new
/// text.
#[track_caller]
fn edited(text: &str, edit: &Edit) -> String {
    let mut ws = workspace(text);
    ws.apply(edit).expect("the edit applies");
    ws.files()[0].current().to_owned()
}

/// The lines that differ between `old` and `new` (line endings included):
/// all lines before the first difference and after the last must be
/// byte-identical, and these are the lines in between.
fn changed_lines<'a>(old: &'a str, new: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let old: Vec<&str> = old.split_inclusive('\n').collect();
    let new: Vec<&str> = new.split_inclusive('\n').collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (
        old[head..old.len() - tail].to_vec(),
        new[head..new.len() - tail].to_vec(),
    )
}

/// Asserts that `new` is `old` with exactly the lines `removed` replaced by
/// `added`, every other byte the same.
#[track_caller]
fn assert_changed(old: &str, new: &str, removed: &[&str], added: &[&str]) {
    let (r, a) = changed_lines(old, new);
    assert_eq!((r.as_slice(), a.as_slice()), (removed, added), "\n{new}");
}

/// Loads `text`, which must have no findings.
#[track_caller]
fn reload(text: &str) -> Loaded {
    let loaded = load_str("layout.toml", text);
    assert!(loaded.findings.is_empty(), "{:#?}\n{text}", loaded.findings);
    loaded
}

/// A site's secret in a layout.
#[track_caller]
fn site_secret<'a>(layout: &'a Layout, site: &str, name: &str) -> &'a Secret {
    &layout.sites[site].secrets[name]
}

/// The default value of a secret.
fn value<'a>(layout: &'a Layout, secret: &'a Secret) -> Option<&'a str> {
    secret
        .value
        .as_ref()
        .map(|v| v.expose(secret.span.file, &layout.sources))
}

/// The override value of a secret for `env`.
fn override_of<'a>(layout: &'a Layout, secret: &'a Secret, env: &str) -> Option<&'a str> {
    secret
        .overrides
        .get(env)
        .map(|o| o.value.expose(secret.span.file, &layout.sources))
}
