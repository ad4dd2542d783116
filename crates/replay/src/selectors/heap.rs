//! Reverb's `MinHeap` / `MaxHeap` selectors: sampling returns the item with the smallest (largest)
//! priority with probability 1. Ties go to the smaller update number: every insert and every
//! priority update takes the next number, so among equal priorities the item inserted or updated
//! longest ago comes first. An indexed binary heap gives O(log n) insert, update and delete.

use crate::dense_set::NONE;

#[derive(Clone, Debug, PartialEq)]
pub struct HeapSelector {
    max_heap: bool,
    heap: Vec<u32>,
    position: Vec<u32>,
    /// priority * sign (sign -1 for a max-heap, as Reverb does), so the heap is always a min-heap.
    key: Vec<f64>,
    update_number: Vec<u64>,
    update_count: u64,
}

impl HeapSelector {
    pub fn new(capacity: usize, max_heap: bool) -> Self {
        HeapSelector {
            max_heap,
            heap: Vec::with_capacity(capacity),
            position: vec![NONE; capacity],
            key: vec![0.0; capacity],
            update_number: vec![0; capacity],
            update_count: 0,
        }
    }

    pub fn is_max_heap(&self) -> bool {
        self.max_heap
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn update_count(&self) -> u64 {
        self.update_count
    }

    pub fn update_number(&self, slot: u32) -> u64 {
        self.update_number[slot as usize]
    }

    fn signed(&self, priority: f64) -> f64 {
        if self.max_heap {
            -priority
        } else {
            priority
        }
    }

    #[inline]
    fn less(&self, a: u32, b: u32) -> bool {
        let (ka, kb) = (self.key[a as usize], self.key[b as usize]);
        ka < kb || (ka == kb && self.update_number[a as usize] < self.update_number[b as usize])
    }

    fn place(&mut self, at: usize, slot: u32) {
        self.heap[at] = slot;
        self.position[slot as usize] = at as u32;
    }

    fn sift_up(&mut self, mut at: usize) {
        let slot = self.heap[at];
        while at > 0 {
            let parent = (at - 1) / 2;
            let p = self.heap[parent];
            if !self.less(slot, p) {
                break;
            }
            self.place(at, p);
            at = parent;
        }
        self.place(at, slot);
    }

    fn sift_down(&mut self, mut at: usize) {
        let slot = self.heap[at];
        let n = self.heap.len();
        loop {
            let left = 2 * at + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.less(self.heap[right], self.heap[left]) { right } else { left };
            if !self.less(self.heap[child], slot) {
                break;
            }
            let c = self.heap[child];
            self.place(at, c);
            at = child;
        }
        self.place(at, slot);
    }

    pub fn insert(&mut self, slot: u32, priority: f64) {
        let s = slot as usize;
        self.key[s] = self.signed(priority);
        self.update_number[s] = self.update_count;
        self.update_count += 1;
        self.heap.push(slot);
        let at = self.heap.len() - 1;
        self.sift_up(at);
    }

    pub fn update(&mut self, slot: u32, priority: f64) {
        let s = slot as usize;
        self.key[s] = self.signed(priority);
        self.update_number[s] = self.update_count;
        self.update_count += 1;
        let at = self.position[s] as usize;
        self.sift_up(at);
        let at = self.position[s] as usize;
        self.sift_down(at);
    }

    pub fn delete(&mut self, slot: u32) {
        let at = self.position[slot as usize] as usize;
        self.position[slot as usize] = NONE;
        let last = self.heap.pop().expect("delete from a non-empty heap");
        if at < self.heap.len() {
            self.place(at, last);
            self.sift_up(at);
            let at = self.position[last as usize] as usize;
            self.sift_down(at);
        }
    }

    pub fn sample(&self) -> (u32, f64) {
        (self.heap[0], 1.0)
    }

    /// Re-creates an item with a saved update number (checkpoint restore). The heap's layout may
    /// differ from the saved one, but its top never does: (priority, update number) is a strict
    /// order when update numbers are distinct.
    pub fn restore_item(&mut self, slot: u32, priority: f64, update_number: u64) {
        let s = slot as usize;
        self.key[s] = self.signed(priority);
        self.update_number[s] = update_number;
        self.heap.push(slot);
        let at = self.heap.len() - 1;
        self.sift_up(at);
    }

    pub fn set_update_count(&mut self, count: u64) {
        self.update_count = count;
    }

    pub fn clear(&mut self) {
        for &s in &self.heap {
            self.position[s as usize] = NONE;
        }
        self.heap.clear();
    }

    pub fn memory_bytes(&self) -> usize {
        4 * (self.heap.capacity() + self.position.capacity())
            + 8 * (self.key.capacity() + self.update_number.capacity())
    }
}
