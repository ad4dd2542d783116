//! AVX-512 kernels (x86-64 with AVX-512 F, BW, VBMI and VNNI: Intel Ice Lake and later, AMD Zen 4),
//! chosen at run time ahead of the AVX2 ones. Sixteen pixels or columns per vector, byte permutes
//! across the whole register and two-register float permutes cut the instructions per frame by
//! about half. Compiled only by compilers that have these intrinsics (Rust >= 1.89, see build.rs).

// The crate's declared minimum (1.63) never compiles this file; build.rs sees to that.
#![allow(clippy::incompatible_msrv)]

use super::{scalar, x86, Footprint, Kernels};
use crate::plan::{padded, Gather16, Horizontal};
use std::arch::x86_64::*;

pub fn kernels() -> Option<Kernels> {
    // AVX-512 machines have AVX2 and FMA too; the resample falls back to the AVX2 kernel.
    x86::kernels()?;
    let has = is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512vbmi")
        && is_x86_feature_detected!("avx512vnni");
    has.then_some(Kernels {
        name: "avx512",
        gray: |p, l, f, o| unsafe { gray(p, l, f, o) },
        vertical: |p, s, r, w, v| unsafe { vertical(p, s, r, w, v) },
        resample: |v, h, o, l, n, f| unsafe { resample(v, h, o, l, n, f) },
        interleave4: |s, o| unsafe { interleave4(s, o) },
        // This gray kernel's fixed cost per call is small: rows are made just in time, which was
        // faster with many environments' frames (streamed from memory) and the same on one frame.
        gray_batch: 1,
    })
}

/// A 64-byte permute index, aligned for a plain vector load.
#[repr(C, align(64))]
struct Index([u8; 64]);

/// Byte `4i + 2j` takes byte `3i + channel + j` of a 16-pixel RGB load, for j < `per_pixel`
/// (other bytes are zeroed by the permute's mask, see `gray_impl`).
const fn pixel_index(channel: usize, per_pixel: usize) -> Index {
    let mut index = [0u8; 64];
    let mut i = 0;
    while i < 16 {
        let mut j = 0;
        while j < per_pixel {
            index[4 * i + 2 * j] = (3 * i + channel + j) as u8;
            j += 1;
        }
        i += 1;
    }
    Index(index)
}

/// (R, G) of pixel i as the 16-bit pair in dword i; B likewise with a zero partner.
static RG_INDEX: Index = pixel_index(0, 2);
static B_INDEX: Index = pixel_index(2, 1);
/// The bytes the permutes keep: the low byte of each 16-bit word (R, G) or of each dword (B).
const RG_BYTES: u64 = 0x5555_5555_5555_5555;
const B_BYTES: u64 = 0x1111_1111_1111_1111;

#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512vnni")]
unsafe fn gray(previous: Option<&[u8]>, latest: &[u8], from: usize, out: &mut [f32]) {
    match previous {
        Some(prev) => gray_impl::<true>(prev, latest, from, out),
        None => gray_impl::<false>(latest, latest, from, out),
    }
}

/// Sixteen pixels per step from one 48-byte load at byte `3p`: two masked byte permutes lay out
/// (R, G) and (B, 0) as 16-bit pairs, and two `vpdpwssd` accumulate 16384 + 9798 R + 19235 G +
/// 3735 B per pixel (OpenCV's fixed-point weights and rounding term), shifted right by 15.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512vnni")]
#[inline]
unsafe fn gray_impl<const POOL: bool>(prev: &[u8], latest: &[u8], from: usize, out: &mut [f32]) {
    let (n, to) = (latest.len() / 3, from + out.len());
    assert!(to <= n && prev.len() >= latest.len());
    let rg = _mm512_loadu_si512(RG_INDEX.0.as_ptr() as *const _);
    let bl = _mm512_loadu_si512(B_INDEX.0.as_ptr() as *const _);
    let half = _mm512_set1_epi32(1 << 14);
    let w_rg = _mm512_set1_epi32((19235 << 16) | 9798);
    let w_b = _mm512_set1_epi32(3735);
    let (a, b, o) = (latest.as_ptr(), prev.as_ptr(), out.as_mut_ptr().sub(from));
    // Macros rather than closures: closures do not inherit `target_feature`.
    macro_rules! gray16 {
        ($v:expr) => {{
            let v = $v;
            let pairs_rg = _mm512_maskz_permutexvar_epi8(RG_BYTES, rg, v);
            let pairs_b = _mm512_maskz_permutexvar_epi8(B_BYTES, bl, v);
            let sum = _mm512_dpwssd_epi32(_mm512_dpwssd_epi32(half, pairs_rg, w_rg), pairs_b, w_b);
            _mm512_cvtepi32_ps(_mm512_srli_epi32::<15>(sum))
        }};
    }
    macro_rules! step {
        ($p:expr) => {{
            let p = $p;
            let mut v = _mm512_loadu_si512(a.add(3 * p) as *const _);
            if POOL {
                v = _mm512_max_epu8(v, _mm512_loadu_si512(b.add(3 * p) as *const _));
            }
            _mm512_storeu_ps(o.add(p), gray16!(v));
        }};
    }
    // A full step at p needs p + 16 <= to, and 3p + 64 <= 3n for its 64-byte load.
    let end = to.min(n.saturating_sub(6));
    let mut p = from;
    // Two steps per iteration halve the loop overhead.
    while p + 32 <= end {
        step!(p);
        step!(p + 16);
        p += 32;
    }
    while p + 16 <= end {
        step!(p);
        p += 16;
    }
    // The rest with masked loads and stores, which never touch the bytes they leave out.
    while p < to {
        let m = (to - p).min(16);
        let bytes = (1u64 << (3 * m)) - 1;
        let mut v = _mm512_maskz_loadu_epi8(bytes, a.add(3 * p) as *const i8);
        if POOL {
            v = _mm512_max_epu8(v, _mm512_maskz_loadu_epi8(bytes, b.add(3 * p) as *const i8));
        }
        _mm512_mask_storeu_ps(o.add(p), ((1u32 << m) - 1) as u16, gray16!(v));
        p += m;
    }
}

#[target_feature(enable = "avx512f")]
unsafe fn vertical(plane: &[f32], stride: usize, rows: &[usize], weights: &[f32], vrow: &mut [f32]) {
    let cols = padded(stride);
    assert!(vrow.len() >= cols && rows.len() == weights.len() && !rows.is_empty());
    assert!(rows.iter().all(|&r| r * stride + cols <= plane.len()));
    let base = plane.as_ptr();
    let v = vrow.as_mut_ptr();
    let row = |i: usize| base.add(rows[i] * stride);
    macro_rules! w {
        ($i:expr) => {
            _mm512_set1_ps(weights[$i])
        };
    }
    // `cols` is a multiple of 32 (`padded`), so steps of 16 need no tail.
    match rows.len() {
        // The common footprints get unrolled loops with the weights in registers.
        2 => {
            let (r0, r1, w0, w1) = (row(0), row(1), w!(0), w!(1));
            for x in (0..cols).step_by(16) {
                let acc = _mm512_mul_ps(w0, _mm512_loadu_ps(r0.add(x)));
                _mm512_storeu_ps(v.add(x), _mm512_fmadd_ps(w1, _mm512_loadu_ps(r1.add(x)), acc));
            }
        }
        3 => {
            let (r0, r1, r2, w0, w1, w2) = (row(0), row(1), row(2), w!(0), w!(1), w!(2));
            for x in (0..cols).step_by(16) {
                let acc = _mm512_mul_ps(w0, _mm512_loadu_ps(r0.add(x)));
                let acc = _mm512_fmadd_ps(w1, _mm512_loadu_ps(r1.add(x)), acc);
                _mm512_storeu_ps(v.add(x), _mm512_fmadd_ps(w2, _mm512_loadu_ps(r2.add(x)), acc));
            }
        }
        _ => {
            for x in (0..cols).step_by(16) {
                let mut acc = _mm512_mul_ps(w!(0), _mm512_loadu_ps(row(0).add(x)));
                for (&r, &weight) in rows.iter().zip(weights).skip(1) {
                    acc = _mm512_fmadd_ps(_mm512_set1_ps(weight), _mm512_loadu_ps(base.add(r * stride + x)), acc);
                }
                _mm512_storeu_ps(v.add(x), acc);
            }
        }
    }
}

/// Where a fast value is near a tie, its group of 16 columns is recomputed in OpenCV's order at
/// once (see `exact_group`), so `near` is only used by the AVX2 fallback.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn resample(
    vrow: &[f32],
    h: &Horizontal,
    orow: &mut [u8],
    limit: f32,
    near: &mut [u32],
    f: &Footprint,
) -> usize {
    let groups = match &h.gather16 {
        Some(groups) => groups,
        // Footprints too far apart for one 32-value permute (downscaling by about 2 or more).
        None => {
            return if x86::resample(vrow, h, orow, limit, near) { scalar::exact(f, h, near, orow) } else { 0 };
        }
    };
    let n = padded(h.out);
    assert!(h.window_end <= vrow.len() && 16 * groups.len() >= n && h.taps <= 4 && orow.len() >= n);
    assert!(!f.rows.is_empty() && f.rows.len() == f.betas.len());
    // Every group reads 32 values from its base in each footprint row, so up to `window_end`.
    assert!(f.rows.iter().all(|&r| r * f.stride + h.window_end <= f.source.len()));
    let v = vrow.as_ptr();
    match h.taps {
        1 | 2 => resample_taps::<2>(v, groups, h.out, orow, limit, f),
        3 => resample_taps::<3>(v, groups, h.out, orow, limit, f),
        _ => resample_taps::<4>(v, groups, h.out, orow, limit, f),
    }
}

/// Sixteen columns per step: tap `t` of all sixteen is one permute of the 32 values at the group's
/// base, times the tap's weights, summed by multiply-adds; then rounded half to even (MXCSR's
/// default, as Rust and JavaScript engines leave it) and narrowed to bytes. A group with a value
/// near a tie (a branch mostly not taken, so cheap) is recomputed exactly.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
unsafe fn resample_taps<const TAPS: usize>(
    v: *const f32,
    groups: &[Gather16],
    out: usize,
    orow: &mut [u8],
    limit: f32,
    f: &Footprint,
) -> usize {
    let lim = _mm512_set1_ps(limit);
    let mut count = 0;
    for (g, group) in groups.iter().enumerate().take((out + 15) / 16) {
        let base = v.add(group.base as usize);
        let (lo, hi) = (_mm512_loadu_ps(base), _mm512_loadu_ps(base.add(16)));
        macro_rules! tap {
            ($t:expr) => {
                _mm512_permutex2var_ps(lo, _mm512_load_si512(group.index[$t].as_ptr() as *const _), hi)
            };
        }
        let mut sum = _mm512_mul_ps(tap!(0), _mm512_load_ps(group.weight[0].as_ptr()));
        for t in 1..TAPS {
            sum = _mm512_fmadd_ps(tap!(t), _mm512_load_ps(group.weight[t].as_ptr()), sum);
        }
        let ints = _mm512_cvtps_epi32(sum);
        let dist = _mm512_abs_ps(_mm512_sub_ps(sum, _mm512_cvtepi32_ps(ints)));
        let near = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(dist, lim) as u32;
        let dst = orow.as_mut_ptr().add(16 * g);
        _mm_storeu_si128(dst as *mut __m128i, _mm512_cvtusepi32_epi8(ints));
        // Columns past `out` have zero weights: 0, never near a tie.
        if near != 0 {
            count += exact_group(f, group, TAPS, near, dst);
        }
    }
    count
}

/// The flagged columns of one group of 16 (bits of `near`) recomputed in OpenCV's order: per
/// footprint row, the horizontal products summed in tap order, then the rows weighted and summed in
/// order, every product and sum rounded to float32 as in OpenCV's scalar loop. Taps past a column's
/// footprint have weight 0 and come last: adding `+0` changes nothing. All 16 are computed (about
/// what two alone would cost) and the flagged ones stored. Returns how many.
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
unsafe fn exact_group(f: &Footprint, group: &Gather16, taps: usize, near: u32, dst: *mut u8) -> usize {
    let mut sum = _mm512_setzero_ps();
    for (i, (&r, &beta)) in f.rows.iter().zip(f.betas).enumerate() {
        let base = f.source.as_ptr().add(r * f.stride + group.base as usize);
        let (lo, hi) = (_mm512_loadu_ps(base), _mm512_loadu_ps(base.add(16)));
        macro_rules! product {
            ($t:expr) => {
                _mm512_mul_ps(
                    _mm512_permutex2var_ps(lo, _mm512_load_si512(group.index[$t].as_ptr() as *const _), hi),
                    _mm512_load_ps(group.weight[$t].as_ptr()),
                )
            };
        }
        let mut buf = product!(0);
        for t in 1..taps {
            buf = _mm512_add_ps(buf, product!(t));
        }
        let term = _mm512_mul_ps(_mm512_set1_ps(beta), buf);
        sum = if i == 0 { term } else { _mm512_add_ps(sum, term) };
    }
    // Rounded half to even (MXCSR's default) and saturated, as OpenCV's `saturate_cast`.
    let bytes = _mm512_cvtusepi32_epi8(_mm512_cvtps_epi32(sum));
    _mm_mask_storeu_epi8(dst as *mut i8, near as u16, bytes);
    near.count_ones() as usize
}

/// 64 elements of each slot per step: byte, then word unpacks build 4-byte groups within each
/// 128-bit lane (lane L of q0..q3 holds elements 16L+0..3, +4..7, +8..11, +12..15), and a 4x4
/// transpose of lanes by two rounds of `vshufi64x2` puts them in order.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn interleave4(slots: [&[u8]; 4], out: &mut [u8]) {
    let [a, b, c, d] = slots;
    let n = a.len().min(b.len()).min(c.len()).min(d.len()).min(out.len() / 4);
    let m = n / 64 * 64;
    let o = out.as_mut_ptr();
    for e in (0..m).step_by(64) {
        macro_rules! load {
            ($s:expr) => {
                _mm512_loadu_si512($s.as_ptr().add(e) as *const _)
            };
        }
        let (va, vb, vc, vd) = (load!(a), load!(b), load!(c), load!(d));
        let (ab_lo, ab_hi) = (_mm512_unpacklo_epi8(va, vb), _mm512_unpackhi_epi8(va, vb));
        let (cd_lo, cd_hi) = (_mm512_unpacklo_epi8(vc, vd), _mm512_unpackhi_epi8(vc, vd));
        let q0 = _mm512_unpacklo_epi16(ab_lo, cd_lo);
        let q1 = _mm512_unpackhi_epi16(ab_lo, cd_lo);
        let q2 = _mm512_unpacklo_epi16(ab_hi, cd_hi);
        let q3 = _mm512_unpackhi_epi16(ab_hi, cd_hi);
        // (q0.0 q0.1 q1.0 q1.1), (q2.0 q2.1 q3.0 q3.1), (q0.2 q0.3 q1.2 q1.3), (q2.2 q2.3 q3.2 q3.3)
        let t0 = _mm512_shuffle_i64x2::<0b01_00_01_00>(q0, q1);
        let t1 = _mm512_shuffle_i64x2::<0b01_00_01_00>(q2, q3);
        let t2 = _mm512_shuffle_i64x2::<0b11_10_11_10>(q0, q1);
        let t3 = _mm512_shuffle_i64x2::<0b11_10_11_10>(q2, q3);
        let dst = o.add(4 * e) as *mut __m512i;
        _mm512_storeu_si512(dst as *mut _, _mm512_shuffle_i64x2::<0b10_00_10_00>(t0, t1));
        _mm512_storeu_si512(dst.add(1) as *mut _, _mm512_shuffle_i64x2::<0b11_01_11_01>(t0, t1));
        _mm512_storeu_si512(dst.add(2) as *mut _, _mm512_shuffle_i64x2::<0b10_00_10_00>(t2, t3));
        _mm512_storeu_si512(dst.add(3) as *mut _, _mm512_shuffle_i64x2::<0b11_01_11_01>(t2, t3));
    }
    // The rest (fewer than 64 elements) by the AVX2 kernel.
    x86::interleave4([&a[m..n], &b[m..n], &c[m..n], &d[m..n]], &mut out[4 * m..4 * n]);
}
