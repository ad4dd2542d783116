//! Atari-style frame preprocessing, the hot path of every pixel-based agent: the element-wise max of
//! the last two RGB frames, OpenCV's `COLOR_RGB2GRAY`, OpenCV's `INTER_AREA` resize (210x160 -> 84x84
//! by default) and a stack of the last `k` frames, in the Stable-Baselines3 `WarpFrame` /
//! OpenAI-baselines order that the DQN papers use.
//!
//! Results equal OpenCV 4.x on x86-64 bit for bit (see `opencv` for the semantics matched). OpenCV's
//! area resize is float32 arithmetic in a fixed order that does not vectorise well; here each output
//! row is computed in a SIMD-friendly order instead (vertical taps first, then horizontal), which
//! lands within about 1e-4 of OpenCV's value. Only where that value is within a small margin of a
//! rounding tie (x.5) could the two round differently, so exactly those values (about 1% of random
//! frames, almost none of real Atari screens) are recomputed in OpenCV's own order. Gray values are
//! integers either way, and the integer-factor path is computed exactly.
//!
//! Both bindings (`crates/node`, `crates/wasm`) wrap the two classes here; they hold no logic.

mod batch;
mod kernels;
pub mod opencv;
mod options;
mod pipeline;
mod plan;
mod preprocessor;
mod stack;

pub use batch::{FramePreprocessorBatch, MAX_ENVS};
pub use options::{FrameOptions, ResetFill, MAX_SIDE, MAX_STACK};
pub use preprocessor::FramePreprocessor;
