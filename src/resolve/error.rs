//! Errors of a resolve query: the question itself is wrong.

use miette::Diagnostic;
use thiserror::Error;

/// A query names something the layout or policy does not have.
#[derive(Debug, Error, Diagnostic)]
pub enum ResolveError {
    /// The site is not in the layout.
    #[error("unknown site `{site}`")]
    #[diagnostic(
        code(ward::resolve::unknown_site),
        help(
            "{}",
            did_you_mean(suggestion, "site ids are the keys under `[sites]`")
        )
    )]
    UnknownSite {
        /// The id asked for.
        site: String,
        /// A close id, if any.
        suggestion: Option<String>,
    },
    /// The site has no such environment.
    #[error("site `{site}` has no environment `{env}`")]
    #[diagnostic(code(ward::resolve::unknown_env), help("{}", did_you_mean(suggestion, &format!("its environments are: {known}; declare multidevs in `environments`"))))]
    UnknownEnv {
        /// The site.
        site: String,
        /// The environment asked for.
        env: String,
        /// A close name, if any.
        suggestion: Option<String>,
        /// The site's environments.
        known: String,
    },
    /// The policy has no such scope.
    #[error("unknown scope `{scope}`")]
    #[diagnostic(
        code(ward::resolve::unknown_scope),
        help("the policy's scopes are: {known}")
    )]
    UnknownScope {
        /// The scope asked for.
        scope: String,
        /// The policy's scopes.
        known: String,
    },
    /// The policy has no such type.
    #[error("unknown type `{ty}`")]
    #[diagnostic(
        code(ward::resolve::unknown_type),
        help("the policy's types are: {known}")
    )]
    UnknownType {
        /// The type asked for.
        ty: String,
        /// The policy's types.
        known: String,
    },
    /// No secret of that name is visible to the site in that scope.
    #[error("site `{site}` sees no secret `{name}` in `{env}` with scope `{scope}`")]
    #[diagnostic(code(ward::resolve::unknown_secret), help("{hint}"))]
    UnknownSecret {
        /// The site.
        site: String,
        /// The environment.
        env: String,
        /// The scope.
        scope: String,
        /// The secret asked for.
        name: String,
        /// Why, or what is close.
        hint: String,
    },
}

fn did_you_mean(suggestion: &Option<String>, otherwise: &str) -> String {
    match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise.to_string(),
    }
}
