//! Waiting for a child process with a deadline, so that a hang fails a test
//! instead of stalling CI.

use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// `child`'s status, once it ends before `limit` has passed since `start`;
/// else the child is killed (and reaped) and the answer is `None`.
pub fn wait_for(child: &mut Child, start: Instant, limit: Duration) -> Option<ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
