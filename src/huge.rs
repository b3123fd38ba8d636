//! Transparent huge pages for the few large lists a check fills at once.
//!
//! A page fault costs microseconds in a virtual machine, and a list of a
//! million secrets is 27,000 pages of 4 KiB: each faulted in on its first
//! write. Where the system offers huge pages on request (Linux's
//! `transparent_hugepage` in `madvise` mode, the common default), a list
//! asked for them faults once per 2 MiB instead. Elsewhere nothing changes.

/// Huge pages in a block: smaller blocks are not worth the call.
const HUGE: usize = 2 << 20;

/// Asks for huge pages under `list`'s room (its capacity), where whole
/// ones fit: a hint, which changes neither the list nor its contents.
pub fn advise<T>(list: &Vec<T>) {
    let start = list.as_ptr() as usize;
    let end = start + list.capacity() * size_of::<T>();
    let (from, to) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
    if to > from {
        hint(from, to - from);
    }
}

#[cfg(target_os = "linux")]
fn hint(from: usize, len: usize) {
    // SAFETY: `madvise` with MADV_HUGEPAGE only marks the range, whole
    // pages of a block the caller's list owns, as wanting huge pages: no
    // page's contents or mapping change, and a refusal is harmless.
    unsafe {
        libc::madvise(from as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn hint(_from: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hint keeps what a list holds (a wrong advice, such as
    /// MADV_DONTNEED, would zero it), before and after the list grows.
    #[test]
    fn advice_keeps_the_contents() {
        let mut list: Vec<u64> = Vec::with_capacity(3 * HUGE / 8);
        list.extend(0..(HUGE / 8) as u64);
        advise(&list);
        assert!(list.iter().enumerate().all(|(i, &x)| x == i as u64));
        list.extend((HUGE / 8) as u64..(3 * HUGE / 8) as u64);
        assert!(list.iter().enumerate().all(|(i, &x)| x == i as u64));
        // No room, or no bytes: nothing to ask.
        advise(&Vec::<u64>::new());
        advise(&vec![(); 1 << 30]);
    }
}
