//! Deduplicated frame storage for pixel observations (Atari): each frame is stored once in a ring
//! and items refer to frames by id; a stack of the last `stack` frames of an episode is rebuilt
//! when a batch is gathered. A 4-stack of 84x84 frames then costs one 7 KB frame per transition
//! instead of two 28 KB stacks (observation and next observation).
//!
//! Every frame records the id of the frame before it in its episode (or none at an episode
//! start), so frames of several interleaved actors can share one ring. Where an episode has fewer
//! than `stack` frames, the missing older frames are zeros (`Padding::Zero`, what Acme's
//! `FrameStacker` and Stable-Baselines3's `VecFrameStack` produce after a reset) or copies of the
//! episode's first frame (`Padding::First`, Gymnasium's `FrameStackObservation` with
//! `padding_type="reset"`).
//!
//! Frame ids grow forever; the ring keeps the newest `capacity` of them. When a frame falls out,
//! the engine evicts every item whose stacks reach it, so no item can ever gather an overwritten
//! frame.

use acme_common::{ArgError, Js, Result};

const NO_FRAME: u64 = u64::MAX;
/// Frames per allocation: memory grows with use, and no reallocation ever copies old frames.
const CHUNK_FRAMES: usize = 256;
/// Longest stack accepted.
pub const MAX_STACK: usize = 64;
/// Largest frame ring, in frames (ids stay far below 2^53 for any realistic run).
pub const MAX_FRAMES: usize = 1 << 31;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    Zero,
    First,
}

/// Where the stack axis goes in a gathered stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackAxis {
    /// `[...frame, stack]` (height, width, stack): Acme's layout, channels-last for TF.js convs.
    Last,
    /// `[stack, ...frame]`: each frame contiguous.
    First,
}

#[derive(Clone, Debug, PartialEq)]
struct Chunk {
    bytes: Vec<u8>,
    prev: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FrameRing {
    frame_size: usize,
    capacity: usize,
    stack: usize,
    padding: Padding,
    axis: StackAxis,
    chunks: Vec<Option<Chunk>>,
    /// Ids in [oldest, next) are stored.
    oldest: u64,
    next: u64,
    zeros: Vec<u8>,
}

impl FrameRing {
    pub fn new(frame_size: usize, capacity: usize, stack: usize, padding: Padding, axis: StackAxis) -> Result<Self> {
        if stack == 0 || stack > MAX_STACK {
            return Err(ArgError::range(format!("frames.stack must be an integer in [1, {MAX_STACK}], got {stack}")));
        }
        if frame_size == 0 || frame_size * stack > crate::columns::MAX_COLUMN_SIZE {
            return Err(ArgError::range(format!(
                "frames.frameSize must be an integer in [1, {}], got {frame_size}",
                crate::columns::MAX_COLUMN_SIZE / stack
            )));
        }
        if capacity == 0 || capacity > MAX_FRAMES {
            return Err(ArgError::range(format!(
                "frames.capacity must be an integer in [1, {MAX_FRAMES}], got {capacity}"
            )));
        }
        let chunks = (capacity + CHUNK_FRAMES - 1) / CHUNK_FRAMES;
        Ok(FrameRing {
            frame_size,
            capacity,
            stack,
            padding,
            axis,
            chunks: vec![None; chunks],
            oldest: 0,
            next: 0,
            zeros: vec![0; frame_size],
        })
    }

    pub fn frame_size(&self) -> usize {
        self.frame_size
    }
    pub fn capacity(&self) -> usize {
        self.capacity
    }
    pub fn stack(&self) -> usize {
        self.stack
    }
    pub fn padding(&self) -> Padding {
        self.padding
    }
    pub fn axis(&self) -> StackAxis {
        self.axis
    }
    /// Bytes of one gathered stack.
    pub fn stack_size(&self) -> usize {
        self.frame_size * self.stack
    }
    pub fn oldest(&self) -> u64 {
        self.oldest
    }
    pub fn next_id(&self) -> u64 {
        self.next
    }

    #[inline]
    pub fn is_stored(&self, id: u64) -> bool {
        id >= self.oldest && id < self.next
    }

    #[inline]
    fn locate(&self, id: u64) -> (usize, usize) {
        let pos = (id % self.capacity as u64) as usize;
        (pos / CHUNK_FRAMES, pos % CHUNK_FRAMES)
    }

    #[inline]
    fn frame(&self, id: u64) -> &[u8] {
        let (c, i) = self.locate(id);
        let chunk = self.chunks[c].as_ref().expect("a stored frame's chunk is allocated");
        &chunk.bytes[i * self.frame_size..(i + 1) * self.frame_size]
    }

    #[inline]
    fn prev(&self, id: u64) -> u64 {
        let (c, i) = self.locate(id);
        self.chunks[c].as_ref().expect("a stored frame's chunk is allocated").prev[i]
    }

    /// Checks an `addFrame` call without changing anything: the frame's length, and that
    /// `previous` is -1 (episode start) or a stored frame id.
    pub fn check_add(&self, frame: &[u8], previous: f64) -> Result<Option<u64>> {
        ArgError::check_len("frame", frame.len(), self.frame_size)?;
        if previous == -1.0 {
            return Ok(None);
        }
        if !(previous.fract() == 0.0 && previous >= self.oldest as f64 && previous < self.next as f64) {
            return Err(ArgError::range(format!(
                "previous must be -1 (episode start) or a stored frame id in [{}, {}), got {}",
                self.oldest,
                self.next,
                Js(previous)
            )));
        }
        Ok(Some(previous as u64))
    }

    /// Stores a frame checked by [`FrameRing::check_add`]; returns its id. The caller must evict
    /// items referring to frames below the new [`FrameRing::oldest`].
    pub fn push(&mut self, frame: &[u8], previous: Option<u64>) -> u64 {
        let id = self.next;
        let (c, i) = self.locate(id);
        let fs = self.frame_size;
        let chunk = self.chunks[c]
            .get_or_insert_with(|| Chunk { bytes: vec![0; CHUNK_FRAMES * fs], prev: vec![NO_FRAME; CHUNK_FRAMES] });
        chunk.bytes[i * fs..(i + 1) * fs].copy_from_slice(frame);
        chunk.prev[i] = previous.unwrap_or(NO_FRAME);
        self.next += 1;
        if self.next - self.oldest > self.capacity as u64 {
            self.oldest = self.next - self.capacity as u64;
        }
        id
    }

    /// Checks a frame id given by the caller for an item.
    pub fn check_id(&self, id: f64, what: &dyn Fn() -> String) -> Result<u64> {
        if !(id.fract() == 0.0 && id >= self.oldest as f64 && id < self.next as f64) {
            return Err(ArgError::range(format!(
                "{} must be a stored frame id in [{}, {}), got {id}",
                what(),
                self.oldest,
                self.next
            )));
        }
        Ok(id as u64)
    }

    /// The oldest frame the stack ending at `id` uses, or an error when part of that stack has
    /// already left the ring (the item could not be gathered faithfully).
    pub fn stack_oldest(&self, id: u64, what: &dyn Fn() -> String) -> Result<u64> {
        let mut cur = id;
        for _ in 1..self.stack {
            let p = self.prev(cur);
            if p == NO_FRAME {
                break;
            }
            if !self.is_stored(p) {
                return Err(ArgError::range(format!(
                    "{}: the stack ending at frame {id} needs frame {p}, which is no longer stored (oldest is {})",
                    what(),
                    self.oldest
                )));
            }
            cur = p;
        }
        Ok(cur)
    }

    /// Writes the stack ending at stored frame `id` into `out` (`stack_size()` bytes), oldest
    /// frame first along the stack axis.
    pub fn write_stack(&self, id: u64, out: &mut [u8]) {
        let stack = self.stack;
        let mut frames: [&[u8]; MAX_STACK] = [&[]; MAX_STACK];
        frames[stack - 1] = self.frame(id);
        let mut cur = id;
        let mut k = stack - 1;
        while k > 0 {
            let p = self.prev(cur);
            if p == NO_FRAME {
                break;
            }
            k -= 1;
            frames[k] = self.frame(p);
            cur = p;
        }
        // frames[k..] are real; frames[..k] are padding.
        let pad: &[u8] = match self.padding {
            Padding::Zero => &self.zeros,
            Padding::First => frames[k],
        };
        for f in frames.iter_mut().take(k) {
            *f = pad;
        }
        let frames = &frames[..stack];
        match self.axis {
            StackAxis::First => {
                for (dst, src) in out.chunks_exact_mut(self.frame_size).zip(frames) {
                    dst.copy_from_slice(src);
                }
            }
            StackAxis::Last => interleave(frames, out),
        }
    }

    /// Forgets every frame (ids keep growing, so old ids never become valid again).
    pub fn clear(&mut self) {
        self.oldest = self.next;
    }

    pub fn memory_bytes(&self) -> usize {
        self.chunks.capacity() * std::mem::size_of::<Option<Chunk>>()
            + self.chunks.iter().flatten().map(|c| c.bytes.capacity() + 8 * c.prev.capacity()).sum::<usize>()
            + self.zeros.capacity()
    }

    /// For checkpoints: the stored frames' previous ids and bytes, oldest first.
    pub fn stored(&self) -> impl Iterator<Item = (u64, &[u8])> + '_ {
        (self.oldest..self.next).map(move |id| (self.prev(id), self.frame(id)))
    }

    /// Checkpoint restore: an empty ring whose next id is `oldest`, to be filled with
    /// [`FrameRing::push`].
    pub fn reset_to(&mut self, oldest: u64) {
        self.oldest = oldest;
        self.next = oldest;
    }

    pub fn encode_previous(previous: u64) -> Option<u64> {
        if previous == NO_FRAME {
            None
        } else {
            Some(previous)
        }
    }
}

/// out[p * n + k] = frames[k][p]: the stack on the last axis. The 4-frame case (Atari) has an
/// SSE2 path on x86-64 (part of its baseline, so no runtime check), four times faster than the
/// scalar loop the compiler does not vectorise.
fn interleave(frames: &[&[u8]], out: &mut [u8]) {
    if frames.len() == 4 {
        let (a, b, c, d) = (frames[0], frames[1], frames[2], frames[3]);
        let n = a.len();
        let (b, c, d) = (&b[..n], &c[..n], &d[..n]);
        let out = &mut out[..4 * n];
        #[cfg(target_arch = "x86_64")]
        let start = interleave4_sse2(a, b, c, d, out);
        #[cfg(not(target_arch = "x86_64"))]
        let start = 0;
        for p in start..n {
            let v = u32::from_le_bytes([a[p], b[p], c[p], d[p]]);
            out[4 * p..4 * p + 4].copy_from_slice(&v.to_le_bytes());
        }
        return;
    }
    let n = frames.len();
    for (k, f) in frames.iter().enumerate() {
        for (p, &v) in f.iter().enumerate() {
            out[p * n + k] = v;
        }
    }
}

/// Interleaves the first multiple of 16 pixels of four planes; returns how many it wrote.
#[cfg(target_arch = "x86_64")]
fn interleave4_sse2(a: &[u8], b: &[u8], c: &[u8], d: &[u8], out: &mut [u8]) -> usize {
    use std::arch::x86_64::*;
    let n = a.len() / 16 * 16;
    assert!(b.len() >= n && c.len() >= n && d.len() >= n && out.len() >= 4 * n);
    let mut p = 0;
    while p < n {
        // SAFETY: p + 16 <= n bounds every load (checked above), 4p + 64 <= 4n every store; the
        // unaligned load/store intrinsics accept any address; SSE2 is always present on x86-64.
        unsafe {
            let va = _mm_loadu_si128(a.as_ptr().add(p) as *const __m128i);
            let vb = _mm_loadu_si128(b.as_ptr().add(p) as *const __m128i);
            let vc = _mm_loadu_si128(c.as_ptr().add(p) as *const __m128i);
            let vd = _mm_loadu_si128(d.as_ptr().add(p) as *const __m128i);
            let ab_lo = _mm_unpacklo_epi8(va, vb);
            let ab_hi = _mm_unpackhi_epi8(va, vb);
            let cd_lo = _mm_unpacklo_epi8(vc, vd);
            let cd_hi = _mm_unpackhi_epi8(vc, vd);
            let o = out.as_mut_ptr().add(4 * p) as *mut __m128i;
            _mm_storeu_si128(o, _mm_unpacklo_epi16(ab_lo, cd_lo));
            _mm_storeu_si128(o.add(1), _mm_unpackhi_epi16(ab_lo, cd_lo));
            _mm_storeu_si128(o.add(2), _mm_unpacklo_epi16(ab_hi, cd_hi));
            _mm_storeu_si128(o.add(3), _mm_unpackhi_epi16(ab_hi, cd_hi));
        }
        p += 16;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(v: u8, size: usize) -> Vec<u8> {
        (0..size).map(|p| v.wrapping_mul(10).wrapping_add(p as u8)).collect()
    }

    #[test]
    fn stacks_follow_episode_links_and_pad() {
        for padding in [Padding::Zero, Padding::First] {
            let mut r = FrameRing::new(3, 16, 4, padding, StackAxis::First).unwrap();
            let a0 = r.push(&frame(1, 3), None);
            let b0 = r.push(&frame(2, 3), None); // another actor's episode interleaved
            let a1 = r.push(&frame(3, 3), Some(a0));
            let b1 = r.push(&frame(4, 3), Some(b0));
            let a2 = r.push(&frame(5, 3), Some(a1));
            let mut out = vec![9u8; 12];
            r.write_stack(a2, &mut out);
            let pad = if padding == Padding::Zero { vec![0, 0, 0] } else { frame(1, 3) };
            let want: Vec<u8> = [pad, frame(1, 3), frame(3, 3), frame(5, 3)].concat();
            assert_eq!(out, want);
            r.write_stack(b1, &mut out);
            let pad = if padding == Padding::Zero { vec![0, 0, 0] } else { frame(2, 3) };
            assert_eq!(out, [pad.clone(), pad, frame(2, 3), frame(4, 3)].concat());
            assert_eq!(r.stack_oldest(a2, &|| "x".into()).unwrap(), a0);
        }
    }

    #[test]
    fn last_axis_interleaves_for_any_depth_and_size() {
        for stack in [2usize, 4, 5] {
            for size in [3usize, 16, 37, 7056] {
                let mut r = FrameRing::new(size, 8, stack, Padding::Zero, StackAxis::Last).unwrap();
                let mut prev = None;
                for v in 0..stack as u8 {
                    prev = Some(r.push(&frame(v + 1, size), prev));
                }
                let mut out = vec![0u8; size * stack];
                r.write_stack(prev.unwrap(), &mut out);
                let frames: Vec<Vec<u8>> = (0..stack).map(|k| frame(k as u8 + 1, size)).collect();
                for p in 0..size {
                    for k in 0..stack {
                        assert_eq!(out[p * stack + k], frames[k][p], "stack {stack} size {size}");
                    }
                }
            }
        }
    }

    #[test]
    fn ring_forgets_the_oldest_and_checks_ids() {
        let mut r = FrameRing::new(2, 3, 2, Padding::Zero, StackAxis::First).unwrap();
        let mut prev = None;
        for v in 0..5 {
            prev = Some(r.push(&[v, v], prev));
        }
        assert_eq!((r.oldest(), r.next_id()), (2, 5));
        assert!(r.check_add(&[0, 0], 1.0).is_err());
        assert!(r.check_add(&[0, 0], 2.0).is_ok());
        assert_eq!(r.check_add(&[0], -1.0).unwrap_err().message, "frame must have length 2, got 1");
        assert!(r.check_id(5.0, &|| "frames[0]".into()).unwrap_err().message.starts_with("frames[0] must be a stored"));
        // Frame 2's stack reaches frame 1, which is gone.
        assert!(r.stack_oldest(2, &|| "frames[0]".into()).is_err());
        assert_eq!(r.stack_oldest(3, &|| "x".into()).unwrap(), 2);
        r.clear();
        assert!(!r.is_stored(4));
        assert!(FrameRing::new(0, 3, 2, Padding::Zero, StackAxis::First).is_err());
        assert!(FrameRing::new(2, 0, 2, Padding::Zero, StackAxis::First).is_err());
        assert!(FrameRing::new(2, 3, 0, Padding::Zero, StackAxis::First).is_err());
    }
}
