//! Applying an edit to a toml_edit document: each changes as little as
//! it can and copies the style (indentation, spacing, quotes) of what is
//! around it.

use toml_edit::{Array, Decor, DocumentMut, InlineTable, Item, Table, Value};

use super::error::EditError;
use super::style::{Style, inline_insert, inline_remove, insert_before, restyle, string};
use super::{Edit, OwnerRef};

/// Why an edit failed, before the file name is known.
#[derive(Debug)]
pub(super) enum Failure {
    /// The secret or override to delete is not there.
    NotFound,
    /// The entry at this dotted path does not have the form a layout
    /// gives it (a table where a value belongs, or the reverse).
    Malformed(String),
}

impl Failure {
    /// The error for `edit` in `file`.
    pub(super) fn into_error(self, edit: &Edit, file: &str) -> EditError {
        match self {
            Failure::NotFound => {
                let (name, env) = match edit {
                    Edit::Set { name, env, .. } | Edit::Delete { name, env, .. } => (name, env),
                };
                EditError::NotFound {
                    kind: edit.owner().kind(),
                    id: edit.owner().id().to_owned(),
                    name: name.clone(),
                    env: env.clone(),
                }
            }
            Failure::Malformed(path) => EditError::Malformed {
                file: file.to_owned(),
                path,
            },
        }
    }
}

/// Whether `doc` declares `owner`, in any form.
pub(super) fn declares(doc: &DocumentMut, owner: &OwnerRef) -> bool {
    doc.get(owner.plural())
        .and_then(Item::as_table_like)
        .is_some_and(|t| t.contains_key(owner.id()))
}

/// Applies `edit` to `doc`, which declares its owner.
pub(super) fn apply(doc: &mut DocumentMut, edit: &Edit) -> Result<(), Failure> {
    let owner = edit.owner();
    let path = format!("{}.{}", owner.plural(), owner.id());
    let item = doc
        .get_mut(owner.plural())
        .and_then(Item::as_table_like_mut)
        .and_then(|t| t.get_mut(owner.id()))
        .ok_or_else(|| Failure::Malformed(path.clone()))?;
    let mut owner = Owner { item, path };
    match edit {
        Edit::Set {
            env: None,
            name,
            value,
            ty,
            scope,
            ..
        } => owner.set_default(name, value.expose(), ty.as_deref(), scope.as_deref()),
        Edit::Set {
            env: Some(env),
            name,
            value,
            ..
        } => owner.set_override(name, env, value.expose()),
        Edit::Delete {
            env: None, name, ..
        } => owner.delete_secret(name),
        Edit::Delete {
            env: Some(env),
            name,
            ..
        } => owner.delete_override(name, env),
    }
}

/// The org or site an edit goes into.
struct Owner<'a> {
    /// Its `[orgs.ID]`/`[sites.ID]` table (standard, implicit, dotted or
    /// inline).
    item: &'a mut Item,
    /// `orgs.ID` or `sites.ID`, for messages.
    path: String,
}

impl Owner<'_> {
    /// Sets the default value of secret `name`, creating the secret (with
    /// `ty` and `scope`) if the owner has none of that name. Type and scope
    /// are added to an existing secret that lacks them (an override-only
    /// entry that becomes a secret of its own), never changed.
    fn set_default(
        &mut self,
        name: &str,
        value: &str,
        ty: Option<&str>,
        scope: Option<&[String]>,
    ) -> Result<(), Failure> {
        let mut fields = Vec::new();
        if let Some(ty) = ty {
            fields.push(("type", string(ty, None)));
        }
        if let Some(scope) = scope {
            fields.push(("scope", Value::Array(scope.iter().collect::<Array>())));
        }
        let path = self.secret_path(name);
        let Some(secret) = self.secret_mut(name)? else {
            fields.push(("value", string(value, None)));
            return self.create_secret(name, fields);
        };
        let mut fields: Vec<_> = fields.into_iter().map(|(k, v)| (k, v, false)).collect();
        fields.push(("value", string(value, None), true));
        for (key, new, replace) in fields {
            match secret {
                Item::Table(t) => match t.get_mut(key) {
                    Some(Item::Value(old)) if replace => restyle(old, new),
                    Some(Item::Value(_)) => {}
                    Some(_) => return Err(Failure::Malformed(format!("{path}.{key}"))),
                    None => insert_before(t, key, new, after(key)),
                },
                Item::Value(Value::InlineTable(t)) => match t.get_mut(key) {
                    Some(old) if replace => restyle(old, new),
                    Some(_) => {}
                    None => inline_insert(t, key, new),
                },
                _ => return Err(Failure::Malformed(path)),
            }
        }
        Ok(())
    }

    /// Sets the override of secret `name` for `env`; creates an
    /// override-only entry if the owner has no secret of that name.
    fn set_override(&mut self, name: &str, env: &str, value: &str) -> Result<(), Failure> {
        let path = format!("{}.overrides", self.secret_path(name));
        let Some(secret) = self.secret_mut(name)? else {
            return self.create_secret(name, vec![("overrides", overrides(env, value))]);
        };
        let overrides_item = match secret {
            Item::Table(t) => match t.get_mut("overrides") {
                Some(item) => item,
                None => {
                    insert_before(t, "overrides", overrides(env, value), &[]);
                    return Ok(());
                }
            },
            Item::Value(Value::InlineTable(t)) => match t.get_mut("overrides") {
                Some(Value::InlineTable(o)) => {
                    set_in_inline(o, env, value);
                    return Ok(());
                }
                Some(_) => return Err(Failure::Malformed(path)),
                None => {
                    inline_insert(t, "overrides", overrides(env, value));
                    return Ok(());
                }
            },
            _ => return Err(Failure::Malformed(self.secret_path(name))),
        };
        match overrides_item {
            Item::Value(Value::InlineTable(o)) => {
                set_in_inline(o, env, value);
                Ok(())
            }
            Item::Table(o) => {
                match o.get_mut(env) {
                    Some(Item::Value(old)) => restyle(old, string(value, None)),
                    Some(_) => return Err(Failure::Malformed(format!("{path}.{env}"))),
                    None => insert_before(o, env, string(value, None), &[]),
                }
                Ok(())
            }
            _ => Err(Failure::Malformed(path)),
        }
    }

    /// Deletes secret `name` with everything under it.
    fn delete_secret(&mut self, name: &str) -> Result<(), Failure> {
        let removed = match self.secrets_mut()? {
            Some(Item::Value(Value::InlineTable(t))) => inline_remove(t, name).map(Item::Value),
            Some(Item::Table(t)) => t.remove(name),
            _ => None,
        };
        let removed = removed.ok_or(Failure::NotFound)?;
        self.keep_declared(&removed);
        Ok(())
    }

    /// Deletes the override of secret `name` for `env`; then an `overrides`
    /// left empty, and a secret left empty (an override-only entry).
    fn delete_override(&mut self, name: &str, env: &str) -> Result<(), Failure> {
        let secret = self.secret_mut(name)?.ok_or(Failure::NotFound)?;
        let overrides = secret
            .as_table_like_mut()
            .and_then(|t| t.get_mut("overrides"))
            .ok_or(Failure::NotFound)?;
        let emptied = match overrides {
            Item::Value(Value::InlineTable(o)) => {
                inline_remove(o, env).ok_or(Failure::NotFound)?;
                o.is_empty()
            }
            Item::Table(o) => {
                o.remove(env).ok_or(Failure::NotFound)?;
                o.is_empty()
            }
            _ => return Err(Failure::NotFound),
        };
        if !emptied {
            return Ok(());
        }
        let secret_emptied = match secret {
            Item::Value(Value::InlineTable(t)) => {
                inline_remove(t, "overrides");
                t.is_empty()
            }
            Item::Table(t) => {
                t.remove("overrides");
                t.is_empty()
            }
            _ => false,
        };
        if secret_emptied {
            self.delete_secret(name)?;
        }
        Ok(())
    }

    /// `…secrets.NAME`, for messages.
    fn secret_path(&self, name: &str) -> String {
        format!("{}.secrets.{name}", self.path)
    }

    /// The owner's `secrets`, if it has one.
    fn secrets_mut(&mut self) -> Result<Option<&mut Item>, Failure> {
        let owner = self
            .item
            .as_table_like_mut()
            .ok_or_else(|| Failure::Malformed(self.path.clone()))?;
        Ok(owner.get_mut("secrets"))
    }

    /// The owner's secret `name`, if it has one.
    fn secret_mut(&mut self, name: &str) -> Result<Option<&mut Item>, Failure> {
        let path = format!("{}.secrets", self.path);
        match self.secrets_mut()? {
            None => Ok(None),
            Some(secrets) => {
                let secrets = secrets
                    .as_table_like_mut()
                    .ok_or(Failure::Malformed(path))?;
                Ok(secrets.get_mut(name))
            }
        }
    }

    /// Adds secret `name` with `fields`, in the form of the owner's other
    /// secrets: a `[….secrets.NAME]` table placed after the owner's last
    /// table, dotted keys, or an inline table.
    fn create_secret(&mut self, name: &str, fields: Vec<(&str, Value)>) -> Result<(), Failure> {
        let position = last_position(self.item);
        let owner_style = self.item.as_table().and_then(Style::of);
        let secrets_path = format!("{}.secrets", self.path);
        let owner_path = self.path.clone();
        match self.item {
            Item::Table(owner) if !owner.contains_key("secrets") => {
                let mut secrets = Table::new();
                secrets.set_implicit(true);
                owner.insert("secrets", Item::Table(secrets));
            }
            Item::Value(Value::InlineTable(owner)) if !owner.contains_key("secrets") => {
                inline_insert(owner, "secrets", Value::InlineTable(InlineTable::new()));
            }
            Item::Table(_) | Item::Value(Value::InlineTable(_)) => {}
            _ => return Err(Failure::Malformed(owner_path)),
        }
        match self.secrets_mut()? {
            Some(Item::Table(secrets)) if secrets.is_dotted() => {
                let mut secret = Table::new();
                secret.set_dotted(true);
                for (key, value) in fields {
                    secret.insert(key, Item::Value(value));
                }
                secrets.insert(name, Item::Table(secret));
            }
            Some(Item::Table(secrets)) => {
                let decor = sibling_decor(secrets);
                let mut secret = Table::new();
                secret.set_position(position);
                if let Some(decor) = decor {
                    *secret.decor_mut() = decor;
                }
                let style = secrets
                    .iter()
                    .filter_map(|(_, item)| item.as_table().and_then(Style::of))
                    .last()
                    .or(owner_style);
                for (key, value) in fields {
                    secret.insert(key, Item::Value(value));
                    if let Some(style) = &style {
                        style.apply(&mut secret, key);
                    }
                }
                secrets.insert(name, Item::Table(secret));
            }
            Some(Item::Value(Value::InlineTable(secrets))) => {
                let secret = fields.into_iter().collect::<InlineTable>();
                inline_insert(secrets, name, Value::InlineTable(secret));
            }
            _ => return Err(Failure::Malformed(secrets_path)),
        }
        Ok(())
    }

    /// After `removed` was deleted from the owner: if nothing is left that
    /// declares the owner (its only header was the deleted secret's), gives
    /// it a header of its own where the secret was, so the org or site does
    /// not vanish with its last secret.
    fn keep_declared(&mut self, removed: &Item) {
        let Item::Table(owner) = self.item else {
            return;
        };
        if declared(owner) {
            return;
        }
        owner.set_implicit(false);
        owner.set_dotted(false);
        if let Item::Table(removed) = removed {
            owner.set_position(removed.position());
            if let Some(prefix) = removed.decor().prefix().and_then(|p| p.as_str())
                && prefix.trim().is_empty()
            {
                owner.decor_mut().set_prefix(prefix);
            }
        }
    }
}

/// The keys of a secret in the order they are written.
const SECRET_KEYS: [&str; 4] = ["type", "scope", "value", "overrides"];

/// The keys that come after `key` in a secret.
fn after(key: &str) -> &'static [&'static str] {
    let at = SECRET_KEYS.iter().position(|k| *k == key);
    at.map_or(&[], |at| &SECRET_KEYS[at + 1..])
}

/// Whether the printed document would still hold `table`.
fn declared(table: &Table) -> bool {
    (!table.is_implicit() && !table.is_dotted())
        || table.iter().any(|(_, item)| match item {
            Item::Table(t) => declared(t),
            Item::ArrayOfTables(a) => !a.is_empty(),
            Item::Value(_) => true,
            Item::None => false,
        })
}

/// The largest document position of the tables in `item`: a new table with
/// it is printed right after them.
fn last_position(item: &Item) -> Option<isize> {
    match item {
        Item::Table(t) => t
            .iter()
            .map(|(_, child)| last_position(child))
            .fold(t.position(), Option::max),
        Item::ArrayOfTables(a) => a.iter().filter_map(Table::position).max(),
        _ => None,
    }
}

/// The blank lines before the last secret table among `secrets`, to put
/// before a new one (comments are not copied).
fn sibling_decor(secrets: &Table) -> Option<Decor> {
    let prefix = secrets
        .iter()
        .filter_map(|(_, item)| item.as_table())
        .filter(|t| !t.is_dotted())
        .max_by_key(|t| t.position())?
        .decor()
        .prefix()?
        .as_str()?;
    let blank = prefix.contains('\n') && prefix.trim().is_empty();
    blank.then(|| Decor::new(prefix, ""))
}

/// Sets `key` to the string `value` in an inline table.
fn set_in_inline(table: &mut InlineTable, key: &str, value: &str) {
    match table.get_mut(key) {
        Some(old) => restyle(old, string(value, None)),
        None => inline_insert(table, key, string(value, None)),
    }
}

/// `{ env = "value" }`.
fn overrides(env: &str, value: &str) -> Value {
    let mut table = InlineTable::new();
    table.insert(env, string(value, None));
    Value::InlineTable(table)
}
