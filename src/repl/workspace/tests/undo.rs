//! Undo, many levels deep.

use super::*;

#[test]
fn undo_restores_the_exact_text_level_by_level() {
    let mut ws = workspace(LAYOUT);
    let edits = [
        set(site("shop"), None, "A", "1"),
        set(site("shop"), Some("live"), "A", "2"),
        set(org("acme"), None, "CI_TOKEN", "3"),
        delete(site("blog"), None, "WP_SALT"),
        delete(org("acme"), Some("live"), "CI_TOKEN"),
        set(site("shop"), None, "A", "é-unicode-ü"),
    ];
    let mut texts = vec![ws.files()[0].current().to_owned()];
    for edit in &edits {
        ws.apply(edit).expect("applies");
        texts.push(ws.files()[0].current().to_owned());
    }
    assert_eq!(ws.edits(), edits);
    assert!(ws.dirty());
    for edit in edits.iter().rev() {
        texts.pop();
        assert_eq!(ws.undo().as_ref(), Some(edit));
        assert_eq!(ws.files()[0].current(), texts.last().unwrap().as_str());
    }
    assert_eq!(ws.files()[0].current(), LAYOUT);
    assert!(ws.edits().is_empty());
    assert!(!ws.dirty());
    assert!(ws.changed_files().is_empty());
    assert_eq!(ws.undo(), None);
}

#[test]
fn undo_goes_back_across_files() {
    let other = "[sites.other]\n";
    let mut ws = Workspace::from_texts(vec![
        ("a.toml".into(), LAYOUT.into()),
        ("b.toml".into(), other.into()),
    ]);
    ws.apply(&set(site("other"), None, "X", "x"))
        .expect("applies");
    ws.apply(&set(site("shop"), None, "X", "x"))
        .expect("applies");
    assert_eq!(ws.changed_files().len(), 2);
    ws.undo();
    assert_eq!(ws.changed_files(), [std::path::Path::new("b.toml")]);
    ws.undo();
    assert_eq!(ws.files()[1].current(), other);
    assert!(!ws.dirty());
}

#[test]
fn a_failed_edit_is_not_recorded() {
    let mut ws = workspace(LAYOUT);
    ws.apply(&set(site("shop"), None, "A", "1"))
        .expect("applies");
    assert!(ws.apply(&delete(site("shop"), None, "NOPE")).is_err());
    assert_eq!(ws.edits().len(), 1);
    ws.undo();
    assert_eq!(ws.files()[0].current(), LAYOUT);
}
