//! Tests of layout loading and masking.

mod load;
mod mask;
mod walk;

/// A million secrets sit in memory at once: each byte of a secret is a
/// megabyte of peak memory. These sizes are what the layout was made to
/// take; a change that grows one should be a choice, not an accident.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_secret_stays_small() {
    use super::{Override, Scopes, Secret, SecretValue, Spanned};
    use std::mem::size_of;
    assert_eq!(size_of::<Option<SecretValue>>(), 16);
    assert_eq!(size_of::<super::Overrides>(), 8);
    assert_eq!(size_of::<Option<Spanned<Scopes, crate::source::Loc>>>(), 32);
    assert_eq!(size_of::<Override>(), 32);
    assert_eq!(size_of::<Secret>(), 112);
}

/// `word` gives the interned word whatever its table of recent words
/// holds: texts that share a slot or their first 8 bytes, the empty
/// text, a text again after another took its slot.
#[test]
fn a_word_is_the_interned_word() {
    use super::{Scopes, Word, word};
    // Short ones, and long ones whose first 8 bytes are the same.
    let texts: Vec<String> = (0..300)
        .map(|n| format!("w{n}"))
        .chain((0..50).map(|n| format!("multidev-{n}")))
        .chain(('a'..='z').map(|c| format!("release-{c}b")))
        .chain(["12345678", "1234567", "123456789"].map(String::from))
        .chain(["", "dev", "env", "web", "wbe", "é"].map(String::from))
        // Of each length up to 9, the same but for one byte anywhere.
        .chain((1..=9).flat_map(|len| {
            (0..len).map(move |at| {
                let mut text = "a".repeat(len);
                text.replace_range(at..=at, "b");
                text
            })
        }))
        .collect();
    for _ in 0..2 {
        for text in texts.iter().chain(texts.iter().rev()) {
            assert_eq!(word(text), Word::from(text.as_str()), "{text:?}");
            assert_eq!(word(text).as_str(), text);
        }
    }
    // A single scope takes no list; two or none do.
    let at = crate::source::Loc::default();
    let scope = |w: &str| super::Spanned {
        value: word(w),
        span: at,
    };
    assert!(matches!(std::iter::once(scope("web")).collect(), Scopes::One(w, _) if w == "web"));
    let two: Scopes = [scope("web"), scope("ic")].into_iter().collect();
    assert_eq!(
        two.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(),
        ["web", "ic"]
    );
    assert!(matches!(std::iter::empty().collect(), Scopes::Many(m) if m.is_empty()));
}

/// Secrets released, an owner is left empty and usable: none is found,
/// even in an owner large enough to have had an index of names.
#[test]
fn released_owners_hold_no_secret() {
    let mut text = String::from("[orgs.o]\n");
    for i in 0..40 {
        text.push_str(&format!(
            "[orgs.o.secrets.K{i}]\ntype = \"env\"\nscope = [\"web\"]\nvalue = \"v{i}\"\n"
        ));
    }
    let mut layout = super::load_str("l.toml", &text).layout;
    assert!(layout.orgs["o"].secrets.get("K20").is_some());
    layout.release_secrets();
    let secrets = &layout.orgs["o"].secrets;
    assert_eq!(secrets.len(), 0);
    assert!(secrets.get("K20").is_none() && !secrets.contains_key("K20"));
}
