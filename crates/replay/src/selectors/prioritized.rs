//! Reverb's `Prioritized(priorityExponent)` selector: item i is drawn with probability
//! w_i / Σw where w = p^a, and w = 0 for p = 0 even when a = 0. When every weight is 0 the draw is
//! uniform over the items (probability 1/size). Weights live in a [`SumTree`]; an optional
//! [`MinTree`] over the positive weights gives the smallest probability any item can have, which
//! the global importance-weight normalisation needs.

use crate::dense_set::DenseSet;
use crate::rng::Rng;
use crate::tree::{MinTree, SumTree};

#[derive(Clone, Debug, PartialEq)]
pub struct PrioritizedSelector {
    exponent: f64,
    tree: SumTree,
    min: Option<MinTree>,
    /// Every item, for the uniform fallback when all weights are 0.
    items: DenseSet,
}

/// p^a with Reverb's convention 0^a = 0 (so priority 0 is never drawn, even with a = 0).
#[inline]
pub fn weight(priority: f64, exponent: f64) -> f64 {
    if priority == 0.0 {
        0.0
    } else if exponent == 1.0 {
        priority
    } else {
        priority.powf(exponent)
    }
}

impl PrioritizedSelector {
    pub fn new(capacity: usize, exponent: f64, track_min: bool) -> Self {
        PrioritizedSelector {
            exponent,
            tree: SumTree::new(capacity),
            min: if track_min { Some(MinTree::new(capacity)) } else { None },
            items: DenseSet::new(capacity),
        }
    }

    pub fn exponent(&self) -> f64 {
        self.exponent
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn tree(&self) -> &SumTree {
        &self.tree
    }

    pub(crate) fn items(&self) -> &DenseSet {
        &self.items
    }

    #[inline]
    fn set(&mut self, slot: u32, priority: f64) {
        let w = weight(priority, self.exponent);
        self.tree.set(slot as usize, w);
        if let Some(min) = &mut self.min {
            min.set(slot as usize, if w > 0.0 { w } else { f64::INFINITY });
        }
    }

    pub fn insert(&mut self, slot: u32, priority: f64) {
        self.items.insert(slot);
        self.set(slot, priority);
    }

    pub fn update(&mut self, slot: u32, priority: f64) {
        self.set(slot, priority);
    }

    /// Updates a batch (a later duplicate wins); equal to calling `update` in order. `weights`
    /// and `blocks` are scratch buffers.
    pub fn update_many(&mut self, slots: &[u32], priorities: &[f64], weights: &mut Vec<f64>, blocks: &mut Vec<u32>) {
        weights.clear();
        weights.extend(priorities.iter().map(|&p| weight(p, self.exponent)));
        self.tree.set_many(slots, weights, blocks);
        if let Some(min) = &mut self.min {
            for w in weights.iter_mut() {
                if *w == 0.0 {
                    *w = f64::INFINITY;
                }
            }
            min.set_many(slots, weights, blocks);
        }
    }

    pub fn delete(&mut self, slot: u32) {
        self.items.remove(slot);
        self.tree.set(slot as usize, 0.0);
        if let Some(min) = &mut self.min {
            min.set(slot as usize, f64::INFINITY);
        }
    }

    /// One independent draw (Reverb's `Sample`).
    pub fn sample(&self, rng: &mut Rng) -> (u32, f64) {
        let total = self.tree.root();
        if total > 0.0 {
            let slot = self.tree.find(rng.next_f64() * total);
            (slot as u32, self.tree.get(slot) / total)
        } else {
            let n = self.items.len();
            (self.items.at(rng.below(n)), 1.0 / n as f64)
        }
    }

    /// Stratified batch, as prioritized-replay DQN samples: the total is cut into `slots.len()`
    /// equal segments and one uniform draw is taken inside each, so a batch covers the whole
    /// distribution. Each item's marginal probability per draw is still w_i / Σw.
    /// `probabilities` doubles as scratch space for the targets of the descents.
    pub fn sample_stratified(&self, rng: &mut Rng, slots: &mut [u32], probabilities: &mut [f64]) {
        let total = self.tree.root();
        let n = slots.len();
        if total > 0.0 {
            let segment = total / n as f64;
            for (i, t) in probabilities.iter_mut().enumerate() {
                *t = (i as f64 + rng.next_f64()) * segment;
            }
            self.tree.find_many(probabilities, slots);
            for (p, &slot) in probabilities.iter_mut().zip(slots.iter()) {
                *p = self.tree.get(slot as usize) / total;
            }
        } else {
            let size = self.items.len();
            for i in 0..n {
                slots[i] = self.items.at(rng.below(size));
                probabilities[i] = 1.0 / size as f64;
            }
        }
    }

    /// The smallest probability of any item that can be drawn: min positive w / Σw (1/size when
    /// every weight is 0). `None` when the min tree was not requested or the selector is empty.
    pub fn min_probability(&self) -> Option<f64> {
        let min = self.min.as_ref()?;
        if self.items.is_empty() {
            return None;
        }
        let total = self.tree.root();
        Some(if total > 0.0 { min.root() / total } else { 1.0 / self.items.len() as f64 })
    }

    pub fn tracks_min(&self) -> bool {
        self.min.is_some()
    }

    /// Checkpoint restore: re-adds items in their saved dense order with their priorities, then
    /// rebuilds the trees, which (being a pure function of the leaves) come out bit-identical.
    pub fn restore(&mut self, order: &[u32], priority_of: impl Fn(u32) -> f64) {
        self.clear();
        for &slot in order {
            self.items.insert(slot);
            let w = weight(priority_of(slot), self.exponent);
            self.tree.set_leaf_only(slot as usize, w);
            if let Some(min) = &mut self.min {
                min.set_leaf_only(slot as usize, if w > 0.0 { w } else { f64::INFINITY });
            }
        }
        self.tree.rebuild();
        if let Some(min) = &mut self.min {
            min.rebuild();
        }
    }

    pub fn clear(&mut self) {
        self.items.clear();
        self.tree.clear();
        if let Some(min) = &mut self.min {
            min.clear();
        }
    }

    pub fn memory_bytes(&self) -> usize {
        self.tree.memory_bytes() + self.min.as_ref().map_or(0, |m| m.memory_bytes()) + self.items.memory_bytes()
    }
}
