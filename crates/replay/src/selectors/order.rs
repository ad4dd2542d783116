//! Reverb's `Fifo` and `Lifo` selectors: a doubly linked list in insertion order; sampling returns
//! the oldest (Fifo) or newest (Lifo) item with probability 1. Updating a priority does not move
//! an item.

use crate::dense_set::NONE;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderSelector {
    lifo: bool,
    prev: Vec<u32>,
    next: Vec<u32>,
    head: u32,
    tail: u32,
    len: usize,
}

impl OrderSelector {
    pub fn new(capacity: usize, lifo: bool) -> Self {
        OrderSelector { lifo, prev: vec![NONE; capacity], next: vec![NONE; capacity], head: NONE, tail: NONE, len: 0 }
    }

    pub fn is_lifo(&self) -> bool {
        self.lifo
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `slot` as the newest item.
    pub fn insert(&mut self, slot: u32) {
        let s = slot as usize;
        self.prev[s] = self.tail;
        self.next[s] = NONE;
        if self.tail == NONE {
            self.head = slot;
        } else {
            self.next[self.tail as usize] = slot;
        }
        self.tail = slot;
        self.len += 1;
    }

    pub fn delete(&mut self, slot: u32) {
        let s = slot as usize;
        let (p, n) = (self.prev[s], self.next[s]);
        if p == NONE {
            self.head = n;
        } else {
            self.next[p as usize] = n;
        }
        if n == NONE {
            self.tail = p;
        } else {
            self.prev[n as usize] = p;
        }
        self.prev[s] = NONE;
        self.next[s] = NONE;
        self.len -= 1;
    }

    pub fn sample(&self) -> (u32, f64) {
        (if self.lifo { self.tail } else { self.head }, 1.0)
    }

    /// Items from oldest to newest.
    pub fn order(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.len);
        let mut at = self.head;
        while at != NONE && out.len() < self.len {
            out.push(at);
            at = self.next[at as usize];
        }
        out
    }

    pub fn clear(&mut self) {
        for s in self.order() {
            self.prev[s as usize] = NONE;
            self.next[s as usize] = NONE;
        }
        self.head = NONE;
        self.tail = NONE;
        self.len = 0;
    }

    pub fn memory_bytes(&self) -> usize {
        4 * (self.prev.capacity() + self.next.capacity())
    }
}
