//! Limits how many runs of one session execute at once, first come first served.
//!
//! Every run already spreads over the intra-op threads; runs beyond the cores only fight over them (spinning
//! threads make that worse) while each holds its own working set in the arena. Waiting for a turn costs the
//! same CPU time and keeps memory at one working set per admitted run.

use std::sync::{Condvar, Mutex, PoisonError};

pub(crate) struct RunGate {
    /// Runs admitted at once; 0 admits every run.
    limit: u64,
    state: Mutex<Tickets>,
    turn: Condvar,
}

struct Tickets {
    /// The ticket the next caller draws.
    next: u64,
    /// Runs that have finished: ticket `t` may start once `t < finished + limit`.
    finished: u64,
}

/// Held while a run executes; ends the turn when dropped (also when the run panics).
pub(crate) struct Turn<'a> {
    gate: Option<&'a RunGate>,
}

impl RunGate {
    pub(crate) fn new(limit: usize) -> RunGate {
        RunGate {
            limit: limit as u64,
            state: Mutex::new(Tickets { next: 0, finished: 0 }),
            turn: Condvar::new(),
        }
    }

    /// Waits until fewer than `limit` earlier callers are still running.
    pub(crate) fn enter(&self) -> Turn<'_> {
        if self.limit == 0 {
            return Turn { gate: None };
        }
        // The counters stay consistent whatever panicked while the lock was held, so poisoning is ignored.
        let mut tickets = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let ticket = tickets.next;
        tickets.next += 1;
        while ticket >= tickets.finished + self.limit {
            tickets = self.turn.wait(tickets).unwrap_or_else(PoisonError::into_inner);
        }
        Turn { gate: Some(self) }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Some(gate) = self.gate {
            gate.state.lock().unwrap_or_else(PoisonError::into_inner).finished += 1;
            gate.turn.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    fn most_at_once(limit: usize, callers: usize) -> usize {
        let gate = Arc::new(RunGate::new(limit));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..callers)
            .map(|_| {
                let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let _turn = gate.enter();
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(2));
                        running.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        most.load(Ordering::SeqCst)
    }

    #[test]
    fn never_admits_more_than_the_limit() {
        assert_eq!(most_at_once(1, 6), 1);
        assert!(most_at_once(2, 6) <= 2);
    }

    #[test]
    fn zero_admits_everyone() {
        assert!(most_at_once(0, 6) > 1);
    }

    #[test]
    fn a_panicking_run_still_ends_its_turn() {
        let gate = RunGate::new(1);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _turn = gate.enter();
            panic!("run failed");
        }));
        assert!(result.is_err());
        drop(gate.enter()); // would wait forever if the turn had leaked
    }

    #[test]
    fn callers_enter_in_arrival_order() {
        let gate = Arc::new(RunGate::new(1));
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = gate.enter();
        let waiters: Vec<_> = (0..4)
            .map(|i| {
                let (waiter_gate, order) = (gate.clone(), order.clone());
                let handle = std::thread::spawn(move || {
                    let _turn = waiter_gate.enter();
                    order.lock().unwrap().push(i);
                });
                // Let each waiter draw its ticket before the next one starts.
                while gate.state.lock().unwrap().next < i as u64 + 2 {
                    std::thread::yield_now();
                }
                handle
            })
            .collect();
        drop(first);
        waiters.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3]);
    }
}
