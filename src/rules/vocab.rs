//! Vocabulary checks: every type, scope and environment name in the layout
//! must be one the policy declares, and every org a site names must exist.

use super::partial::owner_vocab;
use crate::finding::{Finding, Severity, rule_id};
use crate::layout::{Layout, Name, OwnerKind, Secret, Site, Spanned, Word, show};
use crate::policy::Policy;
use crate::resolve::closest;

/// How many names "did you mean" may compare in one check: each unknown
/// org is compared with every declared one, which for 10k sites naming
/// orgs among 10k would take minutes. Past the budget, the help says what
/// to declare without a suggestion.
const SUGGESTION_BUDGET: usize = 1 << 17;

/// Findings for words the policy does not know.
pub(super) fn check(layout: &Layout, policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut budget = SUGGESTION_BUDGET;
    let known = Known::new(policy);
    for org in layout.orgs.values() {
        let owner = (OwnerKind::Org, org.id.as_str());
        owner_vocab(policy, &known, owner, org.secrets.values(), &mut out);
    }
    for site in layout.sites.values() {
        site_vocab(layout, policy, site, &mut budget, &mut out);
        let owner = (OwnerKind::Site, site.id.as_str());
        owner_vocab(policy, &known, owner, site.secrets.values(), &mut out);
    }
    out
}

/// The policy's types and scopes as words: a layout's words are
/// interned, so telling a known one is a comparison of pointers.
pub(super) struct Known {
    types: Vec<Word>,
    scopes: Vec<Word>,
}

impl Known {
    pub(super) fn new(policy: &Policy) -> Self {
        let words = |list: &[String]| list.iter().map(|w| Word::from(w.as_str())).collect();
        Known {
            types: words(&policy.types),
            scopes: words(&policy.scopes),
        }
    }

    /// Whether every type and scope of `secret` is the policy's.
    fn all(&self, secret: &Secret) -> bool {
        let ty = secret
            .ty
            .as_ref()
            .is_none_or(|t| self.types.contains(&t.value));
        let scopes = secret.scope.as_ref();
        ty && scopes.is_none_or(|s| s.value.iter().all(|s| self.scopes.contains(&s.value)))
    }
}

/// The vocabulary findings of one secret; `known` is the policy's.
pub(super) fn secret_vocab(policy: &Policy, known: &Known, secret: &Secret) -> Vec<Finding> {
    if known.all(secret) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(ty) = &secret.ty {
        out.extend(unknown_word(
            rule_id::UNKNOWN_TYPE,
            "type",
            &ty.at(secret.span.file),
            &policy.types,
        ));
    }
    for scope in secret.scope.iter().flat_map(|s| s.value.iter()) {
        out.extend(unknown_word(
            rule_id::UNKNOWN_SCOPE,
            "scope",
            &scope.at(secret.span.file),
            &policy.scopes,
        ));
    }
    for f in &mut out {
        f.secret = Some(secret.name.clone());
    }
    out
}

fn unknown_word(
    rule: &str,
    what: &str,
    word: &Spanned<impl AsRef<str>>,
    known: &[String],
) -> Option<Finding> {
    let text = word.value.as_ref();
    if known.iter().any(|k| k == text) {
        return None;
    }
    let help = match closest(text, known.iter().map(String::as_str)) {
        Some(s) => format!(
            "did you mean `{s}`? the policy's {what}s are: {}",
            known.join(", ")
        ),
        None => format!("the policy's {what}s are: {}", known.join(", ")),
    };
    let message = format!("unknown {what} `{}`", show(text));
    Some(
        Finding::new(rule, Severity::Error, message, word.span)
            .with_label(format!("not a {what} of this policy"))
            .with_help(help),
    )
}

fn site_vocab(
    layout: &Layout,
    policy: &Policy,
    site: &Site,
    budget: &mut usize,
    out: &mut Vec<Finding>,
) {
    for env in &site.environments {
        if let Some(mut f) = bad_env(policy, env) {
            f.site = Some(site.id.as_str().into());
            out.push(f);
        }
    }
    let orgs = site.owner.iter().chain(&site.supporting);
    for org in orgs {
        if layout.orgs.contains_key(&org.value) {
            continue;
        }
        let suggestion = match budget.checked_sub(layout.orgs.len()) {
            Some(left) => {
                *budget = left;
                closest(&org.value, layout.orgs.keys().map(|k| k.as_str()))
            }
            None => None,
        };
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "declare `[orgs.{}]` (it may have no secrets) so the name can be checked",
                show(&org.value)
            ),
        };
        let mut f = Finding::new(
            rule_id::UNKNOWN_ORG,
            Severity::Warning,
            format!("org `{}` is not declared in the layout", show(&org.value)),
            org.span,
        )
        .with_label("no such org")
        .with_help(help);
        f.site = Some(site.id.as_str().into());
        out.push(f);
    }
}

fn bad_env(policy: &Policy, env: &Spanned<Name>) -> Option<Finding> {
    if policy.always_envs.iter().any(|e| *e == env.value) {
        return None;
    }
    let rules = policy.env_names.as_ref()?;
    if rules.allows(&env.value) {
        return None;
    }
    let why = if rules.except.iter().any(|e| *e == env.value) {
        "it is a reserved name".to_string()
    } else {
        format!("environment names must match `{}`", rules.pattern.as_str())
    };
    let mut f = Finding::new(
        rule_id::INVALID_ENVIRONMENT,
        Severity::Error,
        format!("invalid environment name `{}`", show(&env.value)),
        env.span,
    )
    .with_label(why)
    .with_help(format!(
        "the policy allows {} and names matching `{}` except {}",
        policy.always_envs.join(", "),
        rules.pattern.as_str(),
        rules.except.join(", ")
    ));
    f.env = Some(env.value.as_str().into());
    Some(f)
}
