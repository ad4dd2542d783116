//! Checkpoints: the whole state of an engine (config, items and their rows, priorities, times
//! sampled, key generations, free slots, sampler and remover order, rate limiter counters,
//! generator state, frames) as versioned little-endian bytes, and the exact inverse.
//!
//! ```text
//! "ACMERPLY"  magic, 8 bytes
//! u32         format version (1)
//! u64         body length
//! body        sections below, in order
//! u32         CRC-32 (IEEE) of everything before it
//! ```
//! Restoring validates the frame, the checksum and then every structural fact the engine relies
//! on (slot indices in range, orders that are permutations of the items, frame links inside the
//! ring, counters that agree), so corrupt bytes give an error naming what is wrong and never a
//! panic or a half-restored engine. Derived structures (sum and min trees, heap layout, eviction
//! queue) are rebuilt; since they are pure functions of what is saved, a restored engine draws
//! exactly the samples the original would have drawn.

use crate::config::EngineConfig;
use crate::engine::{ReplayEngine, Slot, EXPIRED, FREE, LIVE};
use crate::frame_ring::FrameRing;
use crate::selectors::Selector;
use acme_common::{ArgError, Result};
use std::cmp::Reverse;

const MAGIC: &[u8; 8] = b"ACMERPLY";
pub const FORMAT_VERSION: u32 = 1;
const NONE: u64 = u64::MAX;

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 as in zlib / PNG.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c = CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, v: &[u8]) {
        self.0.extend_from_slice(v);
    }
    fn slots(&mut self, slots: &[u32]) {
        self.u64(slots.len() as u64);
        for &s in slots {
            self.u32(s);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn corrupt(detail: impl Into<String>) -> ArgError {
    ArgError::range(format!("checkpoint is corrupt: {}", detail.into()))
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        if self.bytes.len() - self.at < n {
            return Err(ArgError::range(format!(
                "checkpoint is truncated: {what} needs {n} bytes at offset {}, only {} left",
                self.at,
                self.bytes.len() - self.at
            )));
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }
    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn f64(&mut self, what: &str) -> Result<f64> {
        Ok(f64::from_bits(self.u64(what)?))
    }
    /// A count of items that each take at least `min_bytes`: refused when the rest of the input
    /// could not hold them, so a corrupt count cannot trigger a huge allocation.
    fn count(&mut self, what: &str, min_bytes: usize) -> Result<usize> {
        let n = self.u64(what)?;
        if n > (self.left() / min_bytes.max(1)) as u64 {
            return Err(ArgError::range(format!(
                "checkpoint is truncated: {what} says {n} entries but only {} bytes are left",
                self.left()
            )));
        }
        Ok(n as usize)
    }
}

/// Reads a list of slots and checks it is a permutation of the slots in state `want`.
fn read_permutation(r: &mut Reader, what: &str, slots: &[Slot], want: u8, expected: usize) -> Result<Vec<u32>> {
    let n = r.count(what, 4)?;
    if n != expected {
        return Err(corrupt(format!("{what} has {n} entries, expected {expected}")));
    }
    let mut seen = vec![false; slots.len()];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let s = r.u32(what)?;
        let i = s as usize;
        if i >= slots.len() || slots[i].state != want || seen[i] {
            return Err(corrupt(format!(
                "{what} lists slot {s}, which is out of range, repeated or in the wrong state"
            )));
        }
        seen[i] = true;
        out.push(s);
    }
    Ok(out)
}

fn write_selector(w: &mut Writer, selector: &Selector, engine: &ReplayEngine) {
    match selector {
        Selector::Uniform(u) => w.slots(u.items.items()),
        Selector::Prioritized(p) => w.slots(p.items().items()),
        Selector::Order(o) => w.slots(&o.order()),
        Selector::Heap(h) => {
            w.u64(h.update_count());
            for s in 0..engine.capacity {
                if engine.slots[s].state == LIVE {
                    w.u64(h.update_number(s as u32));
                }
            }
        }
    }
}

fn read_selector(r: &mut Reader, selector: &mut Selector, engine: &ReplayEngine, what: &str) -> Result<()> {
    let live = engine.size;
    match selector {
        Selector::Uniform(u) => {
            for s in read_permutation(r, what, &engine.slots, LIVE, live)? {
                u.insert(s);
            }
        }
        Selector::Prioritized(p) => {
            let order = read_permutation(r, what, &engine.slots, LIVE, live)?;
            p.restore(&order, |slot| engine.slots[slot as usize].priority);
        }
        Selector::Order(o) => {
            for s in read_permutation(r, what, &engine.slots, LIVE, live)? {
                o.insert(s);
            }
        }
        Selector::Heap(h) => {
            let count = r.u64(what)?;
            let mut numbers = Vec::with_capacity(live);
            for s in 0..engine.capacity {
                if engine.slots[s].state == LIVE {
                    let u = r.u64(what)?;
                    if u >= count {
                        return Err(corrupt(format!(
                            "{what}: update number {u} is not below the update count {count}"
                        )));
                    }
                    numbers.push(u);
                    h.restore_item(s as u32, engine.slots[s].priority, u);
                }
            }
            numbers.sort_unstable();
            if numbers.windows(2).any(|p| p[0] == p[1]) {
                return Err(corrupt(format!("{what}: two items share an update number")));
            }
            h.set_update_count(count);
        }
    }
    Ok(())
}

impl ReplayEngine {
    /// The engine's state as bytes. Items that left the table in the last sample call are freed
    /// first (their rows are no longer readable afterwards), exactly as the next call would.
    pub fn checkpoint(&mut self) -> Vec<u8> {
        self.flush_expired();
        let mut w = Writer(Vec::with_capacity(64 + 32 * self.capacity + self.memory_bytes() / 2));
        w.bytes(MAGIC);
        w.u32(FORMAT_VERSION);
        w.u64(0); // body length, patched below
        let config = self.config.encode();
        w.u64(config.len() as u64);
        for v in config {
            w.f64(v);
        }
        for s in self.rng.state() {
            w.u32(s);
        }
        for c in self.limiter.counters() {
            w.u64(c);
        }
        w.u64(self.size as u64);
        for slot in &self.slots {
            w.u64(slot.generation);
        }
        for slot in &self.slots {
            w.u8(slot.state);
        }
        for s in 0..self.capacity {
            if self.slots[s].state == LIVE {
                w.f64(self.slots[s].priority);
                w.u32(self.slots[s].times_sampled);
            }
        }
        w.slots(&self.free);
        write_selector(&mut w, &self.sampler, self);
        write_selector(&mut w, &self.remover, self);
        for s in 0..self.capacity {
            if self.slots[s].state == LIVE {
                for &v in self.f32_rows.row_or_empty(s) {
                    w.u32(v.to_bits());
                }
                for &v in self.i32_rows.row_or_empty(s) {
                    w.u32(v as u32);
                }
                w.bytes(self.u8_rows.row_or_empty(s));
                for &v in self.frame_refs.row_or_empty(s) {
                    w.u64(v);
                }
            }
        }
        if let Some(frames) = &self.frames {
            w.u64(frames.oldest());
            w.u64(frames.next_id());
            for (prev, bytes) in frames.stored() {
                w.u64(prev);
                w.bytes(bytes);
            }
        }
        let body = (w.0.len() - 20) as u64;
        w.0[12..20].copy_from_slice(&body.to_le_bytes());
        let crc = crc32(&w.0);
        w.u32(crc);
        w.0
    }

    /// Rebuilds an engine from [`ReplayEngine::checkpoint`] bytes, or explains what is wrong.
    pub fn restore(bytes: &[u8]) -> Result<ReplayEngine> {
        if bytes.len() < 24 || &bytes[..8] != MAGIC {
            return Err(ArgError::range(
                "checkpoint is not a replay engine checkpoint (magic bytes \"ACMERPLY\" missing)",
            ));
        }
        let mut r = Reader { bytes, at: 8 };
        let version = r.u32("format version")?;
        if version != FORMAT_VERSION {
            return Err(ArgError::range(format!(
                "checkpoint format version {version} is not supported (this build reads version {FORMAT_VERSION})"
            )));
        }
        let body = r.u64("body length")?;
        if body != (bytes.len() - 24) as u64 {
            return Err(ArgError::range(format!(
                "checkpoint is truncated or has trailing bytes: header says {body} body bytes, found {}",
                bytes.len() as i128 - 24
            )));
        }
        let stored = u32::from_le_bytes([
            bytes[bytes.len() - 4],
            bytes[bytes.len() - 3],
            bytes[bytes.len() - 2],
            bytes[bytes.len() - 1],
        ]);
        let computed = crc32(&bytes[..bytes.len() - 4]);
        if stored != computed {
            return Err(ArgError::range(format!(
                "checkpoint checksum mismatch (stored {stored:08x}, computed {computed:08x}): the bytes are corrupt"
            )));
        }
        let mut r = Reader { bytes: &bytes[..bytes.len() - 4], at: 20 };
        let n = r.count("config", 8)?;
        let mut encoded = Vec::with_capacity(n);
        for _ in 0..n {
            encoded.push(r.f64("config")?);
        }
        let config =
            EngineConfig::decode(&encoded).map_err(|e| corrupt(format!("its config is invalid: {}", e.message)))?;
        let capacity = config.max_size + 1;
        // Generations and states take 9 bytes per slot: check before allocating for them.
        if r.left() < 9 * capacity {
            return Err(ArgError::range(format!(
                "checkpoint is truncated: {capacity} slots need at least {} more bytes, only {} left",
                9 * capacity,
                r.left()
            )));
        }
        let mut e = ReplayEngine::from_config(config)?;
        let rng = [r.u32("rng")?, r.u32("rng")?, r.u32("rng")?, r.u32("rng")?];
        e.rng = crate::rng::Rng::from_state(rng).map_err(|err| corrupt(err.message))?;
        let (inserts, samples, deletes) = (r.u64("limiter")?, r.u64("limiter")?, r.u64("limiter")?);
        e.limiter.set_counters(inserts, samples, deletes).map_err(|err| corrupt(err.message))?;
        let size = r.u64("size")?;
        if size > e.config.max_size as u64 || inserts - deletes != size {
            return Err(corrupt(format!("size {size} disagrees with maxSize or with inserts - deletes")));
        }
        e.size = size as usize;
        let max_generation = (1u64 << (53 - e.slot_bits)) - 1;
        for s in 0..capacity {
            let g = r.u64("generations")?;
            if g > max_generation {
                return Err(corrupt(format!("slot {s} has generation {g}, above {max_generation}")));
            }
            e.slots[s].generation = g;
        }
        let mut live = 0;
        for s in 0..capacity {
            let state = r.u8("slot states")?;
            if state != FREE && state != LIVE {
                return Err(corrupt(format!("slot {s} has state {state}")));
            }
            live += (state == LIVE) as usize;
            e.slots[s].state = state;
        }
        if live != e.size {
            return Err(corrupt(format!("{live} live slots but size {}", e.size)));
        }
        let max = e.config.max_times_sampled;
        let mut priorities = Vec::with_capacity(live);
        for s in 0..capacity {
            if e.slots[s].state == LIVE {
                let p = r.f64("priorities")?;
                let t = r.u32("times sampled")?;
                if max > 0 && t >= max {
                    return Err(corrupt(format!("slot {s} was sampled {t} times, maxTimesSampled is {max}")));
                }
                e.slots[s].priority = p;
                e.slots[s].times_sampled = t;
                e.remaining_samples += if max > 0 { (max - t) as u64 } else { 0 };
                priorities.push(p);
            }
        }
        crate::engine::check_priorities_for(&priorities, &e.config).map_err(|err| corrupt(err.message))?;
        e.free = read_permutation(&mut r, "free slots", &e.slots, FREE, capacity - live)?;
        let mut sampler =
            std::mem::replace(&mut e.sampler, Selector::new(crate::selectors::SelectorSpec::Fifo, 0, false));
        read_selector(&mut r, &mut sampler, &e, "sampler order")?;
        e.sampler = sampler;
        let mut remover =
            std::mem::replace(&mut e.remover, Selector::new(crate::selectors::SelectorSpec::Fifo, 0, false));
        read_selector(&mut r, &mut remover, &e, "remover order")?;
        e.remover = remover;
        let layout = e.config.layout.clone();
        let mut refs = Vec::new();
        for s in 0..capacity {
            if e.slots[s].state != LIVE {
                continue;
            }
            if layout.f32_row > 0 {
                e.f32_rows.ensure(s);
                for v in e.f32_rows.row_mut(s) {
                    *v = f32::from_bits(r.u32("float32 rows")?);
                }
            }
            if layout.i32_row > 0 {
                e.i32_rows.ensure(s);
                for v in e.i32_rows.row_mut(s) {
                    *v = r.u32("int32 rows")? as i32;
                }
            }
            if layout.u8_row > 0 {
                let src = r.take(layout.u8_row, "uint8 rows")?;
                e.u8_rows.ensure(s);
                e.u8_rows.row_mut(s).copy_from_slice(src);
            }
            for _ in 0..layout.stack_columns {
                refs.push((s, r.u64("frame ids")?));
            }
        }
        if let Some(frames) = &mut e.frames {
            restore_frames(&mut r, frames)?;
        }
        if layout.stack_columns > 0 {
            let frames = e.frames.as_ref().expect("frame-stack columns imply frames");
            for chunk in refs.chunks(layout.stack_columns) {
                let s = chunk[0].0;
                let mut oldest = u64::MAX;
                e.frame_refs.ensure(s);
                for (j, &(_, id)) in chunk.iter().enumerate() {
                    let what = || format!("slot {s}");
                    if !frames.is_stored(id) {
                        return Err(corrupt(format!("slot {s} refers to frame {id}, which is not stored")));
                    }
                    oldest = oldest.min(frames.stack_oldest(id, &what).map_err(|err| corrupt(err.message))?);
                    e.frame_refs.row_mut(s)[j] = id;
                }
                e.stack_oldest[s] = oldest;
                let key = e.key_of(s as u32);
                e.evictions.push(Reverse((oldest, key)));
            }
        }
        if r.left() != 0 {
            return Err(corrupt(format!("{} unread bytes at the end of the body", r.left())));
        }
        debug_assert!(e.slots.iter().all(|s| s.state != EXPIRED));
        Ok(e)
    }
}

fn restore_frames(r: &mut Reader, frames: &mut FrameRing) -> Result<()> {
    let oldest = r.u64("frame ring")?;
    let next = r.u64("frame ring")?;
    if oldest > next || next - oldest > frames.capacity() as u64 || next > 1 << 53 {
        return Err(corrupt(format!(
            "frame ring range [{oldest}, {next}) does not fit its capacity {}",
            frames.capacity()
        )));
    }
    frames.reset_to(oldest);
    for id in oldest..next {
        let prev = r.u64("frames")?;
        // A link may point below `oldest` (that frame left the ring); items using it were evicted.
        if prev != NONE && prev >= id {
            return Err(corrupt(format!("frame {id} links to frame {prev}, which is not older")));
        }
        let bytes = r.take(frames.frame_size(), "frames")?;
        frames.push(bytes, FrameRing::encode_previous(prev));
    }
    Ok(())
}
