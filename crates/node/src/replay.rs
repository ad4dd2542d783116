//! Bindings of `acme-replay`: the `ReplayEngine` class (one Reverb-like table) and the standalone
//! `RateLimiter`. Argument conversion only: the engine validates lengths, values and keys.

use crate::napi::{check, export_class, CallContext, JsError, JsResult, Member, Wrapped};
use crate::sys::{
    napi_adjust_external_memory, napi_create_arraybuffer, napi_create_typedarray, napi_env, napi_get_boolean,
    napi_type_tag, napi_value, NAPI_UINT8_ARRAY,
};
use acme_replay::{RateLimiter, RateLimiterSpec, ReplayEngine};
use std::ptr;

/// Largest integer a JavaScript number carries exactly.
const MAX_SAFE: usize = (1 << 53) - 1;

impl Wrapped for ReplayEngine {
    const CLASS: &'static str = "ReplayEngine";
    const TAG: napi_type_tag = napi_type_tag { lower: 0x6163_6d65_7473_0002, upper: 0x7265_706c_6179_656e };
    /// Fixed for a given config (rows and frames allocated later are not counted), so the
    /// finalizer subtracts exactly what construction added; `restore` adjusts for a new config.
    fn external_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.fixed_bytes()
    }
}

impl Wrapped for RateLimiter {
    const CLASS: &'static str = "RateLimiter";
    const TAG: napi_type_tag = napi_type_tag { lower: 0x6163_6d65_7473_0003, upper: 0x7261_7465_6c69_6d69 };
}

pub fn register(env: napi_env, exports: napi_value) -> JsResult<()> {
    export_class::<ReplayEngine>(
        env,
        exports,
        engine_new,
        &[
            Member::Method("insert", engine_insert),
            Member::Method("addFrame", engine_add_frame),
            Member::Method("sample", engine_sample),
            Member::Method("sampleWithInfo", engine_sample_with_info),
            Member::Method("updatePriorities", engine_update_priorities),
            Member::Method("delete", engine_delete),
            Member::Method("gather", engine_gather),
            Member::Method("prioritiesOf", engine_priorities_of),
            Member::Method("reset", engine_reset),
            Member::Method("canInsert", engine_can_insert),
            Member::Method("canSample", engine_can_sample),
            Member::Method("minProbability", engine_min_probability),
            Member::Method("checkpoint", engine_checkpoint),
            Member::Method("restore", engine_restore),
            Member::Method("getRngState", engine_get_rng_state),
            Member::Method("setRngState", engine_set_rng_state),
            Member::Getter("size", engine_size),
            Member::Getter("inserts", engine_inserts),
            Member::Getter("samples", engine_samples),
            Member::Getter("deletes", engine_deletes),
            Member::Getter("nextFrameId", engine_next_frame_id),
            Member::Getter("oldestFrameId", engine_oldest_frame_id),
            Member::Getter("memoryBytes", engine_memory_bytes),
            Member::Getter("config", engine_config),
        ],
    )?;
    export_class::<RateLimiter>(
        env,
        exports,
        limiter_new,
        &[
            Member::Method("canInsert", limiter_can_insert),
            Member::Method("canSample", limiter_can_sample),
            Member::Method("insert", limiter_insert),
            Member::Method("sample", limiter_sample),
            Member::Method("delete", limiter_delete),
            Member::Method("reset", limiter_reset),
            Member::Getter("samplesPerInsert", limiter_spi),
            Member::Getter("minSizeToSample", limiter_min_size),
            Member::Getter("minDiff", limiter_min_diff),
            Member::Getter("maxDiff", limiter_max_diff),
            Member::Getter("inserts", limiter_inserts),
            Member::Getter("samples", limiter_samples),
            Member::Getter("deletes", limiter_deletes),
        ],
    )
}

fn boolean(ctx: &CallContext, value: bool) -> JsResult<napi_value> {
    let mut v = ptr::null_mut();
    check(ctx.env, unsafe { napi_get_boolean(ctx.env, value, &mut v) }, "napi_get_boolean")?;
    Ok(v)
}

/// A new `Uint8Array` holding a copy of `bytes`.
fn uint8_array(ctx: &CallContext, bytes: &[u8]) -> JsResult<napi_value> {
    let env = ctx.env;
    let (mut data, mut buffer, mut array) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
    check(
        env,
        unsafe { napi_create_arraybuffer(env, bytes.len(), &mut data, &mut buffer) },
        "napi_create_arraybuffer",
    )?;
    if !bytes.is_empty() {
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), data as *mut u8, bytes.len()) };
    }
    let status = unsafe { napi_create_typedarray(env, NAPI_UINT8_ARRAY, bytes.len(), buffer, 0, &mut array) };
    check(env, status, "napi_create_typedarray")?;
    Ok(array)
}

fn engine_new(ctx: &CallContext) -> JsResult<napi_value> {
    let config = ctx.typed_array_ref::<f64>(0, "config")?;
    ctx.wrap_this(ReplayEngine::new(config)?)
}

fn engine_insert(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let priorities = ctx.typed_array_ref::<f64>(0, "priorities")?;
    let f32s = ctx.typed_array_ref::<f32>(1, "float32 data")?;
    let i32s = ctx.typed_array_ref::<i32>(2, "int32 data")?;
    let u8s = ctx.typed_array_ref::<u8>(3, "uint8 data")?;
    let frame_ids = ctx.typed_array_ref::<f64>(4, "frameIds")?;
    let keys = ctx.typed_array::<f64>(5, "keys")?;
    e.insert(priorities, f32s, i32s, u8s, frame_ids, keys)?;
    ctx.undefined()
}

fn engine_add_frame(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let frame = ctx.typed_array_ref::<u8>(0, "frame")?;
    let previous = ctx.f64_arg(1, "previous")?;
    ctx.number(e.add_frame(frame, previous)? as f64)
}

fn engine_sample(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let keys = ctx.typed_array::<f64>(0, "keys")?;
    let probabilities = ctx.typed_array::<f64>(1, "probabilities")?;
    ctx.number(e.sample(keys, probabilities, None, None)? as f64)
}

fn engine_sample_with_info(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let keys = ctx.typed_array::<f64>(0, "keys")?;
    let probabilities = ctx.typed_array::<f64>(1, "probabilities")?;
    let priorities = ctx.typed_array::<f64>(2, "priorities")?;
    let times = ctx.typed_array::<i32>(3, "timesSampled")?;
    ctx.number(e.sample(keys, probabilities, Some(priorities), Some(times))? as f64)
}

fn engine_update_priorities(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let keys = ctx.typed_array_ref::<f64>(0, "keys")?;
    let priorities = ctx.typed_array_ref::<f64>(1, "priorities")?;
    ctx.number(e.update_priorities(keys, priorities)? as f64)
}

fn engine_delete(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let keys = ctx.typed_array_ref::<f64>(0, "keys")?;
    ctx.number(e.delete(keys)? as f64)
}

fn engine_gather(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let keys = ctx.typed_array_ref::<f64>(0, "keys")?;
    let f32s = ctx.typed_array::<f32>(1, "float32 output")?;
    let i32s = ctx.typed_array::<i32>(2, "int32 output")?;
    let u8s = ctx.typed_array::<u8>(3, "uint8 output")?;
    let stacks = ctx.typed_array::<u8>(4, "stacks output")?;
    e.gather(keys, f32s, i32s, u8s, stacks)?;
    ctx.undefined()
}

fn engine_priorities_of(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let keys = ctx.typed_array_ref::<f64>(0, "keys")?;
    let out = ctx.typed_array::<f64>(1, "out")?;
    ctx.number(e.priorities_of(keys, out)? as f64)
}

fn engine_reset(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.this::<ReplayEngine>()?.reset();
    ctx.undefined()
}

fn engine_can_insert(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let n = ctx.index_arg(0, "numInserts", MAX_SAFE)?;
    boolean(ctx, e.can_insert(n as u64)?)
}

fn engine_can_sample(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let n = ctx.index_arg(0, "numSamples", MAX_SAFE)?;
    boolean(ctx, e.can_sample(n as u64)?)
}

fn engine_min_probability(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.min_probability()?)
}

fn engine_checkpoint(ctx: &CallContext) -> JsResult<napi_value> {
    let bytes = ctx.this::<ReplayEngine>()?.checkpoint();
    uint8_array(ctx, &bytes)
}

fn engine_restore(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let bytes = ctx.typed_array_ref::<u8>(0, "bytes")?;
    let restored = ReplayEngine::restore(bytes)?;
    let change = restored.external_bytes() as i64 - e.external_bytes() as i64;
    *e = restored;
    let mut total = 0;
    unsafe { napi_adjust_external_memory(ctx.env, change, &mut total) };
    ctx.undefined()
}

fn engine_get_rng_state(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let out = ctx.typed_array::<u32>(0, "out")?;
    acme_common::ArgError::check_len("out", out.len(), 4).map_err(JsError::from)?;
    out.copy_from_slice(&e.rng_state());
    ctx.undefined()
}

fn engine_set_rng_state(ctx: &CallContext) -> JsResult<napi_value> {
    let e = ctx.this::<ReplayEngine>()?;
    let state = ctx.typed_array_ref::<u32>(0, "state")?;
    acme_common::ArgError::check_len("state", state.len(), 4).map_err(JsError::from)?;
    e.set_rng_state([state[0], state[1], state[2], state[3]])?;
    ctx.undefined()
}

fn engine_size(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.size() as f64)
}

fn engine_inserts(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.limiter().inserts() as f64)
}

fn engine_samples(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.limiter().samples() as f64)
}

fn engine_deletes(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.limiter().deletes() as f64)
}

fn engine_next_frame_id(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.frames().map_or(0, |f| f.next_id()) as f64)
}

fn engine_oldest_frame_id(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.frames().map_or(0, |f| f.oldest()) as f64)
}

fn engine_memory_bytes(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<ReplayEngine>()?.memory_bytes() as f64)
}

fn engine_config(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.float64_array(&ctx.this::<ReplayEngine>()?.config().encode())
}

fn limiter_new(ctx: &CallContext) -> JsResult<napi_value> {
    let spec = ctx.typed_array_ref::<f64>(0, "spec")?;
    ctx.wrap_this(RateLimiterSpec::decode(spec)?.build()?)
}

fn limiter_can_insert(ctx: &CallContext) -> JsResult<napi_value> {
    let r = ctx.this::<RateLimiter>()?;
    let n = ctx.index_arg(0, "numInserts", MAX_SAFE)?;
    boolean(ctx, r.can_insert(n as u64)?)
}

fn limiter_can_sample(ctx: &CallContext) -> JsResult<napi_value> {
    let r = ctx.this::<RateLimiter>()?;
    let n = ctx.index_arg(0, "numSamples", MAX_SAFE)?;
    boolean(ctx, r.can_sample(n as u64)?)
}

fn limiter_insert(ctx: &CallContext) -> JsResult<napi_value> {
    let r = ctx.this::<RateLimiter>()?;
    r.record_insert(ctx.index_arg(0, "n", MAX_SAFE)? as u64);
    ctx.undefined()
}

fn limiter_sample(ctx: &CallContext) -> JsResult<napi_value> {
    let r = ctx.this::<RateLimiter>()?;
    r.record_sample(ctx.index_arg(0, "n", MAX_SAFE)? as u64);
    ctx.undefined()
}

fn limiter_delete(ctx: &CallContext) -> JsResult<napi_value> {
    let r = ctx.this::<RateLimiter>()?;
    r.delete(ctx.index_arg(0, "n", MAX_SAFE)? as u64)?;
    ctx.undefined()
}

fn limiter_reset(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.this::<RateLimiter>()?.reset();
    ctx.undefined()
}

fn limiter_spi(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.samples_per_insert())
}

fn limiter_min_size(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.min_size_to_sample() as f64)
}

fn limiter_min_diff(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.min_diff())
}

fn limiter_max_diff(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.max_diff())
}

fn limiter_inserts(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.inserts() as f64)
}

fn limiter_samples(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.samples() as f64)
}

fn limiter_deletes(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RateLimiter>()?.deletes() as f64)
}
