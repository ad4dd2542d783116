//! Reverb's item selectors, used both to sample and to choose which item to remove. They work on
//! slots (dense item indices owned by the engine), which the engine maps to and from keys; the
//! engine validates priorities once for both of its selectors.

mod heap;
mod order;
mod prioritized;
mod uniform;

pub use heap::HeapSelector;
pub use order::OrderSelector;
pub use prioritized::{weight, PrioritizedSelector};
pub use uniform::UniformSelector;

use crate::rng::Rng;
use acme_common::{ArgError, Js, Result};

/// Which selector, with its options (Reverb's `KeyDistributionOptions`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SelectorSpec {
    Uniform,
    Prioritized { priority_exponent: f64 },
    Fifo,
    Lifo,
    MinHeap,
    MaxHeap,
}

impl SelectorSpec {
    /// Decodes `[kind, priorityExponent]` as the TypeScript wrapper encodes it; `name` is the
    /// option being decoded (`sampler` or `remover`).
    pub fn decode(kind: f64, exponent: f64, name: &str) -> Result<SelectorSpec> {
        Ok(match kind as i64 {
            _ if kind.fract() != 0.0 || !kind.is_finite() => {
                return Err(ArgError::range(format!("{name}.kind code must be an integer in [0, 5], got {}", Js(kind))))
            }
            0 => SelectorSpec::Uniform,
            1 => {
                if !(exponent.is_finite() && exponent >= 0.0) {
                    return Err(ArgError::range(format!(
                        "{name}.priorityExponent must be a finite number >= 0, got {}",
                        Js(exponent)
                    )));
                }
                SelectorSpec::Prioritized { priority_exponent: exponent }
            }
            2 => SelectorSpec::Fifo,
            3 => SelectorSpec::Lifo,
            4 => SelectorSpec::MinHeap,
            5 => SelectorSpec::MaxHeap,
            _ => {
                return Err(ArgError::range(format!("{name}.kind code must be an integer in [0, 5], got {}", Js(kind))))
            }
        })
    }

    pub fn encode(&self) -> [f64; 2] {
        match *self {
            SelectorSpec::Uniform => [0.0, 0.0],
            SelectorSpec::Prioritized { priority_exponent } => [1.0, priority_exponent],
            SelectorSpec::Fifo => [2.0, 0.0],
            SelectorSpec::Lifo => [3.0, 0.0],
            SelectorSpec::MinHeap => [4.0, 0.0],
            SelectorSpec::MaxHeap => [5.0, 0.0],
        }
    }

    /// Fifo, Lifo and the heaps always return the same item until the table changes.
    pub fn is_deterministic(&self) -> bool {
        !matches!(self, SelectorSpec::Uniform | SelectorSpec::Prioritized { .. })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    Uniform(UniformSelector),
    Prioritized(PrioritizedSelector),
    Order(OrderSelector),
    Heap(HeapSelector),
}

impl Selector {
    pub fn new(spec: SelectorSpec, capacity: usize, track_min: bool) -> Selector {
        match spec {
            SelectorSpec::Uniform => Selector::Uniform(UniformSelector::new(capacity)),
            SelectorSpec::Prioritized { priority_exponent } => {
                Selector::Prioritized(PrioritizedSelector::new(capacity, priority_exponent, track_min))
            }
            SelectorSpec::Fifo => Selector::Order(OrderSelector::new(capacity, false)),
            SelectorSpec::Lifo => Selector::Order(OrderSelector::new(capacity, true)),
            SelectorSpec::MinHeap => Selector::Heap(HeapSelector::new(capacity, false)),
            SelectorSpec::MaxHeap => Selector::Heap(HeapSelector::new(capacity, true)),
        }
    }

    #[inline]
    pub fn insert(&mut self, slot: u32, priority: f64) {
        match self {
            Selector::Uniform(s) => s.insert(slot),
            Selector::Prioritized(s) => s.insert(slot, priority),
            Selector::Order(s) => s.insert(slot),
            Selector::Heap(s) => s.insert(slot, priority),
        }
    }

    #[inline]
    pub fn update(&mut self, slot: u32, priority: f64) {
        match self {
            Selector::Uniform(_) | Selector::Order(_) => {}
            Selector::Prioritized(s) => s.update(slot, priority),
            Selector::Heap(s) => s.update(slot, priority),
        }
    }

    #[inline]
    pub fn delete(&mut self, slot: u32) {
        match self {
            Selector::Uniform(s) => s.delete(slot),
            Selector::Prioritized(s) => s.delete(slot),
            Selector::Order(s) => s.delete(slot),
            Selector::Heap(s) => s.delete(slot),
        }
    }

    /// One draw: (slot, probability). The selector must not be empty.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> (u32, f64) {
        match self {
            Selector::Uniform(s) => s.sample(rng),
            Selector::Prioritized(s) => s.sample(rng),
            Selector::Order(s) => s.sample(),
            Selector::Heap(s) => s.sample(),
        }
    }

    pub fn clear(&mut self) {
        match self {
            Selector::Uniform(s) => s.items.clear(),
            Selector::Prioritized(s) => s.clear(),
            Selector::Order(s) => s.clear(),
            Selector::Heap(s) => s.clear(),
        }
    }

    pub fn memory_bytes(&self) -> usize {
        match self {
            Selector::Uniform(s) => s.items.memory_bytes(),
            Selector::Prioritized(s) => s.memory_bytes(),
            Selector::Order(s) => s.memory_bytes(),
            Selector::Heap(s) => s.memory_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heap(max: bool) -> Selector {
        Selector::new(if max { SelectorSpec::MaxHeap } else { SelectorSpec::MinHeap }, 200, false)
    }

    #[test]
    fn min_heap_and_max_heap_follow_reverb_heap_test() {
        // Reverb heap_test: (123, 2), (124, 1), (125, 3) as slot = key - 120.
        let mut s = heap(false);
        s.insert(3, 2.0);
        s.insert(4, 1.0);
        s.insert(5, 3.0);
        let mut rng = Rng::seeded(0);
        assert_eq!(s.sample(&mut rng), (4, 1.0));
        s.delete(4);
        assert_eq!(s.sample(&mut rng).0, 3);
        let mut m = heap(true);
        m.insert(3, 2.0);
        m.insert(4, 1.0);
        m.insert(5, 3.0);
        assert_eq!(m.sample(&mut rng).0, 5);
        m.delete(5);
        assert_eq!(m.sample(&mut rng).0, 3);
        m.update(4, 10.0);
        assert_eq!(m.sample(&mut rng).0, 4);
    }

    #[test]
    fn heap_ties_go_to_the_oldest_insert_or_update() {
        let mut rng = Rng::seeded(0);
        for max in [false, true] {
            let mut s = heap(max);
            let p = |v: f64| if max { -v } else { v };
            for (slot, pr) in [(5, 300.0), (0, 1.0), (3, 20.0), (1, 1.0), (4, 20.0), (2, 1.0)] {
                s.insert(slot, p(pr));
            }
            let mut order = Vec::new();
            for _ in 0..6 {
                let (slot, _) = s.sample(&mut rng);
                order.push(slot);
                s.delete(slot);
            }
            assert_eq!(order, vec![0, 1, 2, 3, 4, 5]);
            // An update bumps the update number: 0 goes behind 1 and 2 at the same priority.
            for (slot, pr) in [(0, 1.0), (1, 1.0), (2, 1.0)] {
                s.insert(slot, p(pr));
            }
            s.update(0, p(1.0));
            let mut order = Vec::new();
            for _ in 0..3 {
                let (slot, _) = s.sample(&mut rng);
                order.push(slot);
                s.delete(slot);
            }
            assert_eq!(order, vec![1, 2, 0]);
        }
    }

    #[test]
    fn fifo_and_lifo_return_the_ends_and_ignore_updates() {
        let mut rng = Rng::seeded(0);
        let mut f = Selector::new(SelectorSpec::Fifo, 100, false);
        let mut l = Selector::new(SelectorSpec::Lifo, 100, false);
        for i in 0..100 {
            f.insert(i, 1.0);
            l.insert(i, 1.0);
        }
        f.update(0, 100.0);
        for i in 0..100 {
            assert_eq!(f.sample(&mut rng), (i, 1.0));
            assert_eq!(l.sample(&mut rng), (99 - i, 1.0));
            f.delete(i);
            l.delete(99 - i);
        }
        // Deleting from the middle keeps the order of the rest.
        for i in 0..5 {
            f.insert(i, 1.0);
        }
        f.delete(2);
        f.delete(0);
        if let Selector::Order(o) = &f {
            assert_eq!(o.order(), vec![1, 3, 4]);
        }
    }

    #[test]
    fn uniform_frequencies_are_flat() {
        let mut rng = Rng::seeded(3);
        let mut u = Selector::new(SelectorSpec::Uniform, 100, false);
        for i in 0..100 {
            u.insert(i, 1.0);
        }
        let mut counts = [0usize; 100];
        let n = 200_000;
        for _ in 0..n {
            let (s, p) = u.sample(&mut rng);
            assert_eq!(p, 0.01);
            counts[s as usize] += 1;
        }
        for c in counts {
            assert!((c as f64 / n as f64 - 0.01).abs() < 0.0025, "{c}");
        }
    }

    #[test]
    fn decode_validates_kind_and_exponent() {
        assert_eq!(
            SelectorSpec::decode(1.0, 0.6, "sampler").unwrap(),
            SelectorSpec::Prioritized { priority_exponent: 0.6 }
        );
        assert_eq!(
            SelectorSpec::decode(1.0, -1.0, "sampler").unwrap_err().message,
            "sampler.priorityExponent must be a finite number >= 0, got -1"
        );
        assert!(SelectorSpec::decode(6.0, 0.0, "remover").is_err());
        assert!(SelectorSpec::decode(1.5, 0.0, "remover").is_err());
        assert!(SelectorSpec::decode(f64::NAN, 0.0, "remover").is_err());
        for spec in [
            SelectorSpec::Uniform,
            SelectorSpec::Fifo,
            SelectorSpec::Lifo,
            SelectorSpec::MinHeap,
            SelectorSpec::MaxHeap,
        ] {
            let [k, e] = spec.encode();
            assert_eq!(SelectorSpec::decode(k, e, "x").unwrap(), spec);
        }
    }
}
