# The Pantheon rules of policies/pantheon.policy, and ward's vocabulary checks, in Rego, for
# benches/side_by_side.rs: regorus evaluates them on the same generated layout ward checks, and
# the bench compares the per-rule counts of both, and what every view sees.
#
# Covers: unknown-type, unknown-scope, invalid-environment, unknown-org (ward's vocabulary
# checks), then every rule of pantheon.policy: env-key-name, override-needs-default,
# value-too-large, override-unknown-env, composer-needs-ic, composer-auth-name,
# github-oauth-shape, gitlab-oauth-shape, bitbucket-oauth-shape, composer-auth-json,
# ic-override-test-live, php-below-8-ic, owner-also-supporting.
# Not covered: loader findings (toml-syntax, unknown-field, invalid-field, missing-field,
# duplicate): the layout arrives here already parsed and merged into one document, and is
# assumed to be one ward loads cleanly (fields of the right shapes: a `scope` that is a string,
# or `secrets` that is a number, makes regorus stop with an error).
#
# Input: data.layout = {"orgs": {ID: ORG}, "sites": {ID: SITE}}, the layout's TOML files as JSON
# (ORG = {"secrets": {NAME: SECRET}}, SITE = {"owner", "supporting", "php", "environments",
# "secrets"}, SECRET = {"type", "scope", "value", "overrides": {ENV: VALUE}}, each key optional).
# Output: data.ward.pantheon.view_totals, {"views", "resolved"}: what every view of every site
# sees, counted as `ward check` counts it (see Views at the end), and
# data.ward.pantheon.findings, a set of {"rule", "owner", "id", "secret", "env", "at"}:
# owner is "orgs" or "sites" and id its key; secret and env are null where they do not apply;
# at tells apart findings on the entries of one list.
#
# Semantics as ward's (docs/policy-language.md): a rule reports when its `when` holds and its
# `require` fails; an attribute the subject lacks (no `php`, a withheld value, an entry with only
# overrides and no default) makes the rule say nothing. In Rego that is undefinedness: every
# attribute is bound before any `not` reads it.
# `value.bytes` is a length in bytes; Rego's count() counts UTF-16 code units, so a long value
# is measured exactly through hex.encode (two hex digits per byte).
#
# Written for speed as a Rego author would: the rules scan orgs, sites and secrets directly
# (no intermediate set of every secret), cheap tests come first, the shape rules look their one
# secret name up instead of scanning, and a rule on type or scope reads an entry's own
# declaration inline, with a second body for the few site entries that inherit it from their
# org (a function call per secret costs regorus more than the whole scan).
package ward.pantheon

import rego.v1

layout := data.layout

orgs := object.get(layout, "orgs", {})

sites := object.get(layout, "sites", {})

# --- Vocabularies (the policy's `types`, `scopes`, `environments`, `environment names`) -------

types := {"runtime", "env", "composer"}

scopes := {"ic", "web", "user"}

always_envs := {"dev", "test", "live"}

env_name_pattern := `^[a-z0-9][a-z0-9-]{0,10}$`

reserved_envs := {"master", "settings", "team", "support", "multidev", "debug", "files", "tags", "releases"}

# --- Facts ------------------------------------------------------------------------------------

# An entry declares a default when it has a type, a scope or a value (else it only holds
# overrides on top of a default held elsewhere). An entry with a type or a scope of its own is
# thus its own declaration, which is what the rules' first bodies read, without a function call
# per secret.
declares_default(s) if s.type

declares_default(s) if s.scope

declares_default(s) if s.value

# Site entries that only hold overrides, on the declaration of their owner org's secret of that
# name (`inherit from owner`: supporting orgs give nothing): inherited[site id][name]. Few; the
# rules on type and scope read them in a second body.
inherited[id][name] := m if {
	some id, site in sites
	some name, s in site.secrets
	not s.type
	not s.scope
	not s.value
	m := orgs[site.owner].secrets[name]
	declares_default(m)
}

# The declaration giving a secret its type and scopes (`default.exists` when defined), for the
# rules that look a secret up by name.
declaration(_, _, _, s) := s if declares_default(s)

declaration("sites", id, name, _) := inherited[id][name]

# An org's environments are the always-present ones plus those of every site inheriting from it;
# these are the [org, multidev] pairs of the latter.
org_multidevs contains [site.owner, env] if {
	some site in sites
	orgs[site.owner]
	some env in site.environments
}

# A multidev of a secret's owner (the always-present environments are tested first).
owner_multidev("sites", _, site, env) if env in site.environments

owner_multidev("orgs", id, _, env) if org_multidevs[[id, env]]

# The value subjects of an entry, as [env, value]: its default (env null) and each override.
values(s) := array.concat([[null, v] | v := s.value], [[env, v] | some env, v in s.overrides])

# `site.scopes has ic`: some secret the site sees has scope ic: one of its own, or one its owner
# org declares (an override-only entry sees its org's declaration, already among the latter).
sees_ic(site) if {
	some s in site.secrets
	"ic" in s.scope
}

sees_ic(site) if {
	some s in orgs[site.owner].secrets
	"ic" in s.scope
}

# `site.php < 8.0` when php is a dotted number (compared part by part, missing parts as zero:
# below 8.0 exactly when the first part is below 8); any other text is not comparable. A bare
# TOML number (`php = 7.4`) is read as written.
php_below_8(php) if {
	is_string(php)
	regex.match(`^[0-9]+(\.[0-9]+)*$`, php)
	to_number(split(php, ".")[0]) < 8
}

php_below_8(php) if {
	is_number(php)
	php >= 0
	php < 8
}

# (json.unmarshal fails the whole evaluation on invalid JSON: test it first.)
bitbucket_consumer(v) if {
	json.is_valid(v)
	j := json.unmarshal(v)
	is_object(j)
	"consumer-key" in object.keys(j)
	"consumer-secret" in object.keys(j)
}

# --- Vocabulary checks ------------------------------------------------------------------------

findings contains {"rule": "unknown-type", "owner": group, "id": id, "secret": name, "env": null, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	t := s.type
	not types[t]
}

findings contains {"rule": "unknown-scope", "owner": group, "id": id, "secret": name, "env": null, "at": i} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	some i, scope in s.scope
	not scopes[scope]
}

findings contains {"rule": "invalid-environment", "owner": "sites", "id": id, "secret": null, "env": env, "at": i} if {
	some id, site in sites
	some i, env in site.environments
	not always_envs[env]
	not env_name_ok(env)
}

env_name_ok(env) if {
	regex.match(env_name_pattern, env)
	not reserved_envs[env]
}

findings contains {"rule": "unknown-org", "owner": "sites", "id": id, "secret": null, "env": null, "at": "owner"} if {
	some id, site in sites
	org := site.owner
	not orgs[org]
}

findings contains {"rule": "unknown-org", "owner": "sites", "id": id, "secret": null, "env": null, "at": i} if {
	some id, site in sites
	some i, org in site.supporting
	not orgs[org]
}

# --- Names ------------------------------------------------------------------------------------

findings contains {"rule": "env-key-name", "owner": group, "id": id, "secret": name, "env": null, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	s.type == "env"
	not regex.match(`^[a-zA-Z_][a-zA-Z0-9_]*$`, name)
}

findings contains {"rule": "env-key-name", "owner": "sites", "id": id, "secret": name, "env": null, "at": null} if {
	some id, by_name in inherited
	some name, m in by_name
	m.type == "env"
	not regex.match(`^[a-zA-Z_][a-zA-Z0-9_]*$`, name)
}

# --- Defaults and overrides -------------------------------------------------------------------

findings contains {"rule": "override-needs-default", "owner": group, "id": id, "secret": name, "env": null, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	not s.type
	not declaration(group, id, name, s)
}

# `value.bytes <= 16384`, in bytes: count() counts UTF-16 code units, each one to three bytes
# (a pair: four), so only values over 16384 / 3 units are measured exactly, in hex digits.
findings contains {"rule": "value-too-large", "owner": group, "id": id, "secret": name, "env": null, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	v := s.value
	count(v) > 16384 / 3
	count(hex.encode(v)) > 2 * 16384
}

findings contains {"rule": "value-too-large", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	some env, v in s.overrides
	count(v) > 16384 / 3
	count(hex.encode(v)) > 2 * 16384
}

findings contains {"rule": "override-unknown-env", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	some env, _ in s.overrides
	not always_envs[env]
	not owner_multidev(group, id, o, env)
}

# --- Integrated Composer ----------------------------------------------------------------------

findings contains {"rule": "composer-needs-ic", "owner": group, "id": id, "secret": name, "env": null, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	s.type == "composer"
	scope := s.scope
	not "ic" in scope
}

findings contains {"rule": "composer-needs-ic", "owner": "sites", "id": id, "secret": name, "env": null, "at": null} if {
	some id, by_name in inherited
	some name, m in by_name
	m.type == "composer"
	scope := m.scope
	not "ic" in scope
}

findings contains {"rule": "composer-auth-name", "owner": group, "id": id, "secret": name, "env": null, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	s.type == "composer"
	not regex.match(composer_auth_names, name)
}

findings contains {"rule": "composer-auth-name", "owner": "sites", "id": id, "secret": name, "env": null, "at": null} if {
	some id, by_name in inherited
	some name, m in by_name
	m.type == "composer"
	not regex.match(composer_auth_names, name)
}

composer_auth_names := `^(github-oauth|gitlab-oauth|gitlab-token|bitbucket-oauth|http-basic|bearer)\.[A-Za-z0-9.-]+$`

# The shape rules name one secret each: look it up rather than scan every name.
findings contains {"rule": "github-oauth-shape", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	name := "github-oauth.github.com"
	some group, members in layout
	some id, o in members
	s := o.secrets[name]
	declaration(group, id, name, s).type == "composer"
	some [env, v] in values(s)
	not regex.match(`^[A-Za-z0-9_]+$`, v)
}

findings contains {"rule": "gitlab-oauth-shape", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	name := "gitlab-oauth.gitlab.com"
	some group, members in layout
	some id, o in members
	s := o.secrets[name]
	declaration(group, id, name, s).type == "composer"
	some [env, v] in values(s)
	not regex.match(`^[A-Za-z0-9_.-]+$`, v)
}

findings contains {"rule": "bitbucket-oauth-shape", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	name := "bitbucket-oauth.bitbucket.org"
	some group, members in layout
	some id, o in members
	s := o.secrets[name]
	declaration(group, id, name, s).type == "composer"
	some [env, v] in values(s)
	not bitbucket_consumer(v)
}

findings contains {"rule": "composer-auth-json", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	name := "COMPOSER_AUTH"
	some group, members in layout
	some id, o in members
	s := o.secrets[name]
	declaration(group, id, name, s).type == "env"
	some [env, v] in values(s)
	not json.is_valid(v)
}

findings contains {"rule": "ic-override-test-live", "owner": group, "id": id, "secret": name, "env": env, "at": null} if {
	some group, members in layout
	some id, o in members
	some name, s in o.secrets
	some env, _ in s.overrides
	env in {"test", "live"}
	"ic" in s.scope
}

findings contains {"rule": "ic-override-test-live", "owner": "sites", "id": id, "secret": name, "env": env, "at": null} if {
	some id, by_name in inherited
	some name, m in by_name
	"ic" in m.scope
	some env, _ in sites[id].secrets[name].overrides
	env in {"test", "live"}
}

# --- Sites ------------------------------------------------------------------------------------

findings contains {"rule": "php-below-8-ic", "owner": "sites", "id": id, "secret": null, "env": null, "at": null} if {
	some id, site in sites
	php_below_8(site.php)
	sees_ic(site)
}

findings contains {"rule": "owner-also-supporting", "owner": "sites", "id": id, "secret": null, "env": null, "at": null} if {
	some id, site in sites
	site.owner in site.supporting
}

# --- Views ------------------------------------------------------------------------------------

# What `ward check` also does: resolve every view, each site × each of its environments × each
# of the policy's scopes, and count the secrets the views see (`summary.views` and
# `summary.resolved` in its JSON). Under these rules (inheritance from the owner only, all four
# layers), a view sees each name that the site or its owner org declares with the view's scope:
# a declaration is seen in every environment (an override only changes which value wins), and a
# site entry holding only overrides sees its org's declaration of the name, which the org's
# names already count. Environments are the always-present ones and the site's, each once;
# scopes are the policy's.
view_totals := {"views": sum(views), "resolved": sum(seen)} if {
	per_site := [[n, count(envs) * names] |
		some site in sites
		envs := always_envs | {env | some env in object.get(site, "environments", [])}
		n := count(envs) * count(scopes)
		names := sum([count(scope_names(site, scope)) | some scope in scopes])
	]
	views := [v | some [v, _] in per_site]
	seen := [s | some [_, s] in per_site]
}

# The names a site's views with `scope` see: its own declarations with that scope, and its owner
# org's (a name in both counts once). A site without an owner inherits nothing.
scope_names(site, scope) := own | from_owner if {
	own := {name | some name, s in object.get(site, "secrets", {}); scope in s.scope}
	from_owner := {name |
		some name, s in object.get(orgs[site.owner], "secrets", {})
		scope in s.scope
	}
}
