//! The last `k` processed frames, kept as a ring of `k` slots (pushing a frame overwrites the oldest
//! slot, nothing moves), read out interleaved on a new last axis, oldest first: `[..., i]` is frame
//! `t - k + 1 + i`. That is Acme's `FrameStacker` layout (and tfjs' NHWC channels).

use crate::kernels::Kernels;
use crate::options::ResetFill;

pub struct FrameStack {
    frame_len: usize,
    depth: usize,
    slots: Vec<u8>,
    /// Slot holding the newest frame.
    newest: usize,
}

impl FrameStack {
    /// Starts as if reset with zeros.
    pub fn new(frame_len: usize, depth: usize) -> Self {
        FrameStack { frame_len, depth, slots: vec![0; frame_len * depth], newest: depth - 1 }
    }

    pub fn heap_bytes(&self) -> usize {
        self.slots.len()
    }

    /// The slot the next frame goes into (the oldest one). `commit_push` makes it the newest.
    pub fn next_slot(&mut self) -> &mut [u8] {
        let i = (self.newest + 1) % self.depth;
        &mut self.slots[i * self.frame_len..(i + 1) * self.frame_len]
    }

    pub fn commit_push(&mut self) {
        self.newest = (self.newest + 1) % self.depth;
    }

    /// After a push: make the other slots zeros or copies of the newest frame.
    pub fn fill_others(&mut self, fill: ResetFill) {
        let (n, len) = (self.newest, self.frame_len);
        for i in (0..self.depth).filter(|&i| i != n) {
            match fill {
                ResetFill::Zeros => self.slots[i * len..(i + 1) * len].fill(0),
                ResetFill::First => self.slots.copy_within(n * len..(n + 1) * len, i * len),
            }
        }
    }

    fn slot(&self, age_index: usize) -> &[u8] {
        // age_index 0 is the oldest.
        let i = (self.newest + 1 + age_index) % self.depth;
        &self.slots[i * self.frame_len..(i + 1) * self.frame_len]
    }

    /// `out[e * k + i] = frame i (oldest first)[e]`; `out.len()` must be `frame_len * k`.
    pub fn read_u8(&self, kernels: &Kernels, out: &mut [u8]) {
        let k = self.depth;
        debug_assert_eq!(out.len(), self.frame_len * k);
        match k {
            1 => out.copy_from_slice(self.slot(0)),
            4 => (kernels.interleave4)([self.slot(0), self.slot(1), self.slot(2), self.slot(3)], out),
            _ => {
                for i in 0..k {
                    for (o, &v) in out[i..].iter_mut().step_by(k).zip(self.slot(i)) {
                        *o = v;
                    }
                }
            }
        }
    }

    /// As `read_u8`, scaled to [0, 1] by a float32 division by 255 (the correctly rounded quotient,
    /// what numpy's `x / 255.0` then a cast to float32 gives).
    pub fn read_f32(&self, out: &mut [f32]) {
        let k = self.depth;
        debug_assert_eq!(out.len(), self.frame_len * k);
        for i in 0..k {
            for (o, &v) in out[i..].iter_mut().step_by(k).zip(self.slot(i)) {
                *o = v as f32 / 255.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(s: &mut FrameStack, value: u8) {
        s.next_slot().fill(value);
        s.commit_push();
    }

    #[test]
    fn reads_oldest_first_interleaved_for_every_depth() {
        for kernels in Kernels::available() {
            for k in [1, 2, 3, 4, 5] {
                let mut s = FrameStack::new(3, k);
                for v in 1..=6u8 {
                    push(&mut s, v);
                }
                let mut out = vec![0u8; 3 * k];
                s.read_u8(&kernels, &mut out);
                let newest_first: Vec<u8> = (7 - k as u8..=6).collect();
                for e in 0..3 {
                    assert_eq!(&out[e * k..(e + 1) * k], &newest_first[..], "k={k} {}", kernels.name);
                }
            }
        }
    }

    #[test]
    fn interleaves_long_frames_with_simd() {
        for kernels in Kernels::available() {
            let len = 7056;
            let mut s = FrameStack::new(len, 4);
            for f in 0..4u8 {
                for (e, v) in s.next_slot().iter_mut().enumerate() {
                    *v = (e as u8).wrapping_mul(3).wrapping_add(f * 50);
                }
                s.commit_push();
            }
            let mut out = vec![0u8; 4 * len];
            s.read_u8(&kernels, &mut out);
            for e in 0..len {
                for f in 0..4u8 {
                    assert_eq!(out[4 * e + f as usize], (e as u8).wrapping_mul(3).wrapping_add(f * 50));
                }
            }
        }
    }

    #[test]
    fn fills_on_reset_and_scales_floats() {
        let mut s = FrameStack::new(2, 3);
        push(&mut s, 9);
        push(&mut s, 51);
        s.fill_others(ResetFill::First);
        let mut f = vec![0f32; 6];
        s.read_f32(&mut f);
        assert_eq!(f, vec![0.2; 6]);
        s.fill_others(ResetFill::Zeros);
        s.read_f32(&mut f);
        assert_eq!(f, vec![0.0, 0.0, 0.2, 0.0, 0.0, 0.2]);
    }
}
