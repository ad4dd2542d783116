//! Bindings of `acme-kernels`. Every array is borrowed in place (the TensorFlow.js wasm backend
//! passes views of its own WebAssembly memory, so nothing is copied); outputs are checked not to
//! overlap any input, since the kernels read inputs while writing outputs.

use crate::napi::{export_function, CallContext, JsResult};
use crate::sys::{napi_env, napi_value};
use acme_kernels::{Activation, AdamHyper, Conv2dGeometry, DenseShape, MatMulShape};

pub fn register(env: napi_env, exports: napi_value) -> JsResult<()> {
    export_function(env, exports, "kernelMaxThreads", kernel_max_threads)?;
    export_function(env, exports, "conv2d", conv2d)?;
    export_function(env, exports, "conv2dBackpropFilter", conv2d_backprop_filter)?;
    export_function(env, exports, "conv2dBackpropInput", conv2d_backprop_input)?;
    export_function(env, exports, "matMul", mat_mul)?;
    export_function(env, exports, "denseBackward", dense_backward)?;
    export_function(env, exports, "unsortedSegmentSum", unsorted_segment_sum)?;
    export_function(env, exports, "adamUpdate", adam_update)
}

fn threads_arg(ctx: &CallContext, i: usize) -> JsResult<usize> {
    Ok(acme_kernels::check_threads(ctx.f64_arg(i, "threads")?)?)
}

fn kernel_max_threads(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.number(acme_kernels::max_threads() as f64)
}

/// conv2d(x, filter, bias, y, geometry, activation, threads)
fn conv2d(ctx: &CallContext) -> JsResult<napi_value> {
    let x = ctx.typed_array_ref::<f32>(0, "x")?;
    let filter = ctx.typed_array_ref::<f32>(1, "filter")?;
    let bias = ctx.typed_array_ref::<f32>(2, "bias")?;
    let y = ctx.typed_array::<f32>(3, "y")?;
    let g = Conv2dGeometry::from_fields(ctx.typed_array_ref::<i32>(4, "geometry")?)?;
    let activation = Activation::from_code(ctx.index_arg(5, "activation", i32::MAX as usize)? as i32)?;
    let threads = threads_arg(ctx, 6)?;
    acme_kernels::conv2d(&g, x, filter, bias, activation, y, threads)?;
    ctx.undefined()
}

/// conv2dBackpropFilter(x, dy, dfilter, geometry, threads)
fn conv2d_backprop_filter(ctx: &CallContext) -> JsResult<napi_value> {
    let x = ctx.typed_array_ref::<f32>(0, "x")?;
    let dy = ctx.typed_array_ref::<f32>(1, "dy")?;
    let dfilter = ctx.typed_array::<f32>(2, "dfilter")?;
    let g = Conv2dGeometry::from_fields(ctx.typed_array_ref::<i32>(3, "geometry")?)?;
    let threads = threads_arg(ctx, 4)?;
    acme_kernels::conv2d_backprop_filter(&g, x, dy, dfilter, threads)?;
    ctx.undefined()
}

/// conv2dBackpropInput(dy, filter, dx, geometry, threads)
fn conv2d_backprop_input(ctx: &CallContext) -> JsResult<napi_value> {
    let dy = ctx.typed_array_ref::<f32>(0, "dy")?;
    let filter = ctx.typed_array_ref::<f32>(1, "filter")?;
    let dx = ctx.typed_array::<f32>(2, "dx")?;
    let g = Conv2dGeometry::from_fields(ctx.typed_array_ref::<i32>(3, "geometry")?)?;
    let threads = threads_arg(ctx, 4)?;
    acme_kernels::conv2d_backprop_input(&g, dy, filter, dx, threads)?;
    ctx.undefined()
}

/// matMul(a, b, bias, out, shape, threads)
fn mat_mul(ctx: &CallContext) -> JsResult<napi_value> {
    let a = ctx.typed_array_ref::<f32>(0, "a")?;
    let b = ctx.typed_array_ref::<f32>(1, "b")?;
    let bias = ctx.typed_array_ref::<f32>(2, "bias")?;
    let out = ctx.typed_array::<f32>(3, "out")?;
    let shape = MatMulShape::from_fields(ctx.typed_array_ref::<i32>(4, "shape")?)?;
    let threads = threads_arg(ctx, 5)?;
    acme_kernels::matmul(&shape, a, b, bias, out, threads)?;
    ctx.undefined()
}

/// denseBackward(x, w, y, dy, dx, dw, db, shape)
fn dense_backward(ctx: &CallContext) -> JsResult<napi_value> {
    let x = ctx.typed_array_ref::<f32>(0, "x")?;
    let w = ctx.typed_array_ref::<f32>(1, "w")?;
    let y = ctx.typed_array_ref::<f32>(2, "y")?;
    let dy = ctx.typed_array_ref::<f32>(3, "dy")?;
    let dx = ctx.typed_array::<f32>(4, "dx")?;
    let dw = ctx.typed_array::<f32>(5, "dw")?;
    let db = ctx.typed_array::<f32>(6, "db")?;
    let shape = DenseShape::from_fields(ctx.typed_array_ref::<i32>(7, "shape")?)?;
    acme_kernels::dense_backward(&shape, x, w, y, dy, dx, dw, db)?;
    ctx.undefined()
}

/// unsortedSegmentSum(data, segmentIds, numSegments, out)
fn unsorted_segment_sum(ctx: &CallContext) -> JsResult<napi_value> {
    let data = ctx.typed_array_ref::<f32>(0, "data")?;
    let ids = ctx.typed_array_ref::<i32>(1, "segmentIds")?;
    let num_segments = ctx.index_arg(2, "numSegments", i32::MAX as usize)?;
    let out = ctx.typed_array::<f32>(3, "out")?;
    acme_kernels::unsorted_segment_sum(data, ids, num_segments, out)?;
    ctx.undefined()
}

/// adamUpdate(param, grad, m, v, paramOut, mOut, vOut, hyper)
fn adam_update(ctx: &CallContext) -> JsResult<napi_value> {
    let param = ctx.typed_array_ref::<f32>(0, "param")?;
    let grad = ctx.typed_array_ref::<f32>(1, "grad")?;
    let m = ctx.typed_array_ref::<f32>(2, "m")?;
    let v = ctx.typed_array_ref::<f32>(3, "v")?;
    let param_out = ctx.typed_array::<f32>(4, "paramOut")?;
    let m_out = ctx.typed_array::<f32>(5, "mOut")?;
    let v_out = ctx.typed_array::<f32>(6, "vOut")?;
    let hyper = AdamHyper::from_fields(ctx.typed_array_ref::<f64>(7, "hyper")?)?;
    acme_kernels::adam_update(&hyper, param, grad, m, v, param_out, m_out, v_out)?;
    ctx.undefined()
}
