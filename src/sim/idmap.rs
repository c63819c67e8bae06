//! A map from dense ids (JobId, completion index) to values: a vector of
//! slots. The engine's ids are small consecutive integers, so this is
//! faster than a hash map and keeps the hash table and its hasher out of
//! the wasm.

#[derive(Clone, Debug)]
pub struct IdMap<V>(Vec<Option<V>>);

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap(Vec::new())
    }
}

impl<V> IdMap<V> {
    pub fn get(&self, k: usize) -> Option<&V> {
        self.0.get(k).and_then(Option::as_ref)
    }

    pub fn contains_key(&self, k: usize) -> bool {
        self.get(k).is_some()
    }

    /// Sets the value of `k`; returns the previous one.
    pub fn insert(&mut self, k: usize, v: V) -> Option<V> {
        if self.0.len() <= k {
            self.0.resize_with(k + 1, || None);
        }
        self.0[k].replace(v)
    }

    pub fn remove(&mut self, k: usize) -> Option<V> {
        self.0.get_mut(k).and_then(Option::take)
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots() {
        let mut m = IdMap::default();
        assert_eq!(m.insert(3, 'a'), None);
        assert_eq!(m.insert(3, 'b'), Some('a'));
        assert_eq!(m.get(3), Some(&'b'));
        assert_eq!(m.get(2), None);
        assert_eq!(m.get(100), None);
        assert!(m.contains_key(3));
        assert_eq!(m.remove(3), Some('b'));
        assert_eq!(m.remove(7), None);
        m.insert(1, 'c');
        m.clear();
        assert!(!m.contains_key(1));
    }
}
