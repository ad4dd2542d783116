//! What a preprocessor is built for, checked once at construction so that the hot path needs no checks
//! beyond buffer lengths. Argument names in messages are the TypeScript option names.

use acme_common::{ArgError, Result};

/// Largest accepted input side: far above any emulator screen, small enough that every index fits u32.
pub const MAX_SIDE: usize = 8192;
/// Largest accepted stack depth.
pub const MAX_STACK: usize = 64;

/// What fills the stack on `reset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetFill {
    /// `k - 1` zero frames, then the first frame (Acme's `FrameStacker`, SB3's `VecFrameStack`).
    Zeros,
    /// `k` copies of the first frame (OpenAI baselines' `FrameStack`, Gymnasium's default padding).
    First,
}

impl ResetFill {
    /// The wire code the bindings use: 0 = zeros, 1 = first.
    pub fn from_code(code: u32) -> Result<Self> {
        match code {
            0 => Ok(ResetFill::Zeros),
            1 => Ok(ResetFill::First),
            _ => Err(ArgError::range(format!("resetFill must be 0 (zeros) or 1 (first), got {code}"))),
        }
    }
}

/// The shape of the pipeline: input frames `height x width x 3` (RGB, uint8, HWC), output frames
/// `out_height x out_width` (x3 without grayscaling), `stack` of them interleaved on the last axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameOptions {
    pub height: usize,
    pub width: usize,
    pub out_height: usize,
    pub out_width: usize,
    pub grayscale: bool,
    pub pooled_frames: usize,
    pub stack: usize,
    pub reset_fill: ResetFill,
}

impl Default for FrameOptions {
    /// The DQN (Nature) pipeline on ALE screens: 210x160 RGB -> 84x84 gray, max of 2, stack of 4.
    fn default() -> Self {
        FrameOptions {
            height: 210,
            width: 160,
            out_height: 84,
            out_width: 84,
            grayscale: true,
            pooled_frames: 2,
            stack: 4,
            reset_fill: ResetFill::Zeros,
        }
    }
}

fn check_range(name: &str, value: usize, lo: usize, hi: usize) -> Result<()> {
    if value < lo || value > hi {
        return Err(ArgError::range(format!("{name} must be an integer in [{lo}, {hi}], got {value}")));
    }
    Ok(())
}

impl FrameOptions {
    /// Only downscaling is supported: OpenCV's INTER_AREA switches to a bilinear variant when it
    /// enlarges, which is not an area average.
    pub fn validate(&self) -> Result<()> {
        check_range("height", self.height, 1, MAX_SIDE)?;
        check_range("width", self.width, 1, MAX_SIDE)?;
        check_range("scaleDims[0]", self.out_height, 1, self.height)?;
        check_range("scaleDims[1]", self.out_width, 1, self.width)?;
        check_range("pooledFrames", self.pooled_frames, 1, 2)?;
        check_range("numStackedFrames", self.stack, 1, MAX_STACK)
    }

    /// Channels of one output frame: 1 gray, 3 RGB.
    pub fn channels(&self) -> usize {
        if self.grayscale {
            1
        } else {
            3
        }
    }

    /// Bytes of one input frame.
    pub fn frame_len(&self) -> usize {
        self.height * self.width * 3
    }

    /// Bytes of one processed frame (before stacking).
    /// Refuses options whose buffers could never fit in memory, naming `arg` (`numEnvs` for a
    /// batch of `num_envs`, `numStackedFrames` for one environment): per environment a stack of
    /// processed frames and an input frame per pooled frame (the wasm binding keeps those in its
    /// memory), plus the float32 planes of one frame that the pipeline works in.
    pub fn check_memory(&self, arg: &str, value: usize, num_envs: usize) -> Result<()> {
        let per_env = (self.processed_len() as u64)
            .checked_mul(self.stack as u64)
            .and_then(|stack| stack.checked_add(self.pooled_frames as u64 * self.frame_len() as u64));
        let total = per_env
            .and_then(|b| b.checked_mul(num_envs as u64))
            .and_then(|b| b.checked_add(4 * self.frame_len() as u64));
        acme_common::alloc::check_bytes(arg, value, total)
    }

    pub fn processed_len(&self) -> usize {
        self.out_height * self.out_width * self.channels()
    }

    /// Elements of one stacked observation.
    pub fn observation_len(&self) -> usize {
        self.processed_len() * self.stack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_dqn_pipeline() {
        let o = FrameOptions::default();
        assert!(o.validate().is_ok());
        assert_eq!((o.frame_len(), o.processed_len(), o.observation_len()), (100_800, 7056, 28_224));
    }

    #[test]
    fn refuses_out_of_range_options_naming_them() {
        let bad = |f: &dyn Fn(&mut FrameOptions)| {
            let mut o = FrameOptions::default();
            f(&mut o);
            o.validate().unwrap_err().message
        };
        assert_eq!(bad(&|o| o.height = 0), "height must be an integer in [1, 8192], got 0");
        assert_eq!(bad(&|o| o.width = 9000), "width must be an integer in [1, 8192], got 9000");
        assert_eq!(bad(&|o| o.out_height = 211), "scaleDims[0] must be an integer in [1, 210], got 211");
        assert_eq!(bad(&|o| o.out_width = 0), "scaleDims[1] must be an integer in [1, 160], got 0");
        assert_eq!(bad(&|o| o.pooled_frames = 3), "pooledFrames must be an integer in [1, 2], got 3");
        assert_eq!(bad(&|o| o.stack = 0), "numStackedFrames must be an integer in [1, 64], got 0");
        assert_eq!(ResetFill::from_code(2).unwrap_err().message, "resetFill must be 0 (zeros) or 1 (first), got 2");
    }
}
