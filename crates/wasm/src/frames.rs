//! Exports of `acme-frames`. Handles are pointers to boxed values owned by the JavaScript wrapper,
//! which frees them exactly once. Frames are read from, and observations written to, buffers the
//! wrapper allocated in wasm memory (and hands out as views, so callers can fill them in place).
//! Optional buffers are passed with a flag (`has_*`), lengths always: `acme-frames` checks them.
#![allow(clippy::missing_safety_doc, clippy::too_many_arguments)]

use crate::ffi::{boxed, slice, slice_mut, status};
use acme_common::Result;
use acme_frames::{FrameOptions, FramePreprocessor, FramePreprocessorBatch, ResetFill};

fn options(
    height: u32,
    width: u32,
    out_height: u32,
    out_width: u32,
    grayscale: u32,
    pooled_frames: u32,
    stack: u32,
    reset_fill: u32,
) -> Result<FrameOptions> {
    Ok(FrameOptions {
        height: height as usize,
        width: width as usize,
        out_height: out_height as usize,
        out_width: out_width as usize,
        grayscale: grayscale != 0,
        pooled_frames: pooled_frames as usize,
        stack: stack as usize,
        reset_fill: ResetFill::from_code(reset_fill)?,
    })
}

unsafe fn optional<'a>(has: u32, ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    if has != 0 {
        Some(slice(ptr, len))
    } else {
        None
    }
}

#[no_mangle]
pub extern "C" fn acme_frames_new(
    height: u32,
    width: u32,
    out_height: u32,
    out_width: u32,
    grayscale: u32,
    pooled_frames: u32,
    stack: u32,
    reset_fill: u32,
) -> *mut FramePreprocessor {
    let o = options(height, width, out_height, out_width, grayscale, pooled_frames, stack, reset_fill);
    boxed(o.and_then(|o| FramePreprocessor::new(&o)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_free(p: *mut FramePreprocessor) {
    drop(Box::from_raw(p));
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_reset(p: *mut FramePreprocessor, frame: *const u8, len: usize) -> i32 {
    status((*p).reset(slice(frame, len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_step(
    p: *mut FramePreprocessor,
    has_previous: u32,
    previous: *const u8,
    previous_len: usize,
    latest: *const u8,
    latest_len: usize,
) -> i32 {
    status((*p).step(optional(has_previous, previous, previous_len), slice(latest, latest_len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_read_u8(p: *const FramePreprocessor, out: *mut u8, len: usize) -> i32 {
    status((*p).read_u8(slice_mut(out, len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_read_f32(p: *const FramePreprocessor, out: *mut f32, len: usize) -> i32 {
    status((*p).read_f32(slice_mut(out, len)))
}

#[no_mangle]
pub extern "C" fn acme_frames_batch_new(
    num_envs: u32,
    height: u32,
    width: u32,
    out_height: u32,
    out_width: u32,
    grayscale: u32,
    pooled_frames: u32,
    stack: u32,
    reset_fill: u32,
) -> *mut FramePreprocessorBatch {
    let o = options(height, width, out_height, out_width, grayscale, pooled_frames, stack, reset_fill);
    boxed(o.and_then(|o| FramePreprocessorBatch::new(num_envs as usize, &o)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_batch_free(b: *mut FramePreprocessorBatch) {
    drop(Box::from_raw(b));
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_batch_reset(
    b: *mut FramePreprocessorBatch,
    frames: *const u8,
    frames_len: usize,
    has_mask: u32,
    mask: *const u8,
    mask_len: usize,
) -> i32 {
    status((*b).reset(slice(frames, frames_len), optional(has_mask, mask, mask_len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_batch_step(
    b: *mut FramePreprocessorBatch,
    has_previous: u32,
    previous: *const u8,
    previous_len: usize,
    latest: *const u8,
    latest_len: usize,
    has_mask: u32,
    mask: *const u8,
    mask_len: usize,
) -> i32 {
    let previous = optional(has_previous, previous, previous_len);
    status((*b).step(previous, slice(latest, latest_len), optional(has_mask, mask, mask_len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_batch_read_u8(b: *const FramePreprocessorBatch, out: *mut u8, len: usize) -> i32 {
    status((*b).read_u8(slice_mut(out, len)))
}

#[no_mangle]
pub unsafe extern "C" fn acme_frames_batch_read_f32(
    b: *const FramePreprocessorBatch,
    out: *mut f32,
    len: usize,
) -> i32 {
    status((*b).read_f32(slice_mut(out, len)))
}
