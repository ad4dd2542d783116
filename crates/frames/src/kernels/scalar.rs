//! Portable versions of the kernels (and the fallback on CPUs without AVX2).

use super::Footprint;
use crate::opencv::{gray as gray_px, round_half_even, round_u8, AreaAxis};
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

/// The columns `dx < out` whose bit is set in `near` (bit `dx % 32` of word `dx / 32`), in order.
pub fn flagged(near: &[u32], out: usize) -> impl Iterator<Item = usize> + '_ {
    near.iter()
        .enumerate()
        .flat_map(|(word, &bits)| {
            let mut bits = bits;
            core::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let dx = word * 32 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(dx)
            })
        })
        .filter(move |&dx| dx < out)
}

/// Each flagged column recomputed by `area_value4`; returns how many.
pub fn exact(f: &Footprint, h: &Horizontal, near: &[u32], orow: &mut [u8]) -> usize {
    let mut count = 0;
    for dx in flagged(near, h.out) {
        orow[dx] = area_value4(f, h, dx);
        count += 1;
    }
    count
}

/// `opencv::area_value` specialised to footprints of at most 4 columns, read through the
/// horizontal plan's 4-wide window: the extra taps have weight 0 and come last, and adding
/// `0 * x = +0` to a non-negative float changes nothing, so the float operations are OpenCV's.
#[inline]
fn area_value4(f: &Footprint, h: &Horizontal, dx: usize) -> u8 {
    let start = h.start[dx] as usize;
    let w = &h.weights4[4 * dx..4 * dx + 4];
    let buf = |r: usize| {
        let g = &f.source[r * f.stride + start..r * f.stride + start + 4];
        g[0] * w[0] + g[1] * w[1] + g[2] * w[2] + g[3] * w[3]
    };
    let mut sum = f.betas[0] * buf(f.rows[0]);
    for (&r, &beta) in f.rows.iter().zip(f.betas).skip(1) {
        sum += beta * buf(r);
    }
    round_u8(sum)
}
