//! What is wrong with a command line, pointing at the words at fault. The
//! line is rendered with its secret value masked (see [`super::command::masked`]).

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A command line that cannot be run as written.
#[derive(Debug, Error, Diagnostic)]
pub enum InputError {
    /// `resolv site.dev`
    #[error("unknown command `{name}`")]
    #[diagnostic(code(ward::repl::unknown_command), help("{help}"))]
    UnknownCommand {
        /// The word given.
        name: String,
        /// A close command, or where to find them.
        help: String,
        /// The word.
        #[label("not a command")]
        span: SourceSpan,
    },
    /// `resolve site.dev --scpe=web`
    #[error("unknown flag `{flag}` for `{command}`")]
    #[diagnostic(code(ward::repl::unknown_flag), help("{help}"))]
    UnknownFlag {
        /// The flag, without any `=value`.
        flag: String,
        /// The command.
        command: &'static str,
        /// A close flag, or the command's flags.
        help: String,
        /// The flag.
        #[label("not a flag of `{command}`")]
        span: SourceSpan,
    },
    /// `resolve site.dev --scope=web --scope=ic`
    #[error("flag `{flag}` given twice")]
    #[diagnostic(code(ward::repl::duplicate_flag), help("give each flag once"))]
    DuplicateFlag {
        /// The flag.
        flag: String,
        /// The second one.
        #[label("again here")]
        span: SourceSpan,
    },
    /// `resolve site.dev --scope`
    #[error("flag `{flag}` needs a value")]
    #[diagnostic(code(ward::repl::flag_value), help("write it as `{flag}={example}`"))]
    FlagValue {
        /// The flag.
        flag: String,
        /// What its value is called: `SCOPE`.
        example: &'static str,
        /// The flag.
        #[label("no value")]
        span: SourceSpan,
    },
    /// `explain site.dev`
    #[error("missing argument `{arg}` for `{command}`")]
    #[diagnostic(code(ward::repl::missing_argument), help("usage: {usage}"))]
    MissingArgument {
        /// The argument's name in the usage line.
        arg: &'static str,
        /// The command.
        command: &'static str,
        /// Its usage line.
        usage: &'static str,
        /// The end of the line.
        #[label("`{arg}` expected here")]
        span: SourceSpan,
    },
    /// `check now`
    #[error("too many arguments for `{command}`")]
    #[diagnostic(
        code(ward::repl::extra_argument),
        help("usage: {usage}; quote an argument that holds spaces")
    )]
    ExtraArgument {
        /// The command.
        command: &'static str,
        /// Its usage line.
        usage: &'static str,
        /// The first extra word.
        #[label("unexpected")]
        span: SourceSpan,
    },
    /// `secret:site:set site NAME "value`
    #[error("unclosed quote")]
    #[diagnostic(
        code(ward::repl::unclosed_quote),
        help("close the quote, or escape it with `\\`")
    )]
    UnclosedQuote {
        /// The word it opens.
        #[label("opened here, never closed")]
        span: SourceSpan,
    },
    /// `resolve my-site`
    #[error("expected `SITE.ENV`, found `{found}`")]
    #[diagnostic(
        code(ward::repl::site_env),
        help("name the environment too, e.g. `{example}`")
    )]
    SiteEnv {
        /// The word given.
        found: String,
        /// The word with `.dev` added.
        example: String,
        /// The word.
        #[label("no environment")]
        span: SourceSpan,
    },
    /// `reveal yes`
    #[error("expected `on` or `off`, found `{found}`")]
    #[diagnostic(code(ward::repl::on_off), help("`reveal on` or `reveal off`"))]
    OnOff {
        /// The word given.
        found: String,
        /// The word.
        #[label("`on` or `off`")]
        span: SourceSpan,
    },
    /// A site, org, environment, secret, type or scope the layout or policy
    /// does not have: `resolve my-org-sit.dev`.
    #[error("{message}")]
    #[diagnostic(code(ward::repl::unknown_name), help("{help}"))]
    Unknown {
        /// `unknown site `my-org-sit``.
        message: String,
        /// Did you mean, or what there is.
        help: String,
        /// The word.
        #[label("{label}")]
        span: SourceSpan,
        /// The label.
        label: String,
    },
    /// `secret:site:set site EXISTING v --type=env` (Terminus's message).
    #[error("Secret '{name}' already exists. To update the value, omit type and scopes options.")]
    #[diagnostic(
        code(ward::repl::immutable),
        help(
            "a secret's type and scopes cannot change: delete it and set it again to change them"
        )
    )]
    AlreadyExists {
        /// The secret.
        name: String,
        /// The `--type`/`--scope` flag.
        #[label("type and scopes are immutable")]
        span: SourceSpan,
    },
    /// `undo` with no edit to take back.
    #[error("nothing to undo")]
    #[diagnostic(
        code(ward::repl::nothing_to_undo),
        help("there is no edit since the layout was loaded or last saved")
    )]
    NothingToUndo,
}

impl InputError {
    /// An unknown `what` (`site`, `org`, ...) named `word` at `span`, with a
    /// "did you mean" among `known`, else `otherwise` as help.
    pub fn unknown<'a>(
        message: String,
        word: &str,
        known: impl Iterator<Item = &'a str>,
        otherwise: String,
        span: &std::ops::Range<usize>,
    ) -> Self {
        let help = match crate::resolve::closest(word, known) {
            Some(s) => format!("did you mean `{s}`?"),
            None => otherwise,
        };
        InputError::Unknown {
            message,
            help,
            span: to_span(span),
            label: "not found".to_string(),
        }
    }

    /// Sets the label of an [`InputError::Unknown`].
    pub fn labelled(mut self, text: &str) -> Self {
        if let InputError::Unknown { label, .. } = &mut self {
            *label = text.to_string();
        }
        self
    }
}

/// A byte range as miette wants it.
pub fn to_span(range: &std::ops::Range<usize>) -> SourceSpan {
    SourceSpan::from(range.start..range.end)
}
