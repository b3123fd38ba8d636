//! The parsed policy. Everything Pantheon-specific lives in policy files;
//! these types only say what a policy can express.

use regex::Regex;

use crate::finding::Severity;
use crate::layout::OwnerKind;

/// A parsed, checked policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The name in `policy "NAME" { ... }`.
    pub name: String,
    /// Allowed secret types, in declaration order.
    pub types: Vec<String>,
    /// Allowed scopes, in declaration order.
    pub scopes: Vec<String>,
    /// Environments every site has (e.g. dev, test, live).
    pub always_envs: Vec<String>,
    /// Which other environment names a site may declare; `None` allows any.
    pub env_names: Option<EnvNames>,
    /// Resolution layers from lowest to highest priority.
    pub precedence: Vec<Layer>,
    /// Which orgs a site inherits secrets from.
    pub inherit: Inherit,
    /// `reveal scope user`: values of secrets with one of these scopes are
    /// shown without `--reveal` (Terminus shows `user`-scoped values).
    pub reveal_scopes: Vec<String>,
    /// Rules, in declaration order.
    pub rules: Vec<Rule>,
}

/// A rule pattern's DFA: `None` once built if the pattern has none.
pub type PatternDfa = std::sync::OnceLock<Option<Box<regex_automata::dfa::dense::DFA<Vec<u32>>>>>;

/// `environment names match /RE/ except a, b`.
#[derive(Debug, Clone)]
pub struct EnvNames {
    /// Names must match this.
    pub pattern: Regex,
    /// Reserved names that are refused even if they match.
    pub except: Vec<String>,
}

impl EnvNames {
    /// Whether `name` is an allowed extra environment name.
    pub fn allows(&self, name: &str) -> bool {
        self.pattern.is_match(name) && !self.except.iter().any(|e| e == name)
    }
}

/// Whether a layer holds defaults or environment overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The secret's default value.
    Default,
    /// The override for the requested environment.
    Override,
}

/// One layer of the precedence order, e.g. `org.override`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layer {
    /// Whose secrets.
    pub owner: OwnerKind,
    /// Default or override.
    pub slot: Slot,
}

/// `inherit from owner [and supporting]` or `inherit nothing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Inherit {
    /// Sites inherit from their owner org.
    pub owner: bool,
    /// Sites inherit from their supporting orgs too.
    pub supporting: bool,
}

/// What a rule is evaluated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Once per declared secret (org or site).
    Secret,
    /// Once per value: each default value and each override.
    Value,
    /// Once per environment override.
    Override,
    /// Once per site.
    Site,
}

/// A rule: where `when` holds, `require` must hold, else a finding.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Rule id, e.g. `env-key-name`.
    pub id: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it is evaluated on.
    pub subject: Subject,
    /// Condition; `None` means always.
    pub when: Option<Expr>,
    /// Requirement.
    pub require: Expr,
    /// Message template.
    pub message: Template,
    /// Help template.
    pub help: Option<Template>,
}

/// A boolean expression over a subject's attributes.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// `a == b`, `a < b`, ... Numbers and versions (`8.0`) compare numerically.
    Cmp(Operand, CmpOp, Operand),
    /// `a =~ /re/` (or `!~` when `negate`).
    Match {
        /// Tested operand.
        operand: Operand,
        /// Compiled pattern.
        regex: Regex,
        /// `!~`.
        negate: bool,
        /// The pattern's DFA, once a check has built it (see
        /// `rules::compiled::Matcher`): built once per policy, not for
        /// each check of a REPL edit.
        dfa: PatternDfa,
    },
    /// `a in [x, y]` or `a in site.environments`.
    In(Operand, Operand),
    /// `scope has ic`: the list on the left contains the right.
    Has(Operand, Operand),
    /// `value is json`.
    IsJson(Operand),
    /// A boolean attribute on its own, e.g. `default.exists`.
    Truthy(Attr),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// Whether `a op b` holds, given how `a` compares to `b`.
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

/// An operand: an attribute of the subject or a literal.
#[derive(Debug, Clone)]
pub enum Operand {
    /// An attribute such as `type` or `site.php`.
    Attr(Attr),
    /// A string, bare word or number literal (numbers keep their text).
    Lit(String),
    /// `[a, b, c]`.
    List(Vec<String>),
}

/// The attributes a rule can read. See the README's policy reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attr {
    /// `name`
    Name,
    /// `type`
    Type,
    /// `scope` (list)
    Scope,
    /// `owner.kind`: `org` or `site`
    OwnerKind,
    /// `owner.id`
    OwnerId,
    /// `owner.environments` (list): a site's environments, or for an org the
    /// always-present ones plus those of every site inheriting from it
    OwnerEnvironments,
    /// `override.env`
    OverrideEnv,
    /// `value` (never allowed in a template)
    Value,
    /// `value.bytes`
    ValueBytes,
    /// `value.set` (bool)
    ValueSet,
    /// `value.json.keys` (list): top-level keys when the value is a JSON
    /// object (never allowed in a template: the keys are part of the value)
    ValueJsonKeys,
    /// `default.exists` (bool): the secret has a default, its own or inherited
    DefaultExists,
    /// `shadows` (bool): a site secret whose name an inherited org also defines
    Shadows,
    /// `site.id`
    SiteId,
    /// `site.php`
    SitePhp,
    /// `site.owner`
    SiteOwner,
    /// `site.supporting` (list)
    SiteSupporting,
    /// `site.environments` (list, always-present ones included)
    SiteEnvironments,
    /// `site.scopes` (list): scopes of every secret the site sees
    SiteScopes,
}

impl Attr {
    /// Every attribute with its name in the policy language.
    pub const ALL: &'static [(&'static str, Attr)] = &[
        ("name", Attr::Name),
        ("type", Attr::Type),
        ("scope", Attr::Scope),
        ("owner.kind", Attr::OwnerKind),
        ("owner.id", Attr::OwnerId),
        ("owner.environments", Attr::OwnerEnvironments),
        ("override.env", Attr::OverrideEnv),
        ("value", Attr::Value),
        ("value.bytes", Attr::ValueBytes),
        ("value.set", Attr::ValueSet),
        ("value.json.keys", Attr::ValueJsonKeys),
        ("default.exists", Attr::DefaultExists),
        ("shadows", Attr::Shadows),
        ("site.id", Attr::SiteId),
        ("site.php", Attr::SitePhp),
        ("site.owner", Attr::SiteOwner),
        ("site.supporting", Attr::SiteSupporting),
        ("site.environments", Attr::SiteEnvironments),
        ("site.scopes", Attr::SiteScopes),
    ];

    /// Looks an attribute up by its policy-language name.
    pub fn from_name(name: &str) -> Option<Attr> {
        Attr::ALL.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
    }

    /// The policy-language name.
    pub fn name(self) -> &'static str {
        Attr::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("?", |(n, _)| n)
    }
}

/// A message or help template: literal text and `{attribute}` holes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    /// The pieces in order.
    pub parts: Vec<TemplatePart>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// `{attr}`; `value` and `value.json.keys` are refused by the parser so
    /// no template can print a secret.
    Hole(Attr),
}

impl Expr {
    /// Every attribute the expression reads, in reading order.
    pub fn attrs(&self, out: &mut Vec<Attr>) {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.attrs(out);
                b.attrs(out);
            }
            Expr::Not(e) => e.attrs(out),
            Expr::Cmp(a, _, b) | Expr::In(a, b) | Expr::Has(a, b) => {
                a.attr(out);
                b.attr(out);
            }
            Expr::Match { operand, .. } | Expr::IsJson(operand) => operand.attr(out),
            Expr::Truthy(a) => out.push(*a),
        }
    }
}

impl Operand {
    fn attr(&self, out: &mut Vec<Attr>) {
        if let Operand::Attr(a) = self {
            out.push(*a);
        }
    }
}

impl Attr {
    /// Whether the attribute is true or false (usable alone as a condition):
    /// `default.exists`, `value.set`, `shadows`.
    pub fn is_bool(self) -> bool {
        matches!(self, Attr::DefaultExists | Attr::ValueSet | Attr::Shadows)
    }

    /// Whether the attribute is a list (usable with `has` and on the right of `in`).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Attr::Scope
                | Attr::OwnerEnvironments
                | Attr::ValueJsonKeys
                | Attr::SiteSupporting
                | Attr::SiteEnvironments
                | Attr::SiteScopes
        )
    }
}
