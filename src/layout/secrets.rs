//! An owner's secrets: a list in declaration order, looked up by name.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::{Name, Secret};

/// Owners with more secrets than this get a hash index; below it a scan
/// of the names is as fast and costs no memory.
const INDEXED_FROM: usize = 16;

/// The index of a large owner: name → position in the list.
type Index = HashMap<Name, u32, foldhash::fast::RandomState>;

/// An org's or site's secrets, in declaration order, each name once.
///
/// Not a map per owner: a layout has about ten secrets per owner and a
/// hundred thousand owners, and a map's buckets, index table and spare
/// capacity (and the heap holes left when it is shrunk) tripled the memory
/// each secret takes. The fast loader puts all secrets of a file in one
/// shared list and each owner holds its run of it; a change copies the
/// owner's run into a list of its own. Only an owner with many secrets
/// keeps an index, so lookups stay O(1) there too.
#[derive(Clone, Default)]
pub struct Secrets {
    store: Store,
    index: Option<Box<Index>>,
}

#[derive(Clone)]
enum Store {
    /// A list of the owner's own.
    Owned(Vec<Secret>),
    /// A run of a list shared by the owners of a file.
    Shared(Arc<Vec<Secret>>, Range<u32>),
}

impl Default for Store {
    fn default() -> Self {
        Store::Owned(Vec::new())
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Secrets {
    /// No secrets, with room for `n`.
    pub fn with_capacity(n: usize) -> Self {
        Secrets {
            store: Store::Owned(Vec::with_capacity(n)),
            index: None,
        }
    }

    /// The secrets `run` of `shared`, a list several owners share (each
    /// name at most once in the run).
    pub(crate) fn shared(shared: &Arc<Vec<Secret>>, run: Range<u32>) -> Self {
        let mut secrets = Secrets {
            store: Store::Shared(Arc::clone(shared), run),
            index: None,
        };
        if secrets.len() > INDEXED_FROM {
            secrets.index = Some(Box::new(secrets.build_index()));
        }
        secrets
    }

    /// The secrets, in declaration order.
    pub fn as_slice(&self) -> &[Secret] {
        match &self.store {
            Store::Owned(list) => list,
            Store::Shared(all, run) => &all[run.start as usize..run.end as usize],
        }
    }

    /// The list to change: the owner's own, copied out of a shared one.
    fn list_mut(&mut self) -> &mut Vec<Secret> {
        if let Store::Shared(..) = self.store {
            self.store = Store::Owned(self.as_slice().to_vec());
        }
        match &mut self.store {
            Store::Owned(list) => list,
            Store::Shared(..) => unreachable!("copied just above"),
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).map(|&i| i as usize),
            None => self.as_slice().iter().position(|s| s.name == name),
        }
    }

    /// The secret named `name`.
    pub fn get(&self, name: &str) -> Option<&Secret> {
        self.position(name).map(|i| &self.as_slice()[i])
    }

    /// The secret named `name`, to change it (its name stays).
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Secret> {
        let i = self.position(name)?;
        Some(&mut self.list_mut()[i])
    }

    /// The name as stored and the secret named `name`.
    pub fn get_key_value(&self, name: &str) -> Option<(&Name, &Secret)> {
        self.get(name).map(|s| (&s.name, s))
    }

    /// Whether a secret is named `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Adds `secret`, or replaces the one of its name in place (keeping
    /// its position) and returns it.
    pub fn insert(&mut self, secret: Secret) -> Option<Secret> {
        if let Some(i) = self.position(&secret.name) {
            return Some(std::mem::replace(&mut self.list_mut()[i], secret));
        }
        let at = self.len() as u32;
        if let Some(index) = &mut self.index {
            index.insert(secret.name.clone(), at);
        }
        self.list_mut().push(secret);
        if self.index.is_none() && self.len() > INDEXED_FROM {
            self.index = Some(Box::new(self.build_index()));
        }
        None
    }

    fn build_index(&self) -> Index {
        let list = self.as_slice();
        let mut index = Index::with_capacity_and_hasher(list.len(), Default::default());
        for (i, s) in list.iter().enumerate() {
            index.insert(s.name.clone(), i as u32);
        }
        index
    }

    /// The secrets, in declaration order.
    pub fn values(&self) -> std::slice::Iter<'_, Secret> {
        self.as_slice().iter()
    }

    /// The secrets, in declaration order, to change them (names stay).
    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, Secret> {
        self.list_mut().iter_mut()
    }

    /// The names, in declaration order.
    pub fn keys(&self) -> impl Iterator<Item = &Name> {
        self.values().map(|s| &s.name)
    }

    /// (name, secret) pairs, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, &Secret)> {
        self.values().map(|s| (&s.name, s))
    }

    /// Calls `f` on every secret of the owners in `all` paired with `true`,
    /// changing a list several owners share in place rather than copying
    /// each owner's run of it.
    ///
    /// A REPL edit moves the spans of every owner after it in its file:
    /// through [`values_mut`](Self::values_mut), each of them got a list of
    /// its own, a copy of its run, and the file's secrets were held twice
    /// from the first edit on. Here each shared list is taken from its
    /// owners (those paired with `false` too: pass every owner that may
    /// hold it), so that it is held once and can be changed where it is,
    /// then given back. A list something else holds as well is copied
    /// once for all of them.
    pub fn each_mut<'a>(
        all: impl Iterator<Item = (&'a mut Secrets, bool)>,
        mut f: impl FnMut(&mut Secret),
    ) {
        let mut lists: Vec<Arc<Vec<Secret>>> = Vec::new();
        let mut taken: Vec<(&'a mut Secrets, usize, Range<u32>, bool)> = Vec::new();
        for (secrets, change) in all {
            match std::mem::take(&mut secrets.store) {
                Store::Shared(list, run) => {
                    let at = match lists.iter().position(|l| Arc::ptr_eq(l, &list)) {
                        Some(at) => at,
                        None => {
                            lists.push(list);
                            lists.len() - 1
                        }
                    };
                    taken.push((secrets, at, run, change));
                }
                Store::Owned(mut list) => {
                    if change {
                        list.iter_mut().for_each(&mut f);
                    }
                    secrets.store = Store::Owned(list);
                }
            }
        }
        for (at, list) in lists.iter_mut().enumerate() {
            let list = Arc::make_mut(list);
            for (_, _, run, _) in taken.iter().filter(|t| t.1 == at && t.3) {
                list[run.start as usize..run.end as usize]
                    .iter_mut()
                    .for_each(&mut f);
            }
        }
        for (secrets, at, run, _) in taken {
            secrets.store = Store::Shared(Arc::clone(&lists[at]), run);
        }
    }

    /// Takes the secrets of `all`, which are left empty, to be freed by
    /// [`Released::free`]: see [`super::Layout::release`].
    pub(super) fn take<'a>(all: impl Iterator<Item = &'a mut Secrets>) -> Released {
        let mut shared = Vec::new();
        let mut lists = Vec::new();
        for secrets in all {
            // Left empty, and usable: no index into the list it had.
            secrets.index = None;
            match std::mem::take(&mut secrets.store) {
                Store::Owned(list) => lists.push(list),
                Store::Shared(list, _) => shared.push(list),
            }
        }
        // Each shared list once: the last of its owners to let go has it.
        lists.extend(shared.into_iter().filter_map(|l| Arc::try_unwrap(l).ok()));
        Released { lists }
    }
}

/// Secrets taken from their owners ([`Secrets::take`]), not yet freed.
pub struct Released {
    lists: Vec<Vec<Secret>>,
}

impl Released {
    /// Frees the values (the decoded ones hold secret text, zeroed on
    /// drop) and leaks the rest of each secret (a long name, a list of
    /// scopes); gives back each list's own block, one per file.
    pub fn free(self) {
        for mut list in self.lists {
            for mut secret in list.drain(..) {
                drop(secret.value.take());
                secret.overrides.clear();
                std::mem::forget(secret);
            }
        }
    }
}

/// `secrets["NAME"]` in tests, as maps index: panics when there is no
/// such secret.
#[cfg(test)]
#[allow(clippy::expect_used)]
impl std::ops::Index<&str> for Secrets {
    type Output = Secret;
    fn index(&self, name: &str) -> &Secret {
        self.get(name).expect("no secret of that name")
    }
}

impl Extend<Secret> for Secrets {
    fn extend<I: IntoIterator<Item = Secret>>(&mut self, iter: I) {
        for secret in iter {
            self.insert(secret);
        }
    }
}

impl FromIterator<Secret> for Secrets {
    fn from_iter<I: IntoIterator<Item = Secret>>(iter: I) -> Self {
        let mut secrets = Secrets::default();
        secrets.extend(iter);
        secrets
    }
}

impl IntoIterator for Secrets {
    type Item = Secret;
    type IntoIter = std::vec::IntoIter<Secret>;
    fn into_iter(mut self) -> Self::IntoIter {
        std::mem::take(self.list_mut()).into_iter()
    }
}

impl<'a> IntoIterator for &'a Secrets {
    type Item = (&'a Name, &'a Secret);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, Secret>, fn(&Secret) -> (&Name, &Secret)>;
    fn into_iter(self) -> Self::IntoIter {
        self.values().map(|s| (&s.name, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn secret(name: &str) -> Secret {
        Secret {
            name: Name::from(name),
            span: Span::default(),
            ty: None,
            scope: None,
            value: None,
            overrides: Default::default(),
        }
    }

    /// Owners sharing a list: `each_mut` changes the list in place when
    /// they alone hold it, and copies it once when something else does
    /// too, which then keeps what it had.
    #[test]
    fn each_mut_changes_a_shared_list_in_place_or_copies_it_once() {
        let list: Arc<Vec<Secret>> = Arc::new((0..6).map(|n| secret(&format!("S{n}"))).collect());
        let start = |s: &Secrets| -> Vec<u32> { s.values().map(|x| x.span.start).collect() };
        let mut owners: Vec<Secrets> = (0..3)
            .map(|o| Secrets::shared(&list, o * 2..o * 2 + 2))
            .collect();
        let at = Arc::as_ptr(&list);
        drop(list);
        Secrets::each_mut(owners.iter_mut().map(|o| (o, true)), |s| s.span.start += 1);
        for (o, owner) in owners.iter().enumerate() {
            assert_eq!(start(owner), [1, 1], "owner {o}");
            assert!(
                matches!(&owner.store, Store::Shared(l, _) if Arc::as_ptr(l) == at),
                "not copied"
            );
        }
        // Owners taken but not changed keep their spans.
        let change = [false, true, false];
        Secrets::each_mut(owners.iter_mut().zip(change), |s| s.span.start += 1);
        let starts: Vec<Vec<u32>> = owners.iter().map(start).collect();
        assert_eq!(starts, [[1, 1], [2, 2], [1, 1]]);
        // The third owner stays out: the list is copied once for the two.
        let (two, out) = owners.split_at_mut(2);
        Secrets::each_mut(two.iter_mut().map(|o| (o, true)), |s| s.span.start += 1);
        assert_eq!(start(&two[0]), [2, 2]);
        assert_eq!(start(&two[1]), [3, 3]);
        assert_eq!(start(&out[0]), [1, 1]);
        let list_of = |s: &Secrets| match &s.store {
            Store::Shared(l, _) => Arc::as_ptr(l),
            Store::Owned(_) => std::ptr::null(),
        };
        assert_eq!(list_of(&two[0]), list_of(&two[1]));
        assert_ne!(list_of(&two[0]), list_of(&out[0]));
        assert_eq!(list_of(&out[0]), at);
    }

    /// Small and indexed owners answer alike, in order, across the size
    /// where the index starts.
    #[test]
    fn lookups_agree_with_and_without_index() {
        let mut secrets = Secrets::default();
        for n in 0..40 {
            assert!(secrets.insert(secret(&format!("S{n}"))).is_none());
            assert_eq!(secrets.index.is_some(), secrets.len() > INDEXED_FROM);
            for m in 0..=n {
                let name = format!("S{m}");
                assert_eq!(secrets.get(&name).map(|s| s.name.as_str()), Some(&*name));
            }
            assert!(!secrets.contains_key(&format!("S{}", n + 1)));
        }
        let order: Vec<_> = secrets.keys().map(|k| k.to_string()).collect();
        let expected: Vec<_> = (0..40).map(|n| format!("S{n}")).collect();
        assert_eq!(order, expected);
    }

    /// A second secret of a name replaces the first where it stood.
    #[test]
    fn insert_replaces_in_place() {
        for count in [3, 30] {
            let mut secrets: Secrets = (0..count).map(|n| secret(&format!("S{n}"))).collect();
            let mut again = secret("S1");
            again.span = Span::new(0, 5..9);
            let old = secrets.insert(again).expect("S1 was there");
            assert_eq!(old.span, Span::default());
            assert_eq!(secrets.len(), count);
            assert_eq!(secrets.values().nth(1).map(|s| s.span.start), Some(5));
            assert_eq!(secrets.get("S1").map(|s| s.span.start), Some(5));
        }
    }
}
