//! Work split over threads with results in input order, so output is the
//! same byte for byte whatever the thread count.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs of work per thread: more runs than threads even out uneven runs.
const RUNS_PER_THREAD: usize = 8;

/// Below this many items, splitting costs more than it saves.
const MIN_ITEMS: usize = 256;

/// The number of threads to use: `WARD_THREADS` if set to a positive
/// number, else the machine's available parallelism.
pub fn threads() -> usize {
    std::env::var("WARD_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` applied to contiguous runs of `items`, in order: concatenating the
/// results gives what `f(items)` would if `f` maps runs item by item.
pub fn map_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len() / MIN_ITEMS).max(1);
    if threads == 1 {
        return vec![f(items)];
    }
    let run_len = items.len().div_ceil(threads * RUNS_PER_THREAD);
    let runs: Vec<&[T]> = items.chunks(run_len).collect();
    map_indexed(runs.len(), threads, |i| f(runs[i]))
}

/// Below this much work (in bytes of input), [`map_work`] stays on the
/// calling thread: starting threads would cost more than it saves.
const MIN_WORK: usize = 1 << 20;

/// [`map`] when `work` (bytes of input, say) is worth threads, else the
/// same on the calling thread.
pub fn map_work<T: Sync, R: Send>(items: &[T], work: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if work < MIN_WORK {
        return items.iter().map(f).collect();
    }
    map(items, f)
}

/// `f` applied to each item on [`threads`] threads, results in order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len()).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    map_indexed(items.len(), threads, |i| f(&items[i]))
}

/// `f(0)`, …, `f(n - 1)` on `threads` threads, each taking the next index
/// when done with one; results in index order.
fn map_indexed<R: Send>(n: usize, threads: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let results: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let r = f(i);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// [`map_work`] with each result handed to `then` on the calling thread,
/// with its item's index, in order, as soon as it and those before it are
/// done: the calling thread's work on the first results overlaps the
/// threads' work on the last ones, instead of following it.
pub fn map_work_then<T: Sync, R: Send>(
    items: &[T],
    work: usize,
    f: impl Fn(&T) -> R + Sync,
    mut then: impl FnMut(usize, R),
) {
    let threads = threads().min(items.len()).max(1);
    if work < MIN_WORK || threads == 1 {
        items
            .iter()
            .enumerate()
            .for_each(|(i, item)| then(i, f(item)));
        return;
    }
    let next = AtomicUsize::new(0);
    let (done, results) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (done, next, f) = (done.clone(), &next, &f);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    // Stops early once the calling thread has stopped
                    // taking results (it panicked).
                    if i >= items.len() || done.send((i, f(&items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        // Only the threads' senders are left: the loop below ends when
        // they have all finished (or panicked, which the scope re-raises).
        drop(done);
        let mut waiting: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        let mut wanted = 0;
        for (i, result) in results {
            waiting[i] = Some(result);
            while let Some(result) = waiting.get_mut(wanted).and_then(Option::take) {
                then(wanted, result);
                wanted += 1;
            }
        }
    });
}

/// `(a(), b())`, the two on two threads when `big` and there are threads
/// to spare: for two independent stages that each run on one thread. `a`
/// runs on the calling thread.
pub fn join<A, B: Send>(big: bool, a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    if !big || threads() < 2 {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let first = a();
        match other.join() {
            Ok(second) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_back_in_order() {
        let items: Vec<u32> = (0..10_000).collect();
        let runs = map_chunks(&items, |run| run.to_vec());
        assert!(runs.len() > 1 || threads() == 1);
        assert_eq!(runs.concat(), items);
        assert_eq!(
            map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        for big in [false, true] {
            assert_eq!(join(big, || 1, || "two"), (1, "two"));
        }
    }

    /// Results reach `then` in order, however unevenly the items take,
    /// and on the calling thread; small work stays on it throughout.
    #[test]
    fn results_are_taken_in_order_as_they_come() {
        let items: Vec<u64> = (0..200).collect();
        for work in [0, MIN_WORK] {
            let caller = std::thread::current().id();
            let mut taken = Vec::new();
            let slow_first = |&i: &u64| {
                // The first items take longest: later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros(
                    200u64.saturating_sub(i * 4),
                ));
                (i, std::thread::current().id())
            };
            map_work_then(&items, work, slow_first, |at, (i, worker)| {
                assert_eq!(std::thread::current().id(), caller);
                assert_eq!(at as u64, i);
                taken.push(i);
                if work == 0 {
                    assert_eq!(worker, caller);
                }
            });
            assert_eq!(taken, items, "work {work}");
        }
    }

    /// A panic on a thread reaches the caller.
    #[test]
    fn a_panic_while_mapping_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        let panicked = std::panic::catch_unwind(|| {
            map_work_then(
                &items,
                MIN_WORK,
                |&i| assert!(i != 40, "item 40"),
                |_, ()| {},
            );
        });
        assert!(panicked.is_err());
    }
}
