//! Atari-style frame preprocessing, the hot path of every pixel-based agent: the element-wise max of
//! the last two RGB frames, OpenCV's `COLOR_RGB2GRAY`, OpenCV's `INTER_AREA` resize (210x160 -> 84x84
//! by default) and a stack of the last `k` frames, in the Stable-Baselines3 `WarpFrame` /
//! OpenAI-baselines order that the DQN papers use.
//!
//! Results equal OpenCV 4.x on x86-64 bit for bit (see `opencv` for the exact semantics and why the
//! fast SIMD path can promise that). Both bindings (`crates/node`, `crates/wasm`) wrap the two
//! classes here; they hold no logic.

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
