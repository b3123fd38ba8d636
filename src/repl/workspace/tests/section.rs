//! An edit made on its owner's section alone gives the file the whole-file
//! path gives, byte for byte: every edit on every owner of every form.

use super::forms::{CRLF, DOTTED, INLINE};
use super::*;
use crate::layout::load_str;
use crate::repl::state::Checked;
use crate::repl::workspace::Section;

/// The forms of these tests, and a few more.
fn forms() -> Vec<String> {
    let more = [
        "[sites.m.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\noverrides = {\n  dev = \"d\",\n  test = \"t\",\n}\n",
        "[sites.n.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"",
        "\u{feff}[sites.q.secrets.A]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"a\"\n\n[sites.\"q\".secrets.B]\ntype = 'env'\nscope = ['web']\nvalue = 'b'\n",
        "[sites.a.secrets.X]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"x\"\n\n[sites.b]\nphp = \"8.1\"\n\n[sites.a]\nowner = \"o\"\n\n[sites.c]\n",
        "[sites.r]\nsecrets.X.value = \"x\"\nphp = \"8.2\"\nsecrets.X.type = \"env\"\nsecrets.X.scope = [\"web\"]\n",
        "[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\n# live only\noverrides = { live = \"l\" }\n",
        "[sites.s]\nowner = \"o\"\n\n[sites.s.secrets.K]\noverrides = { live = \"l\" }\n",
        "[sites.s.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v\"\n\n[sites.s.secrets.K.overrides]\ndev = \"d\"  # dev\n\n[sites.t]\n",
        "[orgs.o.secrets.K]\ntype=\"env\"\nscope=[\"ic\"]\nvalue=\"v\"\noverrides={dev=\"d\"}\n",
        // Comments and blank lines before an owner's first header, at the
        // start of the file and between owners.
        "# top\n\n# of file\n[sites.a.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\n\n# b's\n\n[sites.b.secrets.K]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"k\"\n  # indented\n[sites.b.secrets.L]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"l\"\n\n\n# c's\n[sites.c]\n# trailing\n\n",
        "[orgs.o]\n[orgs.o.secrets.A]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"a\"\n[sites.x]\nowner = \"o\"\n[sites.x.secrets.B]\ntype = \"env\"\nscope = [\"ic\"]\nvalue = \"b\"\r\n[sites.y]\r\n",
    ];
    let layout_more = LAYOUT.replace(
        "[sites.blog.secrets",
        "[sites.shop.secrets.OTHER]\nvalue = \"o\"\ntype = \"env\"\nscope = [\"web\"]\n\n[sites.blog.secrets",
    );
    [LAYOUT, DOTTED, INLINE, CRLF, &layout_more]
        .into_iter()
        .chain(more)
        .map(str::to_owned)
        .collect()
}

/// Edits of every kind on `owner`, whose secrets are `names`.
fn edits(owner: &OwnerRef, names: &[String]) -> Vec<Edit> {
    let mut out = vec![
        set(owner.clone(), None, "FRESH", "f"),
        set(owner.clone(), Some("live"), "FRESH", "o"),
        delete(owner.clone(), None, "NOPE"),
    ];
    for name in names {
        out.extend([
            set(owner.clone(), None, name, "v2 \"quoted\"\n"),
            set(owner.clone(), Some("live"), name, "l"),
            set(owner.clone(), Some("dev"), name, "d"),
            delete(owner.clone(), None, name),
            delete(owner.clone(), Some("dev"), name),
            delete(owner.clone(), Some("live"), name),
        ]);
    }
    out
}

#[test]
fn a_section_edit_gives_the_whole_file_edit() {
    let policy = crate::policy::pantheon().expect("policy");
    let (mut compared, mut declined) = (0, 0);
    for text in forms() {
        let checked = Checked::new(load_str("layout.toml", &text), &policy);
        let layout = &checked.layout;
        let orgs = layout.orgs.iter().map(|(id, o)| (org(id), &o.secrets));
        let sites = layout.sites.iter().map(|(id, s)| (site(id), &s.secrets));
        for (owner, secrets) in orgs.chain(sites) {
            let Some(run) = checked.section(&owner) else {
                continue;
            };
            let names: Vec<String> = secrets.keys().map(|k| k.to_string()).collect();
            for edit in edits(&owner, &names) {
                let mut whole = workspace(&text);
                let expected = whole
                    .apply(&edit)
                    .map(|()| whole.files()[0].current().to_owned());
                let mut part = workspace(&text);
                let section = Section {
                    file: 0,
                    range: run.range.clone(),
                };
                let got = match part.prepare(&edit, section) {
                    Ok(Some(prepared)) => {
                        part.commit(prepared);
                        Ok(part.files()[0].current().to_owned())
                    }
                    Ok(None) => {
                        declined += 1;
                        continue;
                    }
                    Err(e) => Err(e),
                };
                compared += 1;
                match (&expected, &got) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{edit:?} on\n{text}"),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{edit:?}"),
                    _ => panic!("{edit:?} on\n{text}: {expected:?} vs {got:?}"),
                }
                // Undo gives the text back.
                part.undo();
                assert_eq!(part.files()[0].current(), text, "{edit:?}: undo");
            }
        }
    }
    // Sections are declined only where toml_edit prints lines otherwise.
    assert!(
        compared > 200 && declined < compared / 10,
        "{compared} {declined}"
    );
}
