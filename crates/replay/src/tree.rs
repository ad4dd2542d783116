//! Flat reduction trees over item slots: the sum tree that prioritized sampling descends and the
//! min tree that gives the smallest sampling probability.
//!
//! Layout. Leaves are slots. Nodes are grouped in blocks of `ARITY` f64 values aligned to one
//! 64-byte cache line; block `j` of level `l + 1` holds, at position `k`, the reduction of block
//! `ARITY * j + k` of level `l`. A descent therefore reads one cache line per level: 7 for a
//! million slots, where a binary tree reads 20 mostly-cold nodes.
//!
//! Drift. A node is never updated by adding a difference: after a leaf changes, each ancestor is
//! recomputed from its block of children, in a fixed pairwise order. The tree after any sequence
//! of updates is therefore bit-identical to a full rebuild from its leaves, so rounding error
//! cannot accumulate, the root of non-negative leaves can never be negative, and deleting every
//! large item leaves exactly the sum of the small ones. `max_drift` checks this invariant and
//! `rebuild` restores it, for trees whose leaves were written directly (checkpoint restore).

/// Children per node: 8 f64 are exactly one cache line.
pub const ARITY: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C, align(64))]
struct Block([f64; ARITY]);

/// How parent values are computed from a block of children.
pub trait Reduce {
    /// The value of an empty leaf (0 for sums, +inf for minima).
    const EMPTY: f64;
    /// Reduces a block pairwise: ((b0 + b1) + (b2 + b3)) + ((b4 + b5) + (b6 + b7)) for sums. The
    /// order is part of the contract: the TypeScript reference tree repeats it to get equal bits.
    fn reduce(block: &[f64; ARITY]) -> f64;
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sum;
#[derive(Clone, Debug, PartialEq)]
pub struct Min;

impl Reduce for Sum {
    const EMPTY: f64 = 0.0;
    #[inline]
    fn reduce(b: &[f64; ARITY]) -> f64 {
        let mut v = *b;
        let mut width = ARITY;
        while width > 1 {
            width /= 2;
            for k in 0..width {
                v[k] = v[2 * k] + v[2 * k + 1];
            }
        }
        v[0]
    }
}

impl Reduce for Min {
    const EMPTY: f64 = f64::INFINITY;
    #[inline]
    fn reduce(b: &[f64; ARITY]) -> f64 {
        let mut v = *b;
        let mut width = ARITY;
        while width > 1 {
            width /= 2;
            for k in 0..width {
                v[k] = if v[2 * k + 1] < v[2 * k] { v[2 * k + 1] } else { v[2 * k] };
            }
        }
        v[0]
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BlockTree<R: Reduce> {
    /// levels[0] holds the leaves; the last level is a single block under the root.
    levels: Vec<Vec<Block>>,
    leaves: usize,
    root: f64,
    _reduce: std::marker::PhantomData<R>,
}

pub type SumTree = BlockTree<Sum>;
pub type MinTree = BlockTree<Min>;

impl<R: Reduce> BlockTree<R> {
    /// A tree over `leaves` slots, all empty.
    pub fn new(leaves: usize) -> Self {
        let mut levels = Vec::new();
        let mut blocks = (leaves.max(1) + ARITY - 1) / ARITY;
        loop {
            levels.push(vec![Block([R::EMPTY; ARITY]); blocks]);
            if blocks == 1 {
                break;
            }
            blocks = (blocks + ARITY - 1) / ARITY;
        }
        BlockTree { levels, leaves, root: R::EMPTY, _reduce: std::marker::PhantomData }
    }

    pub fn leaves(&self) -> usize {
        self.leaves
    }

    /// The reduction of every leaf.
    #[inline]
    pub fn root(&self) -> f64 {
        self.root
    }

    #[inline]
    pub fn get(&self, slot: usize) -> f64 {
        self.levels[0][slot / ARITY].0[slot % ARITY]
    }

    /// Sets a leaf and recomputes its ancestors from their children (O(depth · ARITY)).
    #[inline]
    pub fn set(&mut self, slot: usize, value: f64) {
        debug_assert!(slot < self.leaves);
        self.levels[0][slot / ARITY].0[slot % ARITY] = value;
        let mut child = slot / ARITY;
        for l in 1..self.levels.len() {
            let v = R::reduce(&self.levels[l - 1][child].0);
            self.levels[l][child / ARITY].0[child % ARITY] = v;
            child /= ARITY;
        }
        let top = self.levels.len() - 1;
        self.root = R::reduce(&self.levels[top][0].0);
    }

    /// Sets `values[i]` at `slots[i]` for every i (a later duplicate wins), then recomputes the
    /// ancestors level by level. The result is exactly that of calling [`BlockTree::set`] in
    /// order, since every node ends up as the reduction of its final children; visiting the
    /// batch one level at a time lets the cache misses of different slots overlap.
    pub fn set_many(&mut self, slots: &[u32], values: &[f64], blocks: &mut Vec<u32>) {
        blocks.clear();
        for (&s, &v) in slots.iter().zip(values) {
            let s = s as usize;
            self.levels[0][s / ARITY].0[s % ARITY] = v;
            blocks.push((s / ARITY) as u32);
        }
        for l in 1..self.levels.len() {
            let (below, above) = self.levels.split_at_mut(l);
            let (children, parents) = (&below[l - 1], &mut above[0]);
            // A stratified batch arrives sorted, so slots sharing an ancestor are neighbours:
            // skipping a repeat of the previous block saves most of the work near the root.
            let mut previous = u32::MAX;
            for b in blocks.iter_mut() {
                let child = *b;
                if child != previous {
                    let c = child as usize;
                    parents[c / ARITY].0[c % ARITY] = R::reduce(&children[c].0);
                    previous = child;
                }
                *b = child / ARITY as u32;
            }
        }
        let top = self.levels.len() - 1;
        self.root = R::reduce(&self.levels[top][0].0);
    }

    /// Writes a leaf without touching its ancestors; call [`BlockTree::rebuild`] afterwards.
    pub fn set_leaf_only(&mut self, slot: usize, value: f64) {
        self.levels[0][slot / ARITY].0[slot % ARITY] = value;
    }

    /// Recomputes every internal node from the leaves (O(leaves)).
    pub fn rebuild(&mut self) {
        for l in 1..self.levels.len() {
            let (below, above) = self.levels.split_at_mut(l);
            let children = &below[l - 1];
            for (j, block) in above[0].iter_mut().enumerate() {
                for k in 0..ARITY {
                    let c = j * ARITY + k;
                    block.0[k] = if c < children.len() { R::reduce(&children[c].0) } else { R::EMPTY };
                }
            }
        }
        let top = self.levels.len() - 1;
        self.root = R::reduce(&self.levels[top][0].0);
    }

    /// Empties every leaf.
    pub fn clear(&mut self) {
        for level in &mut self.levels {
            for block in level.iter_mut() {
                block.0 = [R::EMPTY; ARITY];
            }
        }
        self.root = R::EMPTY;
    }

    /// The largest difference between a node and the reduction of its children (0 when the
    /// invariant holds, which it always should: see the module documentation).
    pub fn max_drift(&self) -> f64 {
        let mut worst = 0.0f64;
        for l in 1..self.levels.len() {
            for (j, block) in self.levels[l].iter().enumerate() {
                for k in 0..ARITY {
                    let c = j * ARITY + k;
                    let want =
                        if c < self.levels[l - 1].len() { R::reduce(&self.levels[l - 1][c].0) } else { R::EMPTY };
                    let got = block.0[k];
                    if want != got {
                        let d = (want - got).abs();
                        worst = if d.is_nan() { f64::INFINITY } else { worst.max(d) };
                    }
                }
            }
        }
        let top = self.levels.len() - 1;
        let want = R::reduce(&self.levels[top][0].0);
        if want != self.root {
            worst = worst.max((want - self.root).abs());
        }
        worst
    }

    pub fn memory_bytes(&self) -> usize {
        self.levels.iter().map(|l| l.capacity() * std::mem::size_of::<Block>()).sum()
    }
}

/// One step of a descent: the child of `block` whose range holds `target`, with `target` made
/// relative to that child. Ranges come from running sums c_k = c_(k-1) + b_k (c_(-1) = 0): the
/// child is the number of c_k <= target, and the new target is target - c_(child-1). Running sums
/// never decrease and a zero child repeats its predecessor's sum, so a child of weight 0 is never
/// chosen. Written without data-dependent branches: the descents of a batch then overlap in the
/// pipeline instead of waiting on mispredicted jumps. When rounding carries `target` past the
/// last sum, the last positive child is taken with `target` set to its whole weight, so the rest
/// of the descent also ends on positive nodes.
#[inline(always)]
fn choose(block: &[f64; ARITY], target: &mut f64) -> usize {
    let t = *target;
    let mut sums = [0.0f64; ARITY + 1];
    for k in 0..ARITY {
        sums[k + 1] = sums[k] + block[k];
    }
    let mut count = 0;
    for &c in &sums[1..] {
        count += (c <= t) as usize;
    }
    if count < ARITY {
        *target = t - sums[count];
        return count;
    }
    let mut last = 0;
    for (k, &v) in block.iter().enumerate() {
        last = if v > 0.0 { k } else { last };
    }
    *target = block[last];
    last
}

#[inline(always)]
fn prefetch(block: &Block) {
    #[cfg(target_arch = "x86_64")]
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(block as *const Block as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = block;
}

impl SumTree {
    /// The leaf where the running sum of leaves passes `target`, for 0 <= target < root. Only
    /// positive leaves are ever chosen. Requires `root() > 0`.
    #[inline]
    pub fn find(&self, mut target: f64) -> usize {
        let mut index = 0usize;
        for level in self.levels.iter().rev() {
            index = index * ARITY + choose(&level[index].0, &mut target);
        }
        index
    }

    /// [`SumTree::find`] for a batch of targets (consumed), one level at a time: the block each
    /// descent needs next is prefetched while the other descents advance, so their cache misses
    /// overlap instead of queueing. Results equal those of `find`.
    pub fn find_many(&self, targets: &mut [f64], out: &mut [u32]) {
        for o in out.iter_mut() {
            *o = 0;
        }
        let depth = self.levels.len();
        for l in (0..depth).rev() {
            let level = &self.levels[l];
            for (o, t) in out.iter_mut().zip(targets.iter_mut()) {
                let index = *o as usize * ARITY + choose(&level[*o as usize].0, t);
                *o = index as u32;
                if l > 0 {
                    prefetch(&self.levels[l - 1][index]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_minima_follow_their_leaves() {
        for &n in &[1usize, 7, 8, 9, 64, 65, 1000] {
            let mut s = SumTree::new(n);
            let mut m = MinTree::new(n);
            for i in 0..n {
                s.set(i, (i + 1) as f64);
                m.set(i, (i + 1) as f64);
            }
            assert_eq!(s.root(), (n * (n + 1) / 2) as f64, "n = {n}");
            assert_eq!(m.root(), 1.0);
            m.set(0, f64::INFINITY);
            assert_eq!(m.root(), if n == 1 { f64::INFINITY } else { 2.0 });
            assert_eq!(s.max_drift(), 0.0);
            assert_eq!(m.max_drift(), 0.0);
        }
    }

    #[test]
    fn find_walks_to_the_leaf_covering_the_target() {
        let mut t = SumTree::new(100);
        for i in 0..100 {
            t.set(i, if i % 3 == 0 { 0.0 } else { i as f64 });
        }
        let mut acc = 0.0;
        for i in 0..100 {
            let w = t.get(i);
            if w > 0.0 {
                assert_eq!(t.find(acc), i);
                assert_eq!(t.find(acc + w * 0.5), i);
                acc += w;
            }
        }
        // At or beyond the root (rounding), the last positive leaf is taken.
        assert_eq!(t.find(t.root()), 98);
        assert_eq!(t.find(t.root() * 2.0), 98);
    }

    #[test]
    fn incremental_updates_equal_a_rebuild_bit_for_bit() {
        let mut t = SumTree::new(5000);
        let mut x = 0x1234_5678u64;
        for step in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let slot = (x % 5000) as usize;
            let v = if step % 2 == 0 { (x >> 11) as f64 * 1e-12 } else { 1e-15 * (x % 7) as f64 };
            t.set(slot, v);
        }
        let mut r = t.clone();
        r.rebuild();
        assert_eq!(r, t);
        assert_eq!(t.max_drift(), 0.0);
    }

    #[test]
    fn batched_set_and_find_equal_the_one_at_a_time_versions() {
        let mut a = SumTree::new(3000);
        let mut b = SumTree::new(3000);
        let mut blocks = Vec::new();
        let mut x = 99u64;
        for _ in 0..200 {
            let mut slots = Vec::new();
            let mut values = Vec::new();
            for _ in 0..40 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                slots.push((x >> 40) as u32 % 3000);
                values.push((x >> 20) as f64 % 1000.0 * 1e-3);
            }
            slots.push(slots[0]); // a duplicate: the later value wins
            values.push(0.125);
            for (&s, &v) in slots.iter().zip(&values) {
                a.set(s as usize, v);
            }
            b.set_many(&slots, &values, &mut blocks);
            assert_eq!(a, b);
            let mut targets: Vec<f64> = (0..64).map(|i| a.root() * (i as f64 + 0.5) / 64.0).collect();
            let want: Vec<u32> = targets.iter().map(|&t| a.find(t) as u32).collect();
            let mut got = vec![0u32; 64];
            b.find_many(&mut targets, &mut got);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn tiny_item_survives_many_large_ones() {
        let mut t = SumTree::new(10_001);
        t.set(0, 1e-15);
        for i in 1..=10_000 {
            t.set(i, 0.3);
        }
        for i in 1..=10_000 {
            t.set(i, 0.0);
        }
        assert_eq!(t.root(), 1e-15);
        assert_eq!(t.find(0.0), 0);
    }

    #[test]
    fn clear_and_rebuild() {
        let mut t = SumTree::new(20);
        t.set(3, 2.0);
        t.clear();
        assert_eq!(t.root(), 0.0);
        t.set_leaf_only(4, 1.5);
        t.set_leaf_only(19, 2.5);
        assert!(t.max_drift() > 0.0);
        t.rebuild();
        assert_eq!(t.root(), 4.0);
        assert_eq!(t.max_drift(), 0.0);
    }
}
