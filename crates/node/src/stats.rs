//! Bindings of `acme-stats`: `sumF32`, the `RunningMeanStd` class, and `panicForTesting`, which
//! exists so that tests can prove a Rust panic becomes a JavaScript exception.

use crate::napi::{export_class, export_function, CallContext, JsResult, Member, Wrapped};
use crate::sys::{napi_env, napi_type_tag, napi_value};
use acme_stats::RunningMeanStd;

impl Wrapped for RunningMeanStd {
    const CLASS: &'static str = "RunningMeanStd";
    const TAG: napi_type_tag = napi_type_tag { lower: 0x6163_6d65_7473_0001, upper: 0x726d_735f_7374_6174 };
    fn external_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + 16 * self.dim()
    }
}

pub fn register(env: napi_env, exports: napi_value) -> JsResult<()> {
    export_function(env, exports, "sumF32", sum_f32)?;
    export_function(env, exports, "panicForTesting", panic_for_testing)?;
    export_class::<RunningMeanStd>(
        env,
        exports,
        rms_new,
        &[
            Member::Method("update", rms_update),
            Member::Method("normalize", rms_normalize),
            Member::Getter("dim", rms_dim),
            Member::Getter("count", rms_count),
            Member::Getter("mean", rms_mean),
            Member::Getter("var", rms_var),
        ],
    )
}

fn sum_f32(ctx: &CallContext) -> JsResult<napi_value> {
    let values = ctx.typed_array_ref::<f32>(0, "values")?;
    ctx.number(acme_stats::sum_f32(values))
}

fn panic_for_testing(ctx: &CallContext) -> JsResult<napi_value> {
    let message = ctx.string_arg(0, "message")?;
    panic!("{}", message);
}

fn rms_new(ctx: &CallContext) -> JsResult<napi_value> {
    let dim = ctx.index_arg(0, "dim", u32::MAX as usize)?;
    let epsilon = ctx.f64_arg(1, "epsilon")?;
    ctx.wrap_this(RunningMeanStd::new(dim, epsilon)?)
}

fn rms_update(ctx: &CallContext) -> JsResult<napi_value> {
    let rms = ctx.this::<RunningMeanStd>()?;
    rms.update(ctx.typed_array_ref::<f32>(0, "batch")?)?;
    ctx.undefined()
}

fn rms_normalize(ctx: &CallContext) -> JsResult<napi_value> {
    let rms = ctx.this::<RunningMeanStd>()?;
    let input = ctx.typed_array_ref::<f32>(0, "input")?;
    let output = ctx.typed_array::<f32>(1, "output")?;
    let clip = ctx.f64_arg(2, "clip")?;
    rms.normalize(input, output, clip as f32)?;
    ctx.undefined()
}

fn rms_dim(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RunningMeanStd>()?.dim() as f64)
}

fn rms_count(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(ctx.this::<RunningMeanStd>()?.count())
}

fn rms_mean(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.float64_array(ctx.this::<RunningMeanStd>()?.mean())
}

fn rms_var(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.float64_array(ctx.this::<RunningMeanStd>()?.var())
}
