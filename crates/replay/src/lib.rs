//! Prioritized replay for acme-ts, with Reverb's semantics: a [`ReplayEngine`] is one table
//! (items in columnar storage, a sampler and a remover chosen among Reverb's selectors, a rate
//! limiter's counters, a seeded generator, and optionally a ring of deduplicated frames for pixel
//! observations), driven through batched calls over caller buffers and saved to / restored from
//! checkpoint bytes. The pieces are usable and tested on their own: [`tree`] (flat sum and min
//! trees), [`selectors`], [`RateLimiter`], [`frame_ring`], [`Rng`].

pub mod checkpoint;
pub mod columns;
pub mod config;
mod dense_set;
pub mod engine;
pub mod frame_ring;
pub mod rate_limiter;
pub mod rng;
pub mod selectors;
pub mod tree;

pub use config::EngineConfig;
pub use engine::ReplayEngine;
pub use rate_limiter::{RateLimiter, RateLimiterSpec};
pub use rng::Rng;
pub use selectors::{Selector, SelectorSpec};

#[cfg(test)]
mod tests;
