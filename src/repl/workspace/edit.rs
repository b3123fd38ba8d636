//! What an edit is: set or delete a secret's default or override.

use crate::secret::SecretString;

/// Who owns the secret an edit touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerRef {
    /// `secret:org:*`.
    Org(String),
    /// `secret:site:*`.
    Site(String),
}

impl OwnerRef {
    /// `org` or `site`.
    pub fn kind(&self) -> &'static str {
        match self {
            OwnerRef::Org(_) => "org",
            OwnerRef::Site(_) => "site",
        }
    }

    /// The org or site id.
    pub fn id(&self) -> &str {
        match self {
            OwnerRef::Org(id) | OwnerRef::Site(id) => id,
        }
    }

    /// The top-level table that holds it: `orgs` or `sites`.
    pub(super) fn plural(&self) -> &'static str {
        match self {
            OwnerRef::Org(_) => "orgs",
            OwnerRef::Site(_) => "sites",
        }
    }
}

/// One what-if edit, already validated by the session.
#[derive(Clone, PartialEq, Eq)]
pub enum Edit {
    /// Set a secret's default (`env: None`) or an environment override.
    Set {
        /// Whose secret.
        owner: OwnerRef,
        /// `Some(env)` for an override.
        env: Option<String>,
        /// Secret name.
        name: String,
        /// The new value: redacted in `Debug`, zeroed when dropped.
        value: SecretString,
        /// Type, for a new secret.
        ty: Option<String>,
        /// Scopes, for a new secret.
        scope: Option<Vec<String>>,
    },
    /// Delete a secret (`env: None`, with its overrides) or one override.
    Delete {
        /// Whose secret.
        owner: OwnerRef,
        /// `Some(env)` to delete only that override.
        env: Option<String>,
        /// Secret name.
        name: String,
    },
}

impl Edit {
    /// Whose secret the edit touches.
    pub fn owner(&self) -> &OwnerRef {
        match self {
            Edit::Set { owner, .. } | Edit::Delete { owner, .. } => owner,
        }
    }
}

impl std::fmt::Debug for Edit {
    // Hand-written: the value must never reach a log or panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Edit::Set {
                owner,
                env,
                name,
                value,
                ty,
                scope,
            } => f
                .debug_struct("Set")
                .field("owner", owner)
                .field("env", env)
                .field("name", name)
                .field("value", value)
                .field("ty", ty)
                .field("scope", scope)
                .finish(),
            Edit::Delete { owner, env, name } => f
                .debug_struct("Delete")
                .field("owner", owner)
                .field("env", env)
                .field("name", name)
                .finish(),
        }
    }
}
