//! Reverb's `Uniform` selector: every item equally likely, probability 1/size.

use crate::dense_set::DenseSet;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq)]
pub struct UniformSelector {
    pub(crate) items: DenseSet,
}

impl UniformSelector {
    pub fn new(capacity: usize) -> Self {
        UniformSelector { items: DenseSet::new(capacity) }
    }

    pub fn insert(&mut self, slot: u32) {
        self.items.insert(slot);
    }

    pub fn delete(&mut self, slot: u32) {
        self.items.remove(slot);
    }

    pub fn sample(&self, rng: &mut Rng) -> (u32, f64) {
        let n = self.items.len();
        (self.items.at(rng.below(n)), 1.0 / n as f64)
    }
}
