//! Exports of `acme-stats`. Handles are pointers to boxed values owned by the JavaScript wrapper,
//! which frees them exactly once (explicitly or through a FinalizationRegistry).
#![allow(clippy::missing_safety_doc)]

use crate::ffi::{boxed, disjoint, fail, slice, slice_mut, status};
use acme_common::ArgError;
use acme_stats::RunningMeanStd;

#[no_mangle]
pub unsafe extern "C" fn acme_sum_f32(ptr: *const f32, len: usize) -> f64 {
    acme_stats::sum_f32(slice(ptr, len))
}

#[no_mangle]
pub unsafe extern "C" fn acme_panic_for_testing(ptr: *const u8, len: usize) {
    panic!("{}", String::from_utf8_lossy(slice(ptr, len)));
}

#[no_mangle]
pub extern "C" fn acme_rms_new(dim: u32, epsilon: f64) -> *mut RunningMeanStd {
    boxed(RunningMeanStd::new(dim as usize, epsilon))
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_free(rms: *mut RunningMeanStd) {
    drop(Box::from_raw(rms));
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_update(rms: *mut RunningMeanStd, ptr: *const f32, len: usize) -> i32 {
    status((*rms).update(slice(ptr, len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_normalize(
    rms: *const RunningMeanStd,
    input: *const f32,
    input_len: usize,
    output: *mut f32,
    output_len: usize,
    clip: f32,
) -> i32 {
    if !disjoint(input, input_len, output, output_len) {
        return fail(ArgError::range("output must not share memory with input"));
    }
    status((*rms).normalize(slice(input, input_len), slice_mut(output, output_len), clip))
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_dim(rms: *const RunningMeanStd) -> u32 {
    (*rms).dim() as u32
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_count(rms: *const RunningMeanStd) -> f64 {
    (*rms).count()
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_mean(rms: *const RunningMeanStd) -> *const f64 {
    (*rms).mean().as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn acme_rms_var(rms: *const RunningMeanStd) -> *const f64 {
    (*rms).var().as_ptr()
}
