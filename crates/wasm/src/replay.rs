//! Exports of `acme-replay`: the replay engine and the standalone rate limiter. Handles are
//! pointers to boxed values owned by the JavaScript wrapper, which frees them exactly once.
//! Counts, keys and frame ids travel as f64 (exact below 2^53; JavaScript has no u64 number).
//! Calls that return a count return -1 on error, with the error stored as for a status code.
#![allow(clippy::missing_safety_doc, clippy::too_many_arguments)]

use crate::ffi::{boxed, fail, slice, slice_mut, status};
use acme_common::{ArgError, Result};
use acme_replay::{RateLimiter, RateLimiterSpec, ReplayEngine};

fn count(result: Result<usize>) -> f64 {
    match result {
        Ok(n) => n as f64,
        Err(e) => {
            fail(e);
            -1.0
        }
    }
}

fn flag(result: Result<bool>) -> i32 {
    match result {
        Ok(b) => b as i32,
        Err(e) => {
            fail(e);
            -1
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_new(config: *const f64, len: usize) -> *mut ReplayEngine {
    boxed(ReplayEngine::new(slice(config, len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_free(e: *mut ReplayEngine) {
    drop(Box::from_raw(e));
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_insert(
    e: *mut ReplayEngine,
    priorities: *const f64,
    priorities_len: usize,
    f32s: *const f32,
    f32_len: usize,
    i32s: *const i32,
    i32_len: usize,
    u8s: *const u8,
    u8_len: usize,
    frame_ids: *const f64,
    frame_ids_len: usize,
    keys: *mut f64,
    keys_len: usize,
) -> i32 {
    status((*e).insert(
        slice(priorities, priorities_len),
        slice(f32s, f32_len),
        slice(i32s, i32_len),
        slice(u8s, u8_len),
        slice(frame_ids, frame_ids_len),
        slice_mut(keys, keys_len),
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_add_frame(
    e: *mut ReplayEngine,
    frame: *const u8,
    len: usize,
    previous: f64,
) -> f64 {
    count((*e).add_frame(slice(frame, len), previous).map(|id| id as usize))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_sample(
    e: *mut ReplayEngine,
    keys: *mut f64,
    keys_len: usize,
    probabilities: *mut f64,
    probabilities_len: usize,
) -> f64 {
    count((*e).sample(slice_mut(keys, keys_len), slice_mut(probabilities, probabilities_len), None, None))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_sample_with_info(
    e: *mut ReplayEngine,
    keys: *mut f64,
    keys_len: usize,
    probabilities: *mut f64,
    probabilities_len: usize,
    priorities: *mut f64,
    priorities_len: usize,
    times: *mut i32,
    times_len: usize,
) -> f64 {
    count((*e).sample(
        slice_mut(keys, keys_len),
        slice_mut(probabilities, probabilities_len),
        Some(slice_mut(priorities, priorities_len)),
        Some(slice_mut(times, times_len)),
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_update_priorities(
    e: *mut ReplayEngine,
    keys: *const f64,
    keys_len: usize,
    priorities: *const f64,
    priorities_len: usize,
) -> f64 {
    count((*e).update_priorities(slice(keys, keys_len), slice(priorities, priorities_len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_delete(e: *mut ReplayEngine, keys: *const f64, keys_len: usize) -> f64 {
    count((*e).delete(slice(keys, keys_len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_gather(
    e: *mut ReplayEngine,
    keys: *const f64,
    keys_len: usize,
    f32s: *mut f32,
    f32_len: usize,
    i32s: *mut i32,
    i32_len: usize,
    u8s: *mut u8,
    u8_len: usize,
    stacks: *mut u8,
    stacks_len: usize,
) -> i32 {
    status((*e).gather(
        slice(keys, keys_len),
        slice_mut(f32s, f32_len),
        slice_mut(i32s, i32_len),
        slice_mut(u8s, u8_len),
        slice_mut(stacks, stacks_len),
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_priorities_of(
    e: *const ReplayEngine,
    keys: *const f64,
    keys_len: usize,
    out: *mut f64,
    out_len: usize,
) -> f64 {
    count((*e).priorities_of(slice(keys, keys_len), slice_mut(out, out_len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_reset(e: *mut ReplayEngine) {
    (*e).reset();
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_can_insert(e: *const ReplayEngine, n: f64) -> i32 {
    flag((*e).can_insert(n as u64))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_can_sample(e: *const ReplayEngine, n: f64) -> i32 {
    flag((*e).can_sample(n as u64))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_min_probability(e: *const ReplayEngine, out: *mut f64) -> i32 {
    status((*e).min_probability().map(|p| *out = p))
}

/// The checkpoint bytes, boxed: read them with `acme_bytes_ptr`/`acme_bytes_len`, then free.
#[no_mangle]
pub unsafe extern "C" fn acme_replay_checkpoint(e: *mut ReplayEngine) -> *mut Vec<u8> {
    Box::into_raw(Box::new((*e).checkpoint()))
}

#[no_mangle]
pub unsafe extern "C" fn acme_bytes_ptr(v: *const Vec<u8>) -> *const u8 {
    (*v).as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn acme_bytes_len(v: *const Vec<u8>) -> usize {
    (*v).len()
}

#[no_mangle]
pub unsafe extern "C" fn acme_bytes_free(v: *mut Vec<u8>) {
    drop(Box::from_raw(v));
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_restore(e: *mut ReplayEngine, bytes: *const u8, len: usize) -> i32 {
    status(ReplayEngine::restore(slice(bytes, len)).map(|restored| *e = restored))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_get_rng_state(e: *const ReplayEngine, out: *mut u32) {
    slice_mut(out, 4).copy_from_slice(&(*e).rng_state());
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_set_rng_state(e: *mut ReplayEngine, state: *const u32) -> i32 {
    let s = slice(state, 4);
    status((*e).set_rng_state([s[0], s[1], s[2], s[3]]))
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_size(e: *const ReplayEngine) -> f64 {
    (*e).size() as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_inserts(e: *const ReplayEngine) -> f64 {
    (*e).limiter().inserts() as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_samples(e: *const ReplayEngine) -> f64 {
    (*e).limiter().samples() as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_deletes(e: *const ReplayEngine) -> f64 {
    (*e).limiter().deletes() as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_next_frame_id(e: *const ReplayEngine) -> f64 {
    (*e).frames().map_or(0, |f| f.next_id()) as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_oldest_frame_id(e: *const ReplayEngine) -> f64 {
    (*e).frames().map_or(0, |f| f.oldest()) as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_memory_bytes(e: *const ReplayEngine) -> f64 {
    (*e).memory_bytes() as f64
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_config_len(e: *const ReplayEngine) -> usize {
    (*e).config().encode().len()
}

#[no_mangle]
pub unsafe extern "C" fn acme_replay_config_write(e: *const ReplayEngine, out: *mut f64, len: usize) -> i32 {
    let config = (*e).config().encode();
    let out = slice_mut(out, len);
    status(ArgError::check_len("out", len, config.len()).map(|_| out.copy_from_slice(&config)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_new(spec: *const f64, len: usize) -> *mut RateLimiter {
    boxed(RateLimiterSpec::decode(slice(spec, len)).and_then(|s| s.build()))
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_free(r: *mut RateLimiter) {
    drop(Box::from_raw(r));
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_can_insert(r: *const RateLimiter, n: f64) -> i32 {
    flag((*r).can_insert(n as u64))
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_can_sample(r: *const RateLimiter, n: f64) -> i32 {
    flag((*r).can_sample(n as u64))
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_insert(r: *mut RateLimiter, n: f64) {
    (*r).record_insert(n as u64);
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_sample(r: *mut RateLimiter, n: f64) {
    (*r).record_sample(n as u64);
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_delete(r: *mut RateLimiter, n: f64) -> i32 {
    status((*r).delete(n as u64))
}

#[no_mangle]
pub unsafe extern "C" fn acme_limiter_reset(r: *mut RateLimiter) {
    (*r).reset();
}

/// [samplesPerInsert, minSizeToSample, minDiff, maxDiff, inserts, samples, deletes] into `out`.
#[no_mangle]
pub unsafe extern "C" fn acme_limiter_info(r: *const RateLimiter, out: *mut f64) {
    let r = &*r;
    slice_mut(out, 7).copy_from_slice(&[
        r.samples_per_insert(),
        r.min_size_to_sample() as f64,
        r.min_diff(),
        r.max_diff(),
        r.inserts() as f64,
        r.samples() as f64,
        r.deletes() as f64,
    ]);
}
