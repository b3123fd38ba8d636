//! Everything a layout holds, spans and values included, as text: what
//! the equivalence tests compare (two loads, or an incremental edit and a
//! full reload). Test-only: it prints values.

use std::fmt::Write as _;

use ward::layout::{Layout, Secrets};

/// The files (name and length), orgs, sites and secrets of `layout`.
pub fn layout(layout: &Layout) -> String {
    let mut out = String::new();
    for (id, file) in layout.sources.iter() {
        let _ = writeln!(out, "file {id} {} {} bytes", file.name, file.text.len());
    }
    for (key, org) in &layout.orgs {
        let _ = writeln!(out, "org {key:?} {:?} {:?}", org.id, org.span);
        secrets(&mut out, layout, &org.secrets);
    }
    for (key, site) in &layout.sites {
        let _ = writeln!(out, "site {key:?} {:?} {:?}", site.id, site.span);
        let _ = writeln!(out, "  owner {:?}", site.owner);
        let _ = writeln!(out, "  supporting {:?}", site.supporting);
        let _ = writeln!(out, "  php {:?}", site.php);
        let _ = writeln!(out, "  environments {:?}", site.environments);
        secrets(&mut out, layout, &site.secrets);
    }
    out
}

fn secrets(out: &mut String, layout: &Layout, secrets: &Secrets) {
    let sources = &layout.sources;
    for (key, s) in secrets {
        let _ = writeln!(out, "  secret {key:?} {:?} {:?}", s.name, s.span);
        let _ = writeln!(out, "    type {:?}", s.ty);
        let _ = writeln!(out, "    scope {:?}", s.scope);
        let file = s.span.file;
        let value = s
            .value
            .as_ref()
            .map(|v| (v.expose(file, sources), v.span(file)));
        let _ = writeln!(out, "    value {value:?}");
        for (env, o) in &s.overrides {
            let value = (o.value.expose(file, sources), o.value.span(file));
            let _ = writeln!(out, "    override {env:?} {:?} {value:?}", o.env_span);
        }
    }
}
