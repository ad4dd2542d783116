//! The replay engine: one Reverb-like table in Rust. It owns the items (columnar rows, keyed by
//! slot), a sampler and a remover (any two selectors), the rate limiter's counters, the seeded
//! generator, and optionally a deduplicated frame ring. Calls are batched over caller buffers so
//! one crossing of a binding serves a whole batch. Blocking on the rate limiter is left to the
//! caller (the TypeScript `Table`), which asks `can_insert` / `can_sample` first.
//!
//! Keys. A key is `generation * 2^bits + slot` (bits = enough for the slot count): O(1) lookup
//! without hashing, and unique for the table's lifetime because a slot's generation grows every
//! time the slot is freed. Keys stay below 2^53, so JavaScript numbers (a `Float64Array` per
//! batch) carry them exactly.
//!
//! Every call validates all of its arguments before changing anything: a call that fails leaves
//! the engine and the caller's output buffers untouched.

use crate::columns::Rows;
use crate::config::EngineConfig;
use crate::frame_ring::FrameRing;
use crate::rate_limiter::RateLimiter;
use crate::rng::Rng;
use crate::selectors::{weight, Selector, SelectorSpec};
use acme_common::{alloc, ArgError, Js, Result};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(crate) const FREE: u8 = 0;
pub(crate) const LIVE: u8 = 1;
/// Sampled `maxTimesSampled` times: out of the table, but its row stays readable (so the batch
/// that sampled it can still be gathered) until the next call that changes the table.
pub(crate) const EXPIRED: u8 = 2;

/// Keys are below 2^53 (exact JavaScript numbers).
pub const KEY_LIMIT: f64 = 9_007_199_254_740_992.0;

pub struct ReplayEngine {
    pub(crate) config: EngineConfig,
    pub(crate) capacity: usize,
    pub(crate) slot_bits: u32,
    /// Per-slot bookkeeping, one cache line holds two slots: a sample and the priority update
    /// that follows it touch one line per item.
    pub(crate) slots: Vec<Slot>,
    pub(crate) free: Vec<u32>,
    pub(crate) expired: Vec<u32>,
    pub(crate) size: usize,
    pub(crate) sampler: Selector,
    pub(crate) remover: Selector,
    pub(crate) limiter: RateLimiter,
    pub(crate) rng: Rng,
    pub(crate) f32_rows: Rows<f32>,
    pub(crate) i32_rows: Rows<i32>,
    pub(crate) u8_rows: Rows<u8>,
    /// Frame id of every frame-stack column, per slot.
    pub(crate) frame_refs: Rows<u64>,
    pub(crate) frames: Option<FrameRing>,
    /// Per slot: the oldest frame any of its stacks uses.
    pub(crate) stack_oldest: Vec<u64>,
    /// (oldest frame, key) of items with stacks; an item leaves when its oldest frame does.
    /// Entries of items deleted otherwise are dropped lazily.
    pub(crate) evictions: BinaryHeap<Reverse<(u64, u64)>>,
    /// With maxTimesSampled m: Σ over items of (m - times sampled), the most draws possible.
    pub(crate) remaining_samples: u64,
    scratch_slots: Vec<u32>,
    scratch_oldest: Vec<u64>,
    scratch_priorities: Vec<f64>,
    scratch_weights: Vec<f64>,
    scratch_blocks: Vec<u32>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[repr(C, align(32))]
pub(crate) struct Slot {
    pub(crate) generation: u64,
    pub(crate) priority: f64,
    pub(crate) times_sampled: u32,
    pub(crate) state: u8,
}

fn check_priorities(priorities: &[f64], selectors: [&SelectorSpec; 2]) -> Result<()> {
    for (i, &p) in priorities.iter().enumerate() {
        if !(p >= 0.0 && p.is_finite()) {
            return Err(ArgError::range(format!("priorities[{i}] must be a finite number >= 0, got {}", Js(p))));
        }
        for spec in selectors {
            if let SelectorSpec::Prioritized { priority_exponent } = *spec {
                // A finite p^a can only overflow when both exceed 1: skip the pow otherwise.
                if priority_exponent > 1.0 && p > 1.0 && !weight(p, priority_exponent).is_finite() {
                    return Err(ArgError::range(format!(
                        "priorities[{i}] = {} raised to priorityExponent {} overflows float64",
                        Js(p),
                        Js(priority_exponent)
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Checks priorities against the engine's two selectors (used by checkpoint restore).
pub(crate) fn check_priorities_for(priorities: &[f64], config: &EngineConfig) -> Result<()> {
    check_priorities(priorities, [&config.sampler, &config.remover])
}

fn check_key(key: f64, i: usize) -> Result<u64> {
    if !(key.fract() == 0.0 && (0.0..KEY_LIMIT).contains(&key)) {
        return Err(ArgError::range(format!("keys[{i}] must be an integer in [0, 2^53), got {}", Js(key))));
    }
    Ok(key as u64)
}

impl ReplayEngine {
    /// An empty engine from an encoded config (see `config`).
    pub fn new(encoded_config: &[f64]) -> Result<ReplayEngine> {
        let config = EngineConfig::decode(encoded_config)?;
        Self::from_config(config)
    }

    /// Refuses a table that could never fit in memory full, before any of it is allocated: item
    /// storage, selectors and rows grow with `maxSize`, the frame ring with `frames.capacity`.
    fn check_memory(config: &EngineConfig) -> Result<()> {
        let slots = config.max_size as u64 + 1;
        let l = &config.layout;
        // Slot, free list, stack bookkeeping, two selectors (at most 40 bytes a slot each) and a row.
        let per_slot = std::mem::size_of::<Slot>() as u64 + 4 + 8 + 80;
        let row = 4 * l.f32_row as u64 + 4 * l.i32_row as u64 + l.u8_row as u64 + 8 * l.stack_columns as u64;
        let items = (per_slot + row).checked_mul(slots);
        alloc::check_bytes("maxSize", config.max_size, items)?;
        if let Some(f) = &config.frames {
            let frames = (f.frame_size as u64 + 8).checked_mul(f.capacity as u64);
            let total = frames.and_then(|b| b.checked_add(items.unwrap_or(0)));
            alloc::check_bytes("frames.capacity", f.capacity, total)?;
        }
        Ok(())
    }

    pub(crate) fn from_config(config: EngineConfig) -> Result<ReplayEngine> {
        Self::check_memory(&config)?;
        // One slot more than maxSize: Reverb inserts first and then lets the remover choose,
        // which may be the new item itself.
        let capacity = config.max_size + 1;
        let slot_bits = usize::BITS - (capacity - 1).leading_zeros();
        let limiter = config.rate_limiter.build().expect("validated by EngineConfig::decode");
        let layout = &config.layout;
        let frames = config.frames.map(|f| {
            FrameRing::new(f.frame_size, f.capacity, f.stack, f.padding, f.axis)
                .expect("validated by EngineConfig::decode")
        });
        let with_stacks = frames.is_some() && layout.stack_columns > 0;
        Ok(ReplayEngine {
            capacity,
            slot_bits,
            slots: vec![Slot::default(); capacity],
            free: (0..capacity as u32).rev().collect(),
            expired: Vec::new(),
            size: 0,
            sampler: Selector::new(config.sampler, capacity, config.track_min_probability),
            remover: Selector::new(config.remover, capacity, false),
            limiter,
            rng: Rng::seeded(config.seed),
            f32_rows: Rows::new(layout.f32_row, capacity),
            i32_rows: Rows::new(layout.i32_row, capacity),
            u8_rows: Rows::new(layout.u8_row, capacity),
            frame_refs: Rows::new(layout.stack_columns, capacity),
            frames,
            stack_oldest: if with_stacks { vec![0; capacity] } else { Vec::new() },
            evictions: BinaryHeap::new(),
            remaining_samples: 0,
            scratch_slots: Vec::new(),
            scratch_oldest: Vec::new(),
            scratch_priorities: Vec::new(),
            scratch_weights: Vec::new(),
            scratch_blocks: Vec::new(),
            config,
        })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Items in the table.
    pub fn size(&self) -> usize {
        self.size
    }

    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    pub fn frames(&self) -> Option<&FrameRing> {
        self.frames.as_ref()
    }

    pub fn rng_state(&self) -> [u32; 4] {
        self.rng.state()
    }

    pub fn set_rng_state(&mut self, state: [u32; 4]) -> Result<()> {
        self.rng = Rng::from_state(state)?;
        Ok(())
    }

    #[inline]
    fn max_generation(&self) -> u64 {
        (1u64 << (53 - self.slot_bits)) - 1
    }

    #[inline]
    pub(crate) fn key_of(&self, slot: u32) -> u64 {
        (self.slots[slot as usize].generation << self.slot_bits) | slot as u64
    }

    /// The slot of `key` if the key names an item in the given states.
    #[inline]
    fn lookup(&self, key: u64, also_expired: bool) -> Option<u32> {
        let slot = (key & ((1u64 << self.slot_bits) - 1)) as usize;
        if slot >= self.capacity || self.slots[slot].generation != key >> self.slot_bits {
            return None;
        }
        match self.slots[slot].state {
            LIVE => Some(slot as u32),
            EXPIRED if also_expired => Some(slot as u32),
            _ => None,
        }
    }

    fn next_generation(&self, g: u64) -> u64 {
        if g == self.max_generation() {
            0
        } else {
            g + 1
        }
    }

    fn release(&mut self, slot: u32) {
        let s = slot as usize;
        self.slots[s].generation = self.next_generation(self.slots[s].generation);
        self.slots[s].state = FREE;
        self.free.push(slot);
    }

    /// Frees the rows of items that expired in the previous call.
    pub(crate) fn flush_expired(&mut self) {
        while let Some(slot) = self.expired.pop() {
            self.release(slot);
        }
    }

    /// Removes a live item (remover's choice, explicit delete, or frame eviction).
    fn delete_slot(&mut self, slot: u32) {
        self.sampler.delete(slot);
        self.remover.delete(slot);
        let max = self.config.max_times_sampled;
        if max > 0 {
            self.remaining_samples -= (max - self.slots[slot as usize].times_sampled) as u64;
        }
        self.size -= 1;
        self.limiter.record_delete(1);
        self.release(slot);
    }

    /// Inserts `priorities.len()` items. Data buffers are column-major batches (see `columns`);
    /// `frame_ids` holds, for each frame-stack column, one stored frame id per item (the newest
    /// frame of that item's stack). Writes the new keys into `keys`. When the table exceeds
    /// maxSize, the remover picks an item to delete after each insert, as in Reverb.
    pub fn insert(
        &mut self,
        priorities: &[f64],
        f32s: &[f32],
        i32s: &[i32],
        u8s: &[u8],
        frame_ids: &[f64],
        keys: &mut [f64],
    ) -> Result<()> {
        self.flush_expired();
        let n = priorities.len();
        let layout = &self.config.layout;
        ArgError::check_len("float32 data", f32s.len(), n * layout.f32_row)?;
        ArgError::check_len("int32 data", i32s.len(), n * layout.i32_row)?;
        ArgError::check_len("uint8 data", u8s.len(), n * layout.u8_row)?;
        ArgError::check_len("frameIds", frame_ids.len(), n * layout.stack_columns)?;
        ArgError::check_len("keys", keys.len(), n)?;
        check_priorities(priorities, [&self.config.sampler, &self.config.remover])?;
        let stack_columns = layout.stack_columns;
        self.scratch_oldest.clear();
        if stack_columns > 0 {
            let frames = self.frames.as_ref().expect("frame-stack columns imply frames");
            for i in 0..n {
                let mut oldest = u64::MAX;
                for j in 0..stack_columns {
                    let at = j * n + i;
                    let name = || format!("frameIds[{at}]");
                    let id = frames.check_id(frame_ids[at], &name)?;
                    oldest = oldest.min(frames.stack_oldest(id, &name)?);
                }
                self.scratch_oldest.push(oldest);
            }
        }
        let max = self.config.max_times_sampled;
        for i in 0..n {
            let slot = self.free.pop().expect("a free slot: size <= maxSize < capacity before every insert");
            let s = slot as usize;
            let p = priorities[i];
            let meta = &mut self.slots[s];
            meta.state = LIVE;
            meta.priority = p;
            meta.times_sampled = 0;
            let layout = &self.config.layout;
            self.f32_rows.write_from_batch(s, &layout.f32_columns, f32s, n, i);
            self.i32_rows.write_from_batch(s, &layout.i32_columns, i32s, n, i);
            self.u8_rows.write_from_batch(s, &layout.u8_columns, u8s, n, i);
            let key = self.key_of(slot);
            if stack_columns > 0 {
                self.frame_refs.ensure(s);
                let refs = self.frame_refs.row_mut(s);
                for (j, r) in refs.iter_mut().enumerate() {
                    *r = frame_ids[j * n + i] as u64;
                }
                self.stack_oldest[s] = self.scratch_oldest[i];
                self.evictions.push(Reverse((self.scratch_oldest[i], key)));
            }
            self.sampler.insert(slot, p);
            self.remover.insert(slot, p);
            self.size += 1;
            self.remaining_samples += max as u64;
            keys[i] = key as f64;
            if self.size > self.config.max_size {
                let (victim, _) = self.remover.sample(&mut self.rng);
                self.delete_slot(victim);
            }
            self.limiter.record_insert(1);
        }
        Ok(())
    }

    /// Stores one frame; `previous` is the id of the frame before it in its episode, or -1 at an
    /// episode start. Returns the new frame's id. Items whose stacks reach the frame that falls
    /// out of the ring are deleted.
    pub fn add_frame(&mut self, frame: &[u8], previous: f64) -> Result<u64> {
        self.flush_expired();
        let frames = self
            .frames
            .as_mut()
            .ok_or_else(|| ArgError::other("addFrame: this engine was made without the frames option"))?;
        let previous = frames.check_add(frame, previous)?;
        let id = frames.push(frame, previous);
        let oldest = frames.oldest();
        while let Some(&Reverse((first, key))) = self.evictions.peek() {
            if first >= oldest {
                break;
            }
            self.evictions.pop();
            if let Some(slot) = self.lookup(key, false) {
                self.delete_slot(slot);
            }
        }
        Ok(id)
    }

    #[inline]
    fn record_draw(&mut self, i: usize, slot: u32, keys: &mut [f64], out: &mut SampleOut) {
        let meta = &mut self.slots[slot as usize];
        let times = meta.times_sampled.saturating_add(1);
        meta.times_sampled = times;
        keys[i] = ((meta.generation << self.slot_bits) | slot as u64) as f64;
        if let Some(p) = out.priorities.as_deref_mut() {
            p[i] = meta.priority;
        }
        if let Some(t) = out.times_sampled.as_deref_mut() {
            t[i] = times.min(i32::MAX as u32) as i32;
        }
    }

    /// Samples `keys.len()` items into `keys` and `probabilities` (and, when given, each item's
    /// priority and times sampled including this draw). Returns the table size at sample time.
    ///
    /// A prioritized sampler with `stratified` draws one item per equal segment of the total
    /// priority mass; otherwise draws are independent. With `maxTimesSampled`, items are drawn
    /// one at a time and an item leaves the table on its last allowed draw (Reverb's rule), so
    /// draws are independent then; a batch larger than the draws the items can still give is
    /// refused before anything is drawn.
    pub fn sample(
        &mut self,
        keys: &mut [f64],
        probabilities: &mut [f64],
        priorities: Option<&mut [f64]>,
        times_sampled: Option<&mut [i32]>,
    ) -> Result<usize> {
        self.flush_expired();
        let n = keys.len();
        ArgError::check_len("probabilities", probabilities.len(), n)?;
        if let Some(p) = &priorities {
            ArgError::check_len("priorities", p.len(), n)?;
        }
        if let Some(t) = &times_sampled {
            ArgError::check_len("timesSampled", t.len(), n)?;
        }
        let size = self.size;
        if n == 0 {
            return Ok(size);
        }
        if size == 0 {
            return Err(ArgError::other("sample: the table is empty"));
        }
        let max = self.config.max_times_sampled;
        if max > 0 && n as u64 > self.remaining_samples {
            return Err(ArgError::range(format!(
                "a batch of {n} exceeds the {} draws the items can still give (maxTimesSampled {max})",
                self.remaining_samples
            )));
        }
        let mut out = SampleOut { priorities, times_sampled };
        let stratified = max == 0 && self.config.stratified && matches!(self.sampler, Selector::Prioritized(_));
        if stratified {
            let mut slots = std::mem::take(&mut self.scratch_slots);
            slots.resize(n, 0);
            if let Selector::Prioritized(p) = &self.sampler {
                p.sample_stratified(&mut self.rng, &mut slots, probabilities);
            }
            for (i, &slot) in slots.iter().enumerate() {
                self.record_draw(i, slot, keys, &mut out);
            }
            self.scratch_slots = slots;
        } else {
            for (i, p) in probabilities.iter_mut().enumerate() {
                let (slot, probability) = self.sampler.sample(&mut self.rng);
                *p = probability;
                self.record_draw(i, slot, keys, &mut out);
                if max > 0 {
                    self.remaining_samples -= 1;
                    if self.slots[slot as usize].times_sampled >= max {
                        self.sampler.delete(slot);
                        self.remover.delete(slot);
                        self.size -= 1;
                        self.limiter.record_delete(1);
                        self.slots[slot as usize].state = EXPIRED;
                        self.expired.push(slot);
                    }
                }
            }
        }
        self.limiter.record_sample(n as u64);
        Ok(size)
    }

    /// Sets the priority of every key still in the table (unknown keys are skipped, as Reverb's
    /// `mutate_priorities` does); returns how many were updated. A key repeated in one call takes
    /// its last priority.
    pub fn update_priorities(&mut self, keys: &[f64], priorities: &[f64]) -> Result<usize> {
        self.flush_expired();
        ArgError::check_len("priorities", priorities.len(), keys.len())?;
        check_priorities(priorities, [&self.config.sampler, &self.config.remover])?;
        for (i, &k) in keys.iter().enumerate() {
            check_key(k, i)?;
        }
        let mut slots = std::mem::take(&mut self.scratch_slots);
        let mut found = std::mem::take(&mut self.scratch_priorities);
        slots.clear();
        found.clear();
        for (&k, &p) in keys.iter().zip(priorities) {
            if let Some(slot) = self.lookup(k as u64, false) {
                self.slots[slot as usize].priority = p;
                slots.push(slot);
                found.push(p);
            }
        }
        for selector in [&mut self.sampler, &mut self.remover] {
            match selector {
                Selector::Prioritized(p) => {
                    p.update_many(&slots, &found, &mut self.scratch_weights, &mut self.scratch_blocks)
                }
                Selector::Heap(_) => {
                    for (&slot, &p) in slots.iter().zip(&found) {
                        selector.update(slot, p);
                    }
                }
                Selector::Uniform(_) | Selector::Order(_) => {}
            }
        }
        let updated = slots.len();
        self.scratch_slots = slots;
        self.scratch_priorities = found;
        Ok(updated)
    }

    /// Deletes every key still in the table (unknown keys are skipped); returns how many.
    pub fn delete(&mut self, keys: &[f64]) -> Result<usize> {
        self.flush_expired();
        for (i, &k) in keys.iter().enumerate() {
            check_key(k, i)?;
        }
        let mut deleted = 0;
        for &k in keys {
            if let Some(slot) = self.lookup(k as u64, false) {
                self.delete_slot(slot);
                deleted += 1;
            }
        }
        Ok(deleted)
    }

    /// Writes the rows of `keys` into column-major batch buffers (frame-stack columns into
    /// `stacks`, each stack `frames.stack` frames along the configured axis). Every key must be
    /// in the table (or have left it in the last sample call).
    pub fn gather(
        &mut self,
        keys: &[f64],
        f32s: &mut [f32],
        i32s: &mut [i32],
        u8s: &mut [u8],
        stacks: &mut [u8],
    ) -> Result<()> {
        let n = keys.len();
        let layout = &self.config.layout;
        ArgError::check_len("float32 output", f32s.len(), n * layout.f32_row)?;
        ArgError::check_len("int32 output", i32s.len(), n * layout.i32_row)?;
        ArgError::check_len("uint8 output", u8s.len(), n * layout.u8_row)?;
        let stack_size = self.frames.as_ref().map_or(0, |f| f.stack_size());
        ArgError::check_len("stacks output", stacks.len(), n * self.config.stack_row())?;
        let mut slots = std::mem::take(&mut self.scratch_slots);
        slots.clear();
        for (i, &k) in keys.iter().enumerate() {
            let found = check_key(k, i).map(|key| self.lookup(key, true));
            match found {
                Ok(Some(slot)) => slots.push(slot),
                Ok(None) => {
                    self.scratch_slots = slots;
                    return Err(ArgError::range(format!("keys[{i}] = {k} is not in the table")));
                }
                Err(e) => {
                    self.scratch_slots = slots;
                    return Err(e);
                }
            }
        }
        let layout = &self.config.layout;
        for (i, &slot) in slots.iter().enumerate() {
            let s = slot as usize;
            self.f32_rows.read_into_batch(s, &layout.f32_columns, f32s, n, i);
            self.i32_rows.read_into_batch(s, &layout.i32_columns, i32s, n, i);
            self.u8_rows.read_into_batch(s, &layout.u8_columns, u8s, n, i);
            if let Some(frames) = &self.frames {
                for (j, &id) in self.frame_refs.row(s).iter().enumerate() {
                    let at = (j * n + i) * stack_size;
                    frames.write_stack(id, &mut stacks[at..at + stack_size]);
                }
            }
        }
        self.scratch_slots = slots;
        Ok(())
    }

    /// Writes each key's priority into `out` (NaN for keys not in the table); returns how many
    /// were found.
    pub fn priorities_of(&self, keys: &[f64], out: &mut [f64]) -> Result<usize> {
        ArgError::check_len("out", out.len(), keys.len())?;
        for (i, &k) in keys.iter().enumerate() {
            check_key(k, i)?;
        }
        let mut found = 0;
        for (o, &k) in out.iter_mut().zip(keys) {
            *o = match self.lookup(k as u64, false) {
                Some(slot) => {
                    found += 1;
                    self.slots[slot as usize].priority
                }
                None => f64::NAN,
            };
        }
        Ok(found)
    }

    /// Reverb's table reset: deletes every item, forgets every frame and zeroes the rate
    /// limiter's counters. Keys issued later never repeat earlier ones.
    pub fn reset(&mut self) {
        self.flush_expired();
        for s in 0..self.capacity {
            if self.slots[s].state == LIVE {
                self.slots[s].generation = self.next_generation(self.slots[s].generation);
                self.slots[s].state = FREE;
            }
        }
        self.free = (0..self.capacity as u32).rev().collect();
        self.size = 0;
        self.sampler.clear();
        self.remover.clear();
        self.limiter.reset();
        if let Some(f) = &mut self.frames {
            f.clear();
        }
        self.evictions.clear();
        self.remaining_samples = 0;
    }

    pub fn can_insert(&self, n: u64) -> Result<bool> {
        self.limiter.can_insert(n)
    }

    pub fn can_sample(&self, n: u64) -> Result<bool> {
        self.limiter.can_sample(n)
    }

    /// The smallest probability any item has (for importance weights normalised by the global
    /// maximum weight). Needs `trackMinProbability`.
    pub fn min_probability(&self) -> Result<f64> {
        match &self.sampler {
            Selector::Prioritized(p) if p.tracks_min() => {
                p.min_probability().ok_or_else(|| ArgError::other("minProbability: the table is empty"))
            }
            _ => Err(ArgError::other(
                "minProbability: this engine was made without trackMinProbability (and a prioritized sampler)",
            )),
        }
    }

    /// Bytes of the arrays sized by maxSize at construction, which never grow: the same for
    /// every engine with the same config (bindings report it to the JavaScript garbage collector).
    pub fn fixed_bytes(&self) -> usize {
        std::mem::size_of::<Slot>() * self.slots.capacity()
            + 4 * self.free.capacity()
            + 8 * self.stack_oldest.capacity()
            + self.sampler.memory_bytes()
            + self.remover.memory_bytes()
    }

    /// Bytes held by the engine's arrays (not counting the struct itself), including rows and
    /// frames allocated as items arrive.
    pub fn memory_bytes(&self) -> usize {
        self.fixed_bytes()
            + self.f32_rows.memory_bytes()
            + self.i32_rows.memory_bytes()
            + self.u8_rows.memory_bytes()
            + self.frame_refs.memory_bytes()
            + self.frames.as_ref().map_or(0, |f| f.memory_bytes())
            + 16 * self.evictions.capacity()
    }

    /// The sampler's sum tree (tests and diagnostics).
    pub fn sum_tree(&self) -> Option<&crate::tree::SumTree> {
        match &self.sampler {
            Selector::Prioritized(p) => Some(p.tree()),
            _ => None,
        }
    }
}

struct SampleOut<'a> {
    priorities: Option<&'a mut [f64]>,
    times_sampled: Option<&'a mut [i32]>,
}
