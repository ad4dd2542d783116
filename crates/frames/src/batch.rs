//! `FramePreprocessorBatch`: N environments' frames per call (vectorised environments). Frames of
//! all environments lie back to back in one buffer; one pipeline (tables and scratch) serves all.

use crate::kernels::Kernels;
use crate::options::{FrameOptions, ResetFill};
use crate::pipeline::Pipeline;
use crate::preprocessor::check_step;
use crate::stack::FrameStack;
use acme_common::{ArgError, Result};

/// Largest accepted number of environments.
pub const MAX_ENVS: usize = 4096;

pub struct FramePreprocessorBatch {
    pipeline: Pipeline,
    stacks: Vec<FrameStack>,
}

impl FramePreprocessorBatch {
    pub fn new(num_envs: usize, options: &FrameOptions) -> Result<Self> {
        Self::with_kernels(num_envs, options, Kernels::best())
    }

    pub(crate) fn with_kernels(num_envs: usize, options: &FrameOptions, kernels: Kernels) -> Result<Self> {
        if num_envs == 0 || num_envs > MAX_ENVS {
            return Err(ArgError::range(format!("numEnvs must be an integer in [1, {MAX_ENVS}], got {num_envs}")));
        }
        options.validate()?;
        options.check_memory("numEnvs", num_envs, num_envs)?;
        Ok(FramePreprocessorBatch {
            pipeline: Pipeline::new(options, kernels),
            stacks: (0..num_envs).map(|_| FrameStack::new(options.processed_len(), options.stack)).collect(),
        })
    }

    pub fn options(&self) -> &FrameOptions {
        &self.pipeline.options
    }

    pub fn num_envs(&self) -> usize {
        self.stacks.len()
    }

    pub fn kernel_name(&self) -> &'static str {
        self.pipeline.kernel_name()
    }

    pub fn heap_bytes(&self) -> usize {
        self.pipeline.heap_bytes() + self.stacks.iter().map(FrameStack::heap_bytes).sum::<usize>()
    }

    fn check_mask(&self, name: &str, mask: Option<&[u8]>) -> Result<()> {
        match mask {
            Some(m) => ArgError::check_len(name, m.len(), self.num_envs()),
            None => Ok(()),
        }
    }

    /// Resets every environment whose `mask` byte is non-zero (all when `mask` is `None`) from its
    /// frame in `frames` (`numEnvs` frames back to back); the others are left as they are.
    pub fn reset(&mut self, frames: &[u8], mask: Option<&[u8]>) -> Result<()> {
        let len = self.options().frame_len();
        ArgError::check_len("frames", frames.len(), len * self.num_envs())?;
        self.check_mask("mask", mask)?;
        let fill = self.options().reset_fill;
        for (i, frame) in frames.chunks_exact(len).enumerate() {
            if mask.map_or(true, |m| m[i] != 0) {
                reset_one(&mut self.pipeline, &mut self.stacks[i], frame, fill);
            }
        }
        Ok(())
    }

    /// Steps every environment; those whose `reset_mask` byte is non-zero are reset from their
    /// `latest` frame instead (an auto-resetting vector environment returns the first frame of the
    /// next episode in place of the last one).
    pub fn step(&mut self, previous: Option<&[u8]>, latest: &[u8], reset_mask: Option<&[u8]>) -> Result<()> {
        self.check_step(previous, latest, reset_mask)?;
        for i in 0..self.num_envs() {
            self.step_env(i, previous, latest, reset_mask);
        }
        Ok(())
    }

    /// `step`, then `read_u8`, one environment at a time, so that each observation is read out
    /// while its frames are still in cache (with many environments they are not by the end of a
    /// whole `step`).
    pub fn step_read_u8(
        &mut self,
        previous: Option<&[u8]>,
        latest: &[u8],
        reset_mask: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<()> {
        let kernels = self.pipeline.kernels();
        self.step_read(previous, latest, reset_mask, out, |stack, chunk| stack.read_u8(&kernels, chunk))
    }

    /// `step`, then `read_f32`, one environment at a time (see `step_read_u8`).
    pub fn step_read_f32(
        &mut self,
        previous: Option<&[u8]>,
        latest: &[u8],
        reset_mask: Option<&[u8]>,
        out: &mut [f32],
    ) -> Result<()> {
        self.step_read(previous, latest, reset_mask, out, FrameStack::read_f32)
    }

    fn step_read<T>(
        &mut self,
        previous: Option<&[u8]>,
        latest: &[u8],
        reset_mask: Option<&[u8]>,
        out: &mut [T],
        read: impl Fn(&FrameStack, &mut [T]),
    ) -> Result<()> {
        // Every argument is checked before anything is written.
        self.check_step(previous, latest, reset_mask)?;
        let len = self.options().observation_len();
        ArgError::check_len("out", out.len(), len * self.num_envs())?;
        for (i, chunk) in out.chunks_exact_mut(len).enumerate() {
            self.step_env(i, previous, latest, reset_mask);
            read(&self.stacks[i], chunk);
        }
        Ok(())
    }

    fn check_step(&self, previous: Option<&[u8]>, latest: &[u8], reset_mask: Option<&[u8]>) -> Result<()> {
        check_step(self.options(), previous, latest, self.num_envs())?;
        self.check_mask("resetMask", reset_mask)
    }

    /// Environment `i` of a checked `step`.
    fn step_env(&mut self, i: usize, previous: Option<&[u8]>, latest: &[u8], reset_mask: Option<&[u8]>) {
        let (len, fill) = (self.options().frame_len(), self.options().reset_fill);
        let frame = &latest[i * len..(i + 1) * len];
        let stack = &mut self.stacks[i];
        if reset_mask.map_or(false, |m| m[i] != 0) {
            reset_one(&mut self.pipeline, stack, frame, fill);
        } else {
            let prev = previous.map(|p| &p[i * len..(i + 1) * len]);
            self.pipeline.process(prev, frame, stack.next_slot());
            stack.commit_push();
        }
    }

    /// Writes every environment's stacked observation, back to back.
    pub fn read_u8(&self, out: &mut [u8]) -> Result<()> {
        let len = self.options().observation_len();
        ArgError::check_len("out", out.len(), len * self.num_envs())?;
        let kernels = self.pipeline.kernels();
        for (stack, chunk) in self.stacks.iter().zip(out.chunks_exact_mut(len)) {
            stack.read_u8(&kernels, chunk);
        }
        Ok(())
    }

    pub fn read_f32(&self, out: &mut [f32]) -> Result<()> {
        let len = self.options().observation_len();
        ArgError::check_len("out", out.len(), len * self.num_envs())?;
        for (stack, chunk) in self.stacks.iter().zip(out.chunks_exact_mut(len)) {
            stack.read_f32(chunk);
        }
        Ok(())
    }
}

fn reset_one(pipeline: &mut Pipeline, stack: &mut FrameStack, frame: &[u8], fill: ResetFill) {
    pipeline.process(None, frame, stack.next_slot());
    stack.commit_push();
    stack.fill_others(fill);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preprocessor::FramePreprocessor;

    #[test]
    fn equals_one_preprocessor_per_environment() {
        let o = FrameOptions { height: 50, width: 40, out_height: 21, out_width: 17, ..FrameOptions::default() };
        let (n, len) = (3, o.frame_len());
        let mut seed = 1u32;
        let mut bytes = |count: usize| -> Vec<u8> {
            (0..count)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect()
        };
        let mut batch = FramePreprocessorBatch::new(n, &o).unwrap();
        // Steps with the read fused in, and must agree with `batch` after every step.
        let mut fused = FramePreprocessorBatch::new(n, &o).unwrap();
        let obs = o.observation_len();
        let (mut want, mut got) = (vec![0u8; n * obs], vec![0u8; n * obs]);
        let (mut want_f, mut got_f) = (vec![0f32; n * obs], vec![0f32; n * obs]);
        let mut singles: Vec<_> = (0..n).map(|_| FramePreprocessor::new(&o).unwrap()).collect();
        let first = bytes(n * len);
        batch.reset(&first, None).unwrap();
        fused.reset(&first, None).unwrap();
        for (i, s) in singles.iter_mut().enumerate() {
            s.reset(&first[i * len..(i + 1) * len]).unwrap();
        }
        for t in 0..4 {
            let (prev, latest) = (bytes(n * len), bytes(n * len));
            let mask = [0, u8::from(t == 2), 0];
            batch.step(Some(&prev), &latest, Some(&mask)).unwrap();
            if t % 2 == 0 {
                fused.step_read_u8(Some(&prev), &latest, Some(&mask), &mut got).unwrap();
                batch.read_u8(&mut want).unwrap();
                assert_eq!(got, want, "step {t}");
            } else {
                fused.step_read_f32(Some(&prev), &latest, Some(&mask), &mut got_f).unwrap();
                batch.read_f32(&mut want_f).unwrap();
                assert_eq!(got_f, want_f, "step {t}");
            }
            for (i, s) in singles.iter_mut().enumerate() {
                let frame = &latest[i * len..(i + 1) * len];
                if mask[i] != 0 {
                    s.reset(frame).unwrap();
                } else {
                    s.step(Some(&prev[i * len..(i + 1) * len]), frame).unwrap();
                }
            }
        }
        let mut all = vec![0u8; n * obs];
        batch.read_u8(&mut all).unwrap();
        let mut all_f = vec![0f32; n * obs];
        batch.read_f32(&mut all_f).unwrap();
        for (i, s) in singles.iter().enumerate() {
            let mut one = vec![0u8; obs];
            s.read_u8(&mut one).unwrap();
            assert_eq!(&all[i * obs..(i + 1) * obs], &one[..], "env {i}");
            let mut one_f = vec![0f32; obs];
            s.read_f32(&mut one_f).unwrap();
            assert_eq!(&all_f[i * obs..(i + 1) * obs], &one_f[..], "env {i}");
        }
    }

    #[test]
    fn refuses_bad_sizes_and_masks() {
        let o = FrameOptions::default();
        assert_eq!(
            FramePreprocessorBatch::new(0, &o).err().unwrap().message,
            "numEnvs must be an integer in [1, 4096], got 0"
        );
        let mut b = FramePreprocessorBatch::new(2, &o).unwrap();
        let frames = vec![0u8; 2 * o.frame_len()];
        assert_eq!(b.reset(&frames[1..], None).unwrap_err().message, "frames must have length 201600, got 201599");
        assert_eq!(b.reset(&frames, Some(&[1])).unwrap_err().message, "mask must have length 2, got 1");
        assert_eq!(
            b.step(Some(&frames), &frames, Some(&[1, 0, 0])).unwrap_err().message,
            "resetMask must have length 2, got 3"
        );
        assert_eq!(
            b.step(Some(&frames), &frames[..10], None).unwrap_err().message,
            "latest must have length 201600, got 10"
        );
        // A fused step with a bad `out` steps nothing.
        b.reset(&frames, None).unwrap();
        let mut before = vec![0u8; 2 * o.observation_len()];
        b.read_u8(&mut before).unwrap();
        let ones = vec![1u8; 2 * o.frame_len()];
        let mut short = vec![0u8; 5];
        assert_eq!(
            b.step_read_u8(Some(&ones), &ones, None, &mut short).unwrap_err().message,
            "out must have length 56448, got 5"
        );
        let mut after = vec![0u8; 2 * o.observation_len()];
        b.read_u8(&mut after).unwrap();
        assert_eq!(before, after);
    }
}
