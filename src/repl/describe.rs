//! Edits in words, never with their values: `diff`'s list, `undo`'s and
//! the edit commands' notices.

use super::workspace::{Edit, OwnerRef};

/// `set site globex-www secret STRIPE_KEY (live override)`: an edit, never
/// its value.
pub fn describe(edit: &Edit) -> String {
    let (verb, owner, env, name) = match edit {
        Edit::Set {
            owner,
            env,
            name,
            ty: Some(_),
            ..
        } if env.is_none() => ("create", owner, env, name),
        Edit::Set {
            owner, env, name, ..
        } => ("set", owner, env, name),
        Edit::Delete { owner, env, name } => ("delete", owner, env, name),
    };
    let owner = match owner {
        OwnerRef::Site(id) => format!("site {id}"),
        OwnerRef::Org(id) => format!("org {id}"),
    };
    let what = match (edit, env) {
        (_, Some(env)) => format!(" ({env} override)"),
        (
            Edit::Set {
                ty: Some(ty),
                scope: Some(scope),
                ..
            },
            None,
        ) => format!(" (type {ty}, scope {})", scope.join(",")),
        (Edit::Set { .. }, None) => " (default)".to_string(),
        (Edit::Delete { .. }, None) => String::new(),
    };
    format!("{verb} {owner} secret {name}{what}")
}

/// Terminus-style notice for an accepted edit.
pub fn confirmation(edit: &Edit) -> String {
    let (owner, env, name, done) = match edit {
        Edit::Set {
            owner, env, name, ..
        } => (owner, env, name, "set for"),
        Edit::Delete { owner, env, name } => (owner, env, name, "deleted from"),
    };
    let owner = match owner {
        OwnerRef::Site(id) => format!("site {id}"),
        OwnerRef::Org(id) => format!("org {id}"),
    };
    let extra = match (edit, env) {
        (_, Some(env)) => format!(" ({env} override)"),
        (
            Edit::Set {
                ty: Some(ty),
                scope: Some(scope),
                ..
            },
            None,
        ) => format!(" (new: type {ty}, scope {})", scope.join(",")),
        _ => String::new(),
    };
    format!("[notice] Secret '{name}' {done} {owner}{extra}.\n")
}
