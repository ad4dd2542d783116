//! Portable versions of the kernels (and the fallback on CPUs without AVX2).

use crate::opencv::{gray as gray_px, round_half_even, AreaAxis};
use crate::plan::{padded, Horizontal};

pub fn gray(previous: Option<&[u8]>, latest: &[u8], from: usize, out: &mut [f32]) {
    let px = |i: usize| match previous {
        Some(prev) => gray_px(latest[i].max(prev[i]), latest[i + 1].max(prev[i + 1]), latest[i + 2].max(prev[i + 2])),
        None => gray_px(latest[i], latest[i + 1], latest[i + 2]),
    };
    for (p, o) in (from..).zip(out.iter_mut()) {
        *o = px(3 * p) as f32;
    }
}

pub fn vertical(plane: &[f32], stride: usize, rows: &[usize], weights: &[f32], vrow: &mut [f32]) {
    let cols = padded(stride);
    let first = &plane[rows[0] * stride..rows[0] * stride + cols];
    for (v, &s) in vrow[..cols].iter_mut().zip(first) {
        *v = weights[0] * s;
    }
    for (&row, &w) in rows.iter().zip(weights).skip(1) {
        for (v, &s) in vrow[..cols].iter_mut().zip(&plane[row * stride..row * stride + cols]) {
            *v += w * s;
        }
    }
}

pub fn resample(vrow: &[f32], h: &Horizontal, orow: &mut [u8], limit: f32, near: &mut [u32]) -> bool {
    assert!(h.window_end <= vrow.len());
    let mut any = false;
    let n = padded(h.out);
    for (dx, (o, (&s, k))) in orow[..n].iter_mut().zip(h.start.iter().zip(h.weights4.chunks_exact(4))).enumerate() {
        let s = s as usize;
        let f = vrow[s] * k[0] + vrow[s + 1] * k[1] + vrow[s + 2] * k[2] + vrow[s + 3] * k[3];
        if dx % 32 == 0 {
            near[dx / 32] = 0;
        }
        any |= round_one(f, limit, o, &mut near[dx / 32], dx);
    }
    any
}

/// Rounds `f` into `out`; flags it in `bits` when near a tie.
#[inline(always)]
fn round_one(f: f32, limit: f32, out: &mut u8, bits: &mut u32, dx: usize) -> bool {
    let r = round_half_even(f);
    *out = r.clamp(0.0, 255.0) as u8;
    let near = (f - r).abs() >= limit;
    *bits |= (near as u32) << (dx % 32);
    near
}

/// `resample` for any number of taps per column (downscaling by more than 3), via `frow`.
pub fn resample_wide(
    vrow: &[f32],
    x: &AreaAxis,
    frow: &mut [f32],
    orow: &mut [u8],
    limit: f32,
    near: &mut [u32],
) -> bool {
    let out = x.start.len() - 1;
    for (dx, f) in frow.iter_mut().enumerate() {
        *f = if dx < out { x.taps(dx).map(|k| vrow[x.src[k]] * x.weight[k]).fold(0.0, |a, b| a + b) } else { 0.0 };
    }
    let mut any = false;
    for (dx, (o, &f)) in orow.iter_mut().zip(frow.iter()).enumerate() {
        if dx % 32 == 0 {
            near[dx / 32] = 0;
        }
        any |= round_one(f, limit, o, &mut near[dx / 32], dx);
    }
    any
}

/// `out[4e + i] = slots[i][e]`.
#[inline]
pub fn interleave4(slots: [&[u8]; 4], out: &mut [u8]) {
    let [a, b, c, d] = slots;
    for ((((o, &a), &b), &c), &d) in out.chunks_exact_mut(4).zip(a).zip(b).zip(c).zip(d) {
        o.copy_from_slice(&[a, b, c, d]);
    }
}
