//! Bindings of `acme-frames`: the `FramePreprocessor` and `FramePreprocessorBatch` classes. Frames
//! and outputs are borrowed in place (zero copy); `acme-frames` validates every length and option.

use crate::napi::{export_class, type_error, CallContext, JsResult, Member, Wrapped};
use crate::sys::{napi_env, napi_type_tag, napi_value};
use acme_frames::{FrameOptions, FramePreprocessor, FramePreprocessorBatch, ResetFill};

impl Wrapped for FramePreprocessor {
    const CLASS: &'static str = "FramePreprocessor";
    const TAG: napi_type_tag = napi_type_tag { lower: 0x6163_6d65_7473_0010, upper: 0x6672_616d_6573_0001 };
    fn external_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.heap_bytes()
    }
}

impl Wrapped for FramePreprocessorBatch {
    const CLASS: &'static str = "FramePreprocessorBatch";
    const TAG: napi_type_tag = napi_type_tag { lower: 0x6163_6d65_7473_0011, upper: 0x6672_616d_6573_0002 };
    fn external_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.heap_bytes()
    }
}

pub fn register(env: napi_env, exports: napi_value) -> JsResult<()> {
    export_class::<FramePreprocessor>(
        env,
        exports,
        single_new,
        &[
            Member::Method("reset", single_reset),
            Member::Method("step", single_step),
            Member::Method("read", single_read),
        ],
    )?;
    export_class::<FramePreprocessorBatch>(
        env,
        exports,
        batch_new,
        &[Member::Method("reset", batch_reset), Member::Method("step", batch_step), Member::Method("read", batch_read)],
    )
}

const U32: usize = u32::MAX as usize;

/// The options as positional numbers from argument `first` on: height, width, scaleDims[0],
/// scaleDims[1], grayscaling (0/1), pooledFrames, numStackedFrames, resetFill (0 zeros, 1 first).
fn options_at(ctx: &CallContext, first: usize) -> JsResult<FrameOptions> {
    let arg = |i: usize, name: &str| ctx.index_arg(first + i, name, U32);
    Ok(FrameOptions {
        height: arg(0, "height")?,
        width: arg(1, "width")?,
        out_height: arg(2, "scaleDims[0]")?,
        out_width: arg(3, "scaleDims[1]")?,
        grayscale: arg(4, "grayscaling")? != 0,
        pooled_frames: arg(5, "pooledFrames")?,
        stack: arg(6, "numStackedFrames")?,
        reset_fill: ResetFill::from_code(arg(7, "resetFill")? as u32)?,
    })
}

/// A `Uint8Array` argument, or `None` when it is null or left out.
fn optional_bytes<'a>(ctx: &'a CallContext, i: usize, name: &'static str) -> JsResult<Option<&'a [u8]>> {
    if ctx.is_nullish(i)? {
        Ok(None)
    } else {
        ctx.typed_array_ref::<u8>(i, name).map(Some)
    }
}

enum Out<'a> {
    Bytes(&'a mut [u8]),
    Floats(&'a mut [f32]),
}

fn out_arg<'a>(ctx: &'a CallContext, i: usize) -> JsResult<Out<'a>> {
    if let Ok(bytes) = ctx.typed_array::<u8>(i, "out") {
        return Ok(Out::Bytes(bytes));
    }
    match ctx.typed_array::<f32>(i, "out") {
        Ok(floats) => Ok(Out::Floats(floats)),
        Err(_) => type_error("out must be a Uint8Array or a Float32Array".into()),
    }
}

fn optional_out<'a>(ctx: &'a CallContext, i: usize) -> JsResult<Option<Out<'a>>> {
    if ctx.is_nullish(i)? {
        Ok(None)
    } else {
        out_arg(ctx, i).map(Some)
    }
}

fn single_new(ctx: &CallContext) -> JsResult<napi_value> {
    let preprocessor = FramePreprocessor::new(&options_at(ctx, 0)?)?;
    ctx.wrap_this(preprocessor)
}

fn single_reset(ctx: &CallContext) -> JsResult<napi_value> {
    let p = ctx.this::<FramePreprocessor>()?;
    p.reset(ctx.typed_array_ref::<u8>(0, "frame")?)?;
    ctx.undefined()
}

/// `step(previous, latest, out?)`: with `out`, the observation is read out in the same call.
fn single_step(ctx: &CallContext) -> JsResult<napi_value> {
    let p = ctx.this::<FramePreprocessor>()?;
    let previous = optional_bytes(ctx, 0, "previous")?;
    let latest = ctx.typed_array_ref::<u8>(1, "latest")?;
    // Only read: `previous` and `latest` may be the same memory (`out` may not overlap either).
    match optional_out(ctx, 2)? {
        None => p.step(previous, latest)?,
        Some(Out::Bytes(out)) => p.step_read_u8(previous, latest, out)?,
        Some(Out::Floats(out)) => p.step_read_f32(previous, latest, out)?,
    }
    ctx.undefined()
}

fn single_read(ctx: &CallContext) -> JsResult<napi_value> {
    let p = ctx.this::<FramePreprocessor>()?;
    match out_arg(ctx, 0)? {
        Out::Bytes(out) => p.read_u8(out)?,
        Out::Floats(out) => p.read_f32(out)?,
    }
    ctx.undefined()
}

fn batch_new(ctx: &CallContext) -> JsResult<napi_value> {
    let num_envs = ctx.index_arg(0, "numEnvs", U32)?;
    let options = options_at(ctx, 1)?;
    let batch = FramePreprocessorBatch::new(num_envs, &options)?;
    ctx.wrap_this(batch)
}

fn batch_reset(ctx: &CallContext) -> JsResult<napi_value> {
    let b = ctx.this::<FramePreprocessorBatch>()?;
    let frames = ctx.typed_array_ref::<u8>(0, "frames")?;
    let mask = optional_bytes(ctx, 1, "mask")?;
    b.reset(frames, mask)?;
    ctx.undefined()
}

/// `step(previous, latest, resetMask, out?)`: with `out`, each environment's observation is read
/// out right after its step (see `FramePreprocessorBatch::step_read_u8`).
fn batch_step(ctx: &CallContext) -> JsResult<napi_value> {
    let b = ctx.this::<FramePreprocessorBatch>()?;
    let previous = optional_bytes(ctx, 0, "previous")?;
    let latest = ctx.typed_array_ref::<u8>(1, "latest")?;
    let reset_mask = optional_bytes(ctx, 2, "resetMask")?;
    match optional_out(ctx, 3)? {
        None => b.step(previous, latest, reset_mask)?,
        Some(Out::Bytes(out)) => b.step_read_u8(previous, latest, reset_mask, out)?,
        Some(Out::Floats(out)) => b.step_read_f32(previous, latest, reset_mask, out)?,
    }
    ctx.undefined()
}

fn batch_read(ctx: &CallContext) -> JsResult<napi_value> {
    let b = ctx.this::<FramePreprocessorBatch>()?;
    match out_arg(ctx, 0)? {
        Out::Bytes(out) => b.read_u8(out)?,
        Out::Floats(out) => b.read_f32(out)?,
    }
    ctx.undefined()
}
