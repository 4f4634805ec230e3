//! Running jobs on a fixed pool of threads with at most so many at once per host:
//! one queue per host, and a worker takes the next job of a host with a free slot.
//! A link checker that opened eight connections to one server would be rude (and
//! often answered with 429); two per host is what browsers once kept.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};

/// Jobs queued by host, and how many of each host are running.
pub struct Limiter<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
    per_host: usize,
}

struct State<T> {
    queues: BTreeMap<String, VecDeque<T>>,
    running: HashMap<String, usize>,
    /// Jobs not yet taken.
    left: usize,
}

impl<T> Limiter<T> {
    /// A limiter over `jobs`, each with its host, running at most `per_host` (at least
    /// one) of a host at once.
    pub fn new(jobs: impl IntoIterator<Item = (String, T)>, per_host: usize) -> Limiter<T> {
        let mut queues: BTreeMap<String, VecDeque<T>> = BTreeMap::new();
        let mut left = 0;
        for (host, job) in jobs {
            queues.entry(host).or_default().push_back(job);
            left += 1;
        }
        Limiter {
            state: Mutex::new(State {
                queues,
                running: HashMap::new(),
                left,
            }),
            changed: Condvar::new(),
            per_host: per_host.max(1),
        }
    }

    /// The next job whose host has a free slot, waiting until one has; `None` once
    /// every job is taken. The caller calls [`Limiter::done`] with the host after.
    pub fn next(&self) -> Option<(String, T)> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.left == 0 {
                return None;
            }
            let State {
                queues, running, ..
            } = &mut *state;
            let free = queues
                .iter_mut()
                .find(|(host, queue)| {
                    !queue.is_empty() && running.get(*host).copied().unwrap_or(0) < self.per_host
                })
                .and_then(|(host, queue)| Some((host.clone(), queue.pop_front()?)));
            if let Some((host, job)) = free {
                *running.entry(host.clone()).or_default() += 1;
                state.left -= 1;
                if state.left == 0 {
                    // Workers waiting for a slot can stop waiting: nothing is left.
                    self.changed.notify_all();
                }
                return Some((host, job));
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Frees the slot a job of `host` held.
    pub fn done(&self, host: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = state.running.get_mut(host) {
            *n = n.saturating_sub(1);
        }
        self.changed.notify_all();
    }
}

/// Runs `work` on every job on `workers` threads (at least one), at most `per_host`
/// jobs of a host at once; the results in the order of `jobs`.
pub fn run_all<T, R>(
    jobs: Vec<(String, T)>,
    workers: usize,
    per_host: usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let count = jobs.len();
    let limiter = Limiter::new(
        jobs.into_iter()
            .enumerate()
            .map(|(i, (host, job))| (host, (i, job))),
        per_host,
    );
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, count.max(1)) {
            scope.spawn(|| {
                while let Some((host, (i, job))) = limiter.next() {
                    let result = work(job);
                    limiter.done(&host);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn no_host_gets_more_than_its_share_and_the_pool_is_used() {
        let hosts = ["a", "b", "c", "d", "e"];
        let jobs: Vec<(String, usize)> = (0..40).map(|i| (hosts[i % 5].to_string(), i)).collect();
        let now: Vec<AtomicUsize> = hosts.iter().map(|_| AtomicUsize::new(0)).collect();
        let most: Vec<AtomicUsize> = hosts.iter().map(|_| AtomicUsize::new(0)).collect();
        let total = AtomicUsize::new(0);
        let most_total = AtomicUsize::new(0);
        let out = run_all(jobs, 8, 2, |i| {
            let h = i % 5;
            let n = now[h].fetch_add(1, Ordering::SeqCst) + 1;
            most[h].fetch_max(n, Ordering::SeqCst);
            let t = total.fetch_add(1, Ordering::SeqCst) + 1;
            most_total.fetch_max(t, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(15));
            now[h].fetch_sub(1, Ordering::SeqCst);
            total.fetch_sub(1, Ordering::SeqCst);
            i * 10
        });
        assert_eq!(out, (0..40).map(|i| i * 10).collect::<Vec<_>>());
        for m in &most {
            assert_eq!(
                m.load(Ordering::SeqCst),
                2,
                "each host ran two at once, never three"
            );
        }
        // Five hosts, two each: all eight workers were busy at some point, never nine.
        assert_eq!(most_total.load(Ordering::SeqCst), 8);
    }

    #[test]
    fn one_host_runs_two_at_a_time_however_many_workers() {
        let jobs: Vec<(String, ())> = (0..10).map(|_| ("only".to_string(), ())).collect();
        let now = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        run_all(jobs, 8, 2, |()| {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(10));
            now.fetch_sub(1, Ordering::SeqCst);
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn no_jobs_no_results() {
        let out: Vec<()> = run_all(Vec::<(String, ())>::new(), 8, 2, |()| ());
        assert!(out.is_empty());
    }
}
