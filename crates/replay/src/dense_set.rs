//! A set of slots kept as a dense array (for a uniform pick in O(1)) plus each slot's position
//! (for removal in O(1) by moving the last element into the hole).

pub const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DenseSet {
    items: Vec<u32>,
    position: Vec<u32>,
}

impl DenseSet {
    pub fn new(capacity: usize) -> Self {
        DenseSet { items: Vec::with_capacity(capacity), position: vec![NONE; capacity] }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    #[inline]
    pub fn contains(&self, slot: u32) -> bool {
        self.position[slot as usize] != NONE
    }

    #[inline]
    pub fn insert(&mut self, slot: u32) {
        debug_assert!(!self.contains(slot));
        self.position[slot as usize] = self.items.len() as u32;
        self.items.push(slot);
    }

    #[inline]
    pub fn remove(&mut self, slot: u32) {
        let at = self.position[slot as usize];
        debug_assert!(at != NONE);
        let last = self.items.pop().expect("remove from a non-empty set");
        if last != slot {
            self.items[at as usize] = last;
            self.position[last as usize] = at;
        }
        self.position[slot as usize] = NONE;
    }

    #[inline]
    pub fn at(&self, i: usize) -> u32 {
        self.items[i]
    }

    /// The slots in their current order (which the uniform picks depend on).
    pub fn items(&self) -> &[u32] {
        &self.items
    }

    pub fn clear(&mut self) {
        for &s in &self.items {
            self.position[s as usize] = NONE;
        }
        self.items.clear();
    }

    pub fn memory_bytes(&self) -> usize {
        4 * (self.items.capacity() + self.position.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_remove_keep_positions_consistent() {
        let mut d = DenseSet::new(10);
        for s in [3, 1, 4, 5, 9] {
            d.insert(s);
        }
        d.remove(1);
        assert_eq!(d.items(), &[3, 9, 4, 5]);
        d.remove(5);
        assert_eq!(d.items(), &[3, 9, 4]);
        assert!(d.contains(9) && !d.contains(1));
        d.clear();
        assert!(d.is_empty() && !d.contains(3));
    }
}
