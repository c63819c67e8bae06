//! client-go's delaying workqueue, as the controllers and the kubelet use
//! it: each key is due at the earliest time it was asked for
//! (`AddAfter` keeps the earlier of two), and the key's wake-up is taken
//! only at that time. The wake-ups themselves travel through the
//! `Scheduler`; one that an earlier due time superseded is skipped when it
//! comes (`take` says no).

use super::idmap::IdMap;
use super::{Scheduler, Wake};
use crate::time::Ms;
use std::marker::PhantomData;

/// What a queue's keys are, and the wake-up that carries one.
pub trait Key {
    fn wake(id: usize) -> Wake;
}

/// Job keys of the Job controller.
#[derive(Clone, Debug)]
pub struct JobKey;
/// CronJob keys of the CronJob controller.
#[derive(Clone, Debug)]
pub struct CronJobKey;
/// Pods of the kubelet's pod workers.
#[derive(Clone, Debug)]
pub struct PodKey;
/// Job keys of the TTL-after-finished controller.
#[derive(Clone, Debug)]
pub struct TtlKey;

impl Key for JobKey {
    fn wake(id: usize) -> Wake {
        Wake::JobSync(id)
    }
}
impl Key for CronJobKey {
    fn wake(id: usize) -> Wake {
        Wake::CronJobSync(id)
    }
}
impl Key for PodKey {
    fn wake(id: usize) -> Wake {
        Wake::Kubelet(id)
    }
}
impl Key for TtlKey {
    fn wake(id: usize) -> Wake {
        Wake::Ttl(id)
    }
}

#[derive(Clone, Debug)]
pub struct DelayingQueue<K> {
    due: IdMap<Ms>,
    keys: PhantomData<K>,
}

impl<K> Default for DelayingQueue<K> {
    fn default() -> Self {
        DelayingQueue {
            due: IdMap::default(),
            keys: PhantomData,
        }
    }
}

impl<K: Key> DelayingQueue<K> {
    /// `AddAfter(key, at - now)`: the key is due at `at` unless it already
    /// is at that time or earlier.
    pub fn add_at(&mut self, sched: &mut Scheduler, key: usize, at: Ms) {
        if self.due.get(key).is_some_and(|&due| due <= at) {
            return;
        }
        self.due.insert(key, at);
        sched.push(at, K::wake(key));
    }

    /// Whether the key waits for a wake-up.
    pub fn is_pending(&self, key: usize) -> bool {
        self.due.contains_key(key)
    }

    /// Whether a wake-up of `key` at `at` is its live one; it is then no
    /// longer pending.
    pub fn take(&mut self, key: usize, at: Ms) -> bool {
        if self.due.get(key) == Some(&at) {
            self.due.remove(key);
            true
        } else {
            false
        }
    }

    /// Forgets every key (a restarted controller's queue starts empty).
    pub fn clear(&mut self) {
        self.due.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_due_at_its_earliest_time_and_stale_wake_ups_are_skipped() {
        let mut sched = Scheduler::default();
        let mut q = DelayingQueue::<JobKey>::default();
        q.add_at(&mut sched, 3, 5_000);
        q.add_at(&mut sched, 3, 9_000); // later: kept at 5 s
        q.add_at(&mut sched, 3, 1_000); // earlier: now due at 1 s
        assert!(q.is_pending(3));
        let mut taken = Vec::new();
        while let Some((at, wake)) = sched.pop() {
            assert_eq!(wake, Wake::JobSync(3));
            if q.take(3, at) {
                taken.push(at);
            }
        }
        assert_eq!(taken, [1_000]);
        assert!(!q.is_pending(3));
    }
}
