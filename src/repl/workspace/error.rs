//! Why an edit or a save could not be done. No message holds a value.

use std::io;

/// An edit that cannot be applied to the layout's text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EditError {
    /// No file declares the org or site: `secret:site:set nosuch NAME VALUE`.
    #[error("no layout file declares {kind} `{id}`")]
    #[diagnostic(
        code(ward::repl::unknown_owner),
        help(
            "an edit goes into the file that declares its org or site: add `[{kind}s.{id}]` to a layout file first"
        )
    )]
    UnknownOwner {
        /// `org` or `site`.
        kind: &'static str,
        /// Its id.
        id: String,
    },
    /// The secret, or the override, to delete is not there:
    /// `secret:site:delete site.live NAME` without a `live` override.
    #[error("{}", not_found(kind, id, name, env.as_deref()))]
    #[diagnostic(
        code(ward::repl::not_found),
        help("`secret:{kind}:list {id}` shows what is there")
    )]
    NotFound {
        /// `org` or `site`.
        kind: &'static str,
        /// The org or site id.
        id: String,
        /// The secret name.
        name: String,
        /// The override's environment, when one was to be deleted.
        env: Option<String>,
    },
    /// The file that declares the owner is not valid TOML, so it cannot be
    /// edited without losing its text: a file with `[sites.a` (no `]`).
    #[error("cannot edit `{file}`: it is not valid TOML")]
    #[diagnostic(
        code(ward::repl::unparseable),
        help("fix the syntax errors `check` reports in `{file}`, then edit again")
    )]
    Unparseable {
        /// The file's name.
        file: String,
    },
    /// An entry the edit goes into does not have the form a layout gives
    /// it: `secrets = "x"`, or `value` as a table.
    #[error("cannot edit `{path}` in `{file}`: it is not a valid layout entry")]
    #[diagnostic(
        code(ward::repl::malformed),
        help("`check` reports the problem: fix the layout, then edit again")
    )]
    Malformed {
        /// The file's name.
        file: String,
        /// The dotted path of the entry, e.g. `sites.a.secrets`.
        path: String,
    },
}

/// The message of [`EditError::NotFound`].
fn not_found(kind: &str, id: &str, name: &str, env: Option<&str>) -> String {
    match env {
        None => format!("{kind} `{id}` has no secret `{name}`"),
        Some(env) => format!("secret `{name}` of {kind} `{id}` has no override for `{env}`"),
    }
}

/// A save that could not be done. Files already written stay written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SaveError {
    /// The file on disk is no longer the text that was loaded: another
    /// program changed (or removed) it, and saving would lose that change.
    #[error("`{path}` changed on disk since it was loaded")]
    #[diagnostic(
        code(ward::repl::changed_on_disk),
        help(
            "nothing was written: save to another path with `save PATH`, or start again from the file as it is now"
        )
    )]
    ChangedOnDisk {
        /// The file.
        path: String,
    },
    /// `save PATH` when the edits changed more than one file.
    #[error("the edits change {} files, and `{to}` can hold only one", files.len())]
    #[diagnostic(
        code(ward::repl::several_files),
        help("`save` without a path writes each file in place: {}", files.join(", "))
    )]
    SeveralFiles {
        /// The path given.
        to: String,
        /// The changed files.
        files: Vec<String>,
    },
    /// `save PATH` naming another file of the layout, which would then no
    /// longer be what the workspace holds for it.
    #[error("`{to}` is another file of the layout")]
    #[diagnostic(
        code(ward::repl::layout_file),
        help(
            "save to a new path, or use `save` without a path to write each edited file in place"
        )
    )]
    LayoutFile {
        /// The path given.
        to: String,
    },
    /// The file is read-only: ward will not replace it.
    #[error("`{path}` is read-only")]
    #[diagnostic(
        code(ward::repl::read_only),
        help("make it writable, or save to another path with `save PATH`")
    )]
    ReadOnly {
        /// The file.
        path: String,
    },
    /// Reading, writing or renaming failed; the file is as it was.
    #[error("cannot write `{path}`")]
    #[diagnostic(
        code(ward::repl::write),
        help("check that the directory exists and that you may write to it")
    )]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
}
