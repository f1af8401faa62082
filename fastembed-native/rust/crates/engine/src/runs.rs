//! Stopping ONNX Runtime runs: every run of a model gets its own run options, so a run can be stopped from
//! another thread, by a request (`cancel_runs`) or when the model's run timeout passes. ONNX Runtime checks
//! the flag between operators, so a graph that never ends stops too.

use crate::error::{EngineError, ErrorKind};
use crate::session::SessionInfo;
use fastembed_ort::{InputTensor, OutputTensor, RunOptions, Session};
use std::ops::Deref;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError, Weak};
use std::time::{Duration, Instant};

const RUNNING: u8 = 0;
const CANCELLED: u8 = 1;
const TIMED_OUT: u8 = 2;

/// A model's session with the runs under way on it.
pub struct ModelSession {
    session: Session,
    run_timeout: Option<Duration>,
    info: SessionInfo,
    in_flight: Mutex<Vec<Arc<Flight>>>,
}

/// One run under way.
struct Flight {
    options: RunOptions,
    deadline: Option<Instant>,
    state: AtomicU8,
}

impl Flight {
    /// Stops the run unless it was already stopped; the first reason given wins.
    fn stop(&self, reason: u8) {
        if self
            .state
            .compare_exchange(RUNNING, reason, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            // Setting a flag on live options cannot fail in practice; if it did, the run just completes.
            let _ = self.options.terminate();
        }
    }
}

impl ModelSession {
    pub fn new(session: Session, run_timeout: Option<Duration>, info: SessionInfo) -> ModelSession {
        ModelSession {
            session,
            run_timeout,
            info,
            in_flight: Mutex::new(Vec::new()),
        }
    }

    /// [`Session::run`], stoppable by [`ModelSession::cancel_runs`] and by the run timeout: a stopped run
    /// is a `Cancelled` or `TimedOut` error (a run that finished before the flag took effect keeps its result).
    pub fn run(
        &self,
        inputs: &[(&str, InputTensor<'_>)],
        output_names: &[&str],
    ) -> Result<Vec<OutputTensor>, EngineError> {
        let runtime = fastembed_ort::Runtime::get()
            .ok_or_else(|| EngineError::new(ErrorKind::RuntimeNotLoaded, "ONNX Runtime is not loaded"))?;
        let flight = Arc::new(Flight {
            options: RunOptions::new(runtime)?,
            deadline: self.run_timeout.map(|timeout| Instant::now() + timeout),
            state: AtomicU8::new(RUNNING),
        });
        self.lock().push(Arc::clone(&flight));
        if flight.deadline.is_some() {
            if let Err(e) = watchdog().map(|w| w.watch(&flight)) {
                self.forget(&flight);
                return Err(e);
            }
        }
        let result = self.session.run_with(Some(&flight.options), inputs, output_names);
        self.forget(&flight);
        match (result, flight.state.load(Ordering::Acquire)) {
            (Ok(outputs), _) => Ok(outputs),
            (Err(_), CANCELLED) => Err(EngineError::new(ErrorKind::Cancelled, "the run was cancelled")),
            (Err(_), TIMED_OUT) => Err(EngineError::new(
                ErrorKind::TimedOut,
                format!(
                    "the run took longer than the model's run timeout of {} ms and was stopped",
                    self.run_timeout.unwrap_or_default().as_millis()
                ),
            )),
            (Err(e), _) => Err(e.into()),
        }
    }

    /// How the session was set up (execution provider, optimized graph).
    pub fn info(&self) -> &SessionInfo {
        &self.info
    }

    /// Stops every run under way on this model (each fails with `Cancelled`); later runs are not affected.
    pub fn cancel_runs(&self) {
        for flight in self.lock().iter() {
            flight.stop(CANCELLED);
        }
    }

    fn forget(&self, flight: &Arc<Flight>) {
        self.lock().retain(|f| !Arc::ptr_eq(f, flight));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Flight>>> {
        // The list stays consistent whatever panicked while it was held.
        self.in_flight.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Deref for ModelSession {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

/// One thread for the whole process that stops runs whose deadline has passed.
struct Watchdog {
    watched: Mutex<Vec<Weak<Flight>>>,
    changed: Condvar,
}

fn watchdog() -> Result<&'static Watchdog, EngineError> {
    static WATCHDOG: OnceLock<Result<&'static Watchdog, String>> = OnceLock::new();
    WATCHDOG
        .get_or_init(|| {
            let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
                watched: Mutex::new(Vec::new()),
                changed: Condvar::new(),
            }));
            std::thread::Builder::new()
                .name("fastembed-run-timeout".into())
                .spawn(move || watchdog.serve())
                .map(|_| watchdog)
                .map_err(|e| format!("cannot start the run-timeout thread: {e}"))
        })
        .clone()
        .map_err(|message| EngineError::new(ErrorKind::Io, message))
}

impl Watchdog {
    fn watch(&self, flight: &Arc<Flight>) {
        self.watched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::downgrade(flight));
        self.changed.notify_one();
    }

    fn serve(&self) {
        let mut watched = self.watched.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            let mut next: Option<Instant> = None;
            watched.retain(|weak| {
                let Some(flight) = weak.upgrade() else { return false };
                match flight.deadline {
                    Some(deadline) if deadline <= now => {
                        flight.stop(TIMED_OUT);
                        false
                    }
                    Some(deadline) => {
                        next = Some(next.map_or(deadline, |n| n.min(deadline)));
                        true
                    }
                    None => false,
                }
            });
            watched = match next {
                Some(next) => {
                    let wait = next.saturating_duration_since(Instant::now());
                    self.changed
                        .wait_timeout(watched, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self.changed.wait(watched).unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}
