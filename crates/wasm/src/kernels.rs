//! Exports of `acme-kernels`. The loader copies inputs into this module's memory and outputs
//! back (the portable path; the N-API addon reads the caller's memory in place). wasm32 has no
//! threads here, so every kernel runs on the calling thread.
#![allow(clippy::missing_safety_doc, clippy::too_many_arguments)]

use crate::ffi::{fail, slice, slice_mut, status};
use acme_kernels::{Activation, AdamHyper, Conv2dGeometry, DenseShape, MatMulShape};

fn geometry(ptr: *const i32, len: usize) -> Result<Conv2dGeometry, i32> {
    Conv2dGeometry::from_fields(unsafe { slice(ptr, len) }).map_err(fail)
}

#[no_mangle]
pub unsafe extern "C" fn acme_conv2d(
    x: *const f32,
    x_len: usize,
    filter: *const f32,
    filter_len: usize,
    bias: *const f32,
    bias_len: usize,
    y: *mut f32,
    y_len: usize,
    geom: *const i32,
    geom_len: usize,
    activation: i32,
    threads: f64,
) -> i32 {
    let g = match geometry(geom, geom_len) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let activation = match Activation::from_code(activation) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    // Checked as the N-API binding checks it, then unused: wasm32 runs on one thread.
    if let Err(e) = acme_kernels::check_threads(threads) {
        return fail(e);
    }
    status(acme_kernels::conv2d(
        &g,
        slice(x, x_len),
        slice(filter, filter_len),
        slice(bias, bias_len),
        activation,
        slice_mut(y, y_len),
        1,
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_conv2d_backprop_filter(
    x: *const f32,
    x_len: usize,
    dy: *const f32,
    dy_len: usize,
    dfilter: *mut f32,
    dfilter_len: usize,
    geom: *const i32,
    geom_len: usize,
    threads: f64,
) -> i32 {
    let g = match geometry(geom, geom_len) {
        Ok(g) => g,
        Err(code) => return code,
    };
    // Checked as the N-API binding checks it, then unused: wasm32 runs on one thread.
    if let Err(e) = acme_kernels::check_threads(threads) {
        return fail(e);
    }
    status(acme_kernels::conv2d_backprop_filter(
        &g,
        slice(x, x_len),
        slice(dy, dy_len),
        slice_mut(dfilter, dfilter_len),
        1,
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_conv2d_backprop_input(
    dy: *const f32,
    dy_len: usize,
    filter: *const f32,
    filter_len: usize,
    dx: *mut f32,
    dx_len: usize,
    geom: *const i32,
    geom_len: usize,
    threads: f64,
) -> i32 {
    let g = match geometry(geom, geom_len) {
        Ok(g) => g,
        Err(code) => return code,
    };
    // Checked as the N-API binding checks it, then unused: wasm32 runs on one thread.
    if let Err(e) = acme_kernels::check_threads(threads) {
        return fail(e);
    }
    status(acme_kernels::conv2d_backprop_input(
        &g,
        slice(dy, dy_len),
        slice(filter, filter_len),
        slice_mut(dx, dx_len),
        1,
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_mat_mul(
    a: *const f32,
    a_len: usize,
    b: *const f32,
    b_len: usize,
    bias: *const f32,
    bias_len: usize,
    out: *mut f32,
    out_len: usize,
    shape: *const i32,
    shape_len: usize,
    threads: f64,
) -> i32 {
    let s = match MatMulShape::from_fields(slice(shape, shape_len)) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    // Checked as the N-API binding checks it, then unused: wasm32 runs on one thread.
    if let Err(e) = acme_kernels::check_threads(threads) {
        return fail(e);
    }
    status(acme_kernels::matmul(
        &s,
        slice(a, a_len),
        slice(b, b_len),
        slice(bias, bias_len),
        slice_mut(out, out_len),
        1,
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_dense_backward(
    x: *const f32,
    x_len: usize,
    w: *const f32,
    w_len: usize,
    y: *const f32,
    y_len: usize,
    dy: *const f32,
    dy_len: usize,
    dx: *mut f32,
    dx_len: usize,
    dw: *mut f32,
    dw_len: usize,
    db: *mut f32,
    db_len: usize,
    shape: *const i32,
    shape_len: usize,
) -> i32 {
    let s = match DenseShape::from_fields(slice(shape, shape_len)) {
        Ok(s) => DenseShape { threads: 1, ..s },
        Err(e) => return fail(e),
    };
    status(acme_kernels::dense_backward(
        &s,
        slice(x, x_len),
        slice(w, w_len),
        slice(y, y_len),
        slice(dy, dy_len),
        slice_mut(dx, dx_len),
        slice_mut(dw, dw_len),
        slice_mut(db, db_len),
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_unsorted_segment_sum(
    data: *const f32,
    data_len: usize,
    ids: *const i32,
    ids_len: usize,
    num_segments: u32,
    out: *mut f32,
    out_len: usize,
) -> i32 {
    status(acme_kernels::unsorted_segment_sum(
        slice(data, data_len),
        slice(ids, ids_len),
        num_segments as usize,
        slice_mut(out, out_len),
    ))
}

#[no_mangle]
pub unsafe extern "C" fn acme_adam_update(
    param: *const f32,
    param_len: usize,
    grad: *const f32,
    grad_len: usize,
    m: *const f32,
    m_len: usize,
    v: *const f32,
    v_len: usize,
    param_out: *mut f32,
    param_out_len: usize,
    m_out: *mut f32,
    m_out_len: usize,
    v_out: *mut f32,
    v_out_len: usize,
    hyper: *const f64,
    hyper_len: usize,
) -> i32 {
    let h = match AdamHyper::from_fields(slice(hyper, hyper_len)) {
        Ok(h) => h,
        Err(e) => return fail(e),
    };
    status(acme_kernels::adam_update(
        &h,
        slice(param, param_len),
        slice(grad, grad_len),
        slice(m, m_len),
        slice(v, v_len),
        slice_mut(param_out, param_out_len),
        slice_mut(m_out, m_out_len),
        slice_mut(v_out, v_out_len),
    ))
}
