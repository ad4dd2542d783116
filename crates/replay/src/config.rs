//! The options of a replay engine, as one `Float64Array` from the TypeScript wrapper (crossing the
//! boundary as numbers keeps both bindings trivial). Decoding validates every field with the
//! option's TypeScript name, so both binaries report the same message. Checkpoints embed the same
//! encoding.
//!
//! Layout (version 1), indices into the array:
//! ```text
//!  0 layout version (1)          8 stratified (0|1)             15 frames.frameSize (0: no frames)
//!  1 maxSize                     9 trackMinProbability (0|1)    16 frames.capacity
//!  2 maxTimesSampled (0: none)  10 rateLimiter kind             17 frames.stack
//!  3 seed                       11..14 rateLimiter parameters   18 frames.resetFill (0 zeros, 1 first)
//!  4 sampler kind                                               19 frames.axis (0 last, 1 first)
//!  5 sampler priorityExponent                                   20 number of columns C
//!  6 remover kind                                               21 + 2i columns[i] kind
//!  7 remover priorityExponent                                        (0 f32, 1 i32, 2 u8, 3 frame stack)
//!                                                               22 + 2i columns[i] size (1 for a
//!                                                                  frame stack: one frame id)
//! ```

use crate::columns::{ColumnKind, ColumnSpec, Layout};
use crate::frame_ring::{Padding, StackAxis};
use crate::rate_limiter::RateLimiterSpec;
use crate::rng::MAX_SEED;
use crate::selectors::SelectorSpec;
use acme_common::{ArgError, Js, Result};

pub const CONFIG_VERSION: f64 = 1.0;
const HEADER: usize = 21;
/// Largest `maxSize`: slots then fit 31 bits, leaving 22 bits of generation in a 53-bit key.
pub const MAX_SIZE: usize = 1 << 30;
const MAX_TIMES_SAMPLED: f64 = 2_147_483_647.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FramesConfig {
    pub frame_size: usize,
    pub capacity: usize,
    pub stack: usize,
    pub padding: Padding,
    pub axis: StackAxis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EngineConfig {
    pub max_size: usize,
    /// 0 means unlimited.
    pub max_times_sampled: u32,
    pub seed: u64,
    pub sampler: SelectorSpec,
    pub remover: SelectorSpec,
    pub stratified: bool,
    pub track_min_probability: bool,
    pub rate_limiter: RateLimiterSpec,
    pub frames: Option<FramesConfig>,
    pub layout: Layout,
}

fn integer(v: f64, name: &str, min: f64, max: f64) -> Result<f64> {
    if !(v.fract() == 0.0 && v >= min && v <= max) {
        return Err(ArgError::range(format!("{name} must be an integer in [{}, {}], got {}", Js(min), Js(max), Js(v))));
    }
    Ok(v)
}

fn flag(v: f64, name: &str) -> Result<bool> {
    if v == 0.0 || v == 1.0 {
        Ok(v == 1.0)
    } else {
        Err(ArgError::range(format!("{name} must be 0 or 1, got {}", Js(v))))
    }
}

impl EngineConfig {
    pub fn decode(v: &[f64]) -> Result<EngineConfig> {
        if v.len() < HEADER {
            return Err(ArgError::range(format!("config must have at least {HEADER} numbers, got {}", v.len())));
        }
        if v[0] != CONFIG_VERSION {
            return Err(ArgError::range(format!("config layout version must be {CONFIG_VERSION}, got {}", v[0])));
        }
        let max_size = integer(v[1], "maxSize", 1.0, MAX_SIZE as f64)? as usize;
        let max_times_sampled = integer(v[2], "maxTimesSampled", 0.0, MAX_TIMES_SAMPLED)? as u32;
        let seed = integer(v[3], "seed", 0.0, MAX_SEED as f64)? as u64;
        let sampler = SelectorSpec::decode(v[4], v[5], "sampler")?;
        let remover = SelectorSpec::decode(v[6], v[7], "remover")?;
        let stratified = flag(v[8], "stratified")?;
        let track_min_probability = flag(v[9], "trackMinProbability")?;
        if track_min_probability && !matches!(sampler, SelectorSpec::Prioritized { .. }) {
            return Err(ArgError::range("trackMinProbability needs a prioritized sampler"));
        }
        let rate_limiter = RateLimiterSpec::decode(&v[10..15])?;
        rate_limiter.build()?;
        let frames = if v[15] == 0.0 {
            None
        } else {
            let frame_size = integer(v[15], "frames.frameSize", 1.0, crate::columns::MAX_COLUMN_SIZE as f64)? as usize;
            let capacity = integer(v[16], "frames.capacity", 1.0, crate::frame_ring::MAX_FRAMES as f64)? as usize;
            let stack = integer(v[17], "frames.stack", 1.0, crate::frame_ring::MAX_STACK as f64)? as usize;
            let padding = match integer(v[18], "frames.resetFill", 0.0, 1.0)? as u8 {
                0 => Padding::Zero,
                _ => Padding::First,
            };
            let axis = match integer(v[19], "frames.axis", 0.0, 1.0)? as u8 {
                0 => StackAxis::Last,
                _ => StackAxis::First,
            };
            Some(FramesConfig { frame_size, capacity, stack, padding, axis })
        };
        let count = integer(v[20], "number of columns", 0.0, 4096.0)? as usize;
        if v.len() != HEADER + 2 * count {
            return Err(ArgError::range(format!(
                "config must have {} numbers for {count} columns, got {}",
                HEADER + 2 * count,
                v.len()
            )));
        }
        let mut columns = Vec::with_capacity(count);
        for i in 0..count {
            let kind = match integer(v[HEADER + 2 * i], &format!("columns[{i}] kind code"), 0.0, 3.0)? as u8 {
                0 => ColumnKind::F32,
                1 => ColumnKind::I32,
                2 => ColumnKind::U8,
                _ => ColumnKind::FrameStack,
            };
            let size = v[HEADER + 2 * i + 1];
            let size = if kind == ColumnKind::FrameStack {
                if frames.is_none() {
                    return Err(ArgError::range(format!(
                        "columns[{i}] is a frame stack, so the frames option is required"
                    )));
                }
                1
            } else {
                integer(size, &format!("columns[{i}].size"), 1.0, crate::columns::MAX_COLUMN_SIZE as f64)? as usize
            };
            columns.push(ColumnSpec { kind, size });
        }
        let layout = Layout::new(columns)?;
        Ok(EngineConfig {
            max_size,
            max_times_sampled,
            seed,
            sampler,
            remover,
            stratified,
            track_min_probability,
            rate_limiter,
            frames,
            layout,
        })
    }

    pub fn encode(&self) -> Vec<f64> {
        let mut v = vec![0.0; HEADER];
        v[0] = CONFIG_VERSION;
        v[1] = self.max_size as f64;
        v[2] = self.max_times_sampled as f64;
        v[3] = self.seed as f64;
        v[4..6].copy_from_slice(&self.sampler.encode());
        v[6..8].copy_from_slice(&self.remover.encode());
        v[8] = self.stratified as u8 as f64;
        v[9] = self.track_min_probability as u8 as f64;
        v[10..15].copy_from_slice(&self.rate_limiter.encode());
        if let Some(f) = &self.frames {
            v[15] = f.frame_size as f64;
            v[16] = f.capacity as f64;
            v[17] = f.stack as f64;
            v[18] = if f.padding == Padding::Zero { 0.0 } else { 1.0 };
            v[19] = if f.axis == StackAxis::Last { 0.0 } else { 1.0 };
        }
        v[20] = self.layout.columns.len() as f64;
        for c in &self.layout.columns {
            let kind = match c.kind {
                ColumnKind::F32 => 0.0,
                ColumnKind::I32 => 1.0,
                ColumnKind::U8 => 2.0,
                ColumnKind::FrameStack => 3.0,
            };
            v.push(kind);
            v.push(c.size as f64);
        }
        v
    }

    /// Bytes of one row of gathered frame stacks (all frame-stack columns).
    pub fn stack_row(&self) -> usize {
        self.frames.map_or(0, |f| f.frame_size * f.stack) * self.layout.stack_columns
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A config with a prioritized sampler, a Fifo remover and MinSize(1).
    pub fn basic(max_size: usize, exponent: f64, columns: &[(f64, f64)]) -> Vec<f64> {
        let mut v = vec![
            1.0,
            max_size as f64,
            0.0,
            42.0,
            1.0,
            exponent,
            2.0,
            0.0,
            1.0,
            0.0,
            1.0,
            1.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            columns.len() as f64,
        ];
        for &(k, s) in columns {
            v.push(k);
            v.push(s);
        }
        v
    }

    #[test]
    fn round_trips_and_names_bad_fields() {
        let v = basic(100, 0.6, &[(0.0, 4.0), (1.0, 1.0)]);
        let c = EngineConfig::decode(&v).unwrap();
        assert_eq!(c.encode(), v);
        assert_eq!(c.layout.f32_row, 4);
        let mut bad = v.clone();
        bad[1] = 0.0;
        assert_eq!(
            EngineConfig::decode(&bad).unwrap_err().message,
            "maxSize must be an integer in [1, 1073741824], got 0"
        );
        let mut bad = v.clone();
        bad[5] = f64::NAN;
        assert!(EngineConfig::decode(&bad).unwrap_err().message.starts_with("sampler.priorityExponent"));
        let mut bad = v.clone();
        bad[11] = 0.0;
        assert_eq!(EngineConfig::decode(&bad).unwrap_err().message, "minSizeToSample must be an integer >= 1, got 0");
        let mut bad = v.clone();
        bad.push(0.0);
        assert!(EngineConfig::decode(&bad).is_err());
        let bad = basic(10, 1.0, &[(3.0, 1.0)]);
        assert!(EngineConfig::decode(&bad).unwrap_err().message.contains("frames option is required"));
        let bad = basic(10, 1.0, &[(0.0, 0.0)]);
        assert_eq!(
            EngineConfig::decode(&bad).unwrap_err().message,
            "columns[0].size must be an integer in [1, 268435456], got 0"
        );
    }
}
