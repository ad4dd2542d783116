//! AVX2 kernels (x86-64), selected at run time when the CPU has AVX2 and FMA.

use super::{scalar, Kernels};
use crate::plan::{padded, Gather8, Horizontal};
use std::arch::x86_64::*;

pub fn kernels() -> Option<Kernels> {
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        Some(Kernels {
            name: "avx2",
            gray: |p, l, f, o| unsafe { gray(p, l, f, o) },
            vertical: |p, s, r, w, v| unsafe { vertical(p, s, r, w, v) },
            resample: |v, h, o, l, n, f| if unsafe { resample(v, h, o, l, n) } { scalar::exact(f, h, n, o) } else { 0 },
            interleave4: |s, o| unsafe { interleave4(s, o) },
            // This kernel's fixed cost per call is large enough that fewer rows per call were slower
            // on one frame (and no faster with many environments' frames).
            gray_batch: 16,
        })
    } else {
        None
    }
}

#[target_feature(enable = "avx2")]
unsafe fn gray(previous: Option<&[u8]>, latest: &[u8], from: usize, out: &mut [f32]) {
    match previous {
        Some(prev) => gray_impl::<true>(prev, latest, from, out),
        None => gray_impl::<false>(latest, latest, from, out),
    }
}

/// Eight pixels per step from one 32-byte load at byte `3p - 4`: the low lane then holds pixels
/// p..p+3 at bytes 4..15 and the high lane pixels p+4..p+7 at bytes 0..11, so one in-lane byte
/// shuffle lays out (R, G) and (B, 1) as 16-bit pairs, and two `pmaddwd` give
/// 9798 R + 19235 G and 3735 B + 16384 per pixel (OpenCV's own trick for the rounding term).
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn gray_impl<const POOL: bool>(prev: &[u8], latest: &[u8], from: usize, out: &mut [f32]) {
    let (n, to) = (latest.len() / 3, from + out.len());
    assert!(to <= n && prev.len() >= latest.len());
    const Z: i8 = -128; // a shuffle index with the top bit set writes zero
    let rg = _mm256_setr_epi8(
        4, Z, 5, Z, 7, Z, 8, Z, 10, Z, 11, Z, 13, Z, 14, Z, //
        0, Z, 1, Z, 3, Z, 4, Z, 6, Z, 7, Z, 9, Z, 10, Z,
    );
    let bl = _mm256_setr_epi8(
        6, Z, Z, Z, 9, Z, Z, Z, 12, Z, Z, Z, 15, Z, Z, Z, //
        2, Z, Z, Z, 5, Z, Z, Z, 8, Z, Z, Z, 11, Z, Z, Z,
    );
    let one_hi = _mm256_set1_epi32(1 << 16);
    let w_rg = _mm256_set1_epi32((19235 << 16) | 9798);
    let w_b1 = _mm256_set1_epi32((16384 << 16) | 3735);
    let (a, b, o) = (latest.as_ptr(), prev.as_ptr(), out.as_mut_ptr().sub(from));
    let prev = if POOL { Some(prev) } else { None };
    // The first two pixels of a frame have no 4 bytes before them.
    let mut p = from.max(2).min(to);
    if p > from {
        scalar::gray(prev, latest, from, &mut out[..p - from]);
    }
    // A step at p needs p + 8 <= to, and 3p + 28 <= 3n for its load: p < min(to - 7, n - 9).
    let end = if to >= 8 && n >= 10 { (to - 7).min(n - 9) } else { 0 };
    // Macros rather than closures throughout this file: closures do not inherit `target_feature`
    // on older compilers (Rust 1.63 builds this crate too), and the intrinsics would become calls.
    macro_rules! step {
        ($p:expr) => {{
            let p = $p;
            let mut v = _mm256_loadu_si256(a.add(3 * p - 4) as *const __m256i);
            if POOL {
                v = _mm256_max_epu8(v, _mm256_loadu_si256(b.add(3 * p - 4) as *const __m256i));
            }
            let pairs_rg = _mm256_shuffle_epi8(v, rg);
            let pairs_b1 = _mm256_or_si256(_mm256_shuffle_epi8(v, bl), one_hi);
            let sum = _mm256_add_epi32(_mm256_madd_epi16(pairs_rg, w_rg), _mm256_madd_epi16(pairs_b1, w_b1));
            _mm256_storeu_ps(o.add(p), _mm256_cvtepi32_ps(_mm256_srli_epi32(sum, 15)));
        }};
    }
    // Two steps per iteration halve the loop overhead.
    while p + 8 < end {
        step!(p);
        step!(p + 8);
        p += 16;
    }
    while p < end {
        step!(p);
        p += 8;
    }
    if p < to {
        scalar::gray(prev, latest, p, &mut out[p - from..]);
    }
}

#[target_feature(enable = "avx2,fma")]
unsafe fn vertical(plane: &[f32], stride: usize, rows: &[usize], weights: &[f32], vrow: &mut [f32]) {
    let cols = padded(stride);
    assert!(vrow.len() >= cols && rows.len() == weights.len() && !rows.is_empty());
    assert!(rows.iter().all(|&r| r * stride + cols <= plane.len()));
    let base = plane.as_ptr();
    let v = vrow.as_mut_ptr();
    let row = |i: usize| base.add(rows[i] * stride);
    macro_rules! w {
        ($i:expr) => {
            _mm256_set1_ps(weights[$i])
        };
    }
    match rows.len() {
        // The common footprints get unrolled loops with the weights in registers.
        2 => {
            let (r0, r1, w0, w1) = (row(0), row(1), w!(0), w!(1));
            for x in (0..cols).step_by(8) {
                let acc = _mm256_mul_ps(w0, _mm256_loadu_ps(r0.add(x)));
                _mm256_storeu_ps(v.add(x), _mm256_fmadd_ps(w1, _mm256_loadu_ps(r1.add(x)), acc));
            }
        }
        3 => {
            let (r0, r1, r2, w0, w1, w2) = (row(0), row(1), row(2), w!(0), w!(1), w!(2));
            for x in (0..cols).step_by(8) {
                let acc = _mm256_mul_ps(w0, _mm256_loadu_ps(r0.add(x)));
                let acc = _mm256_fmadd_ps(w1, _mm256_loadu_ps(r1.add(x)), acc);
                _mm256_storeu_ps(v.add(x), _mm256_fmadd_ps(w2, _mm256_loadu_ps(r2.add(x)), acc));
            }
        }
        _ => {
            for x in (0..cols).step_by(8) {
                let mut acc = _mm256_mul_ps(w!(0), _mm256_loadu_ps(row(0).add(x)));
                for (&r, &weight) in rows.iter().zip(weights).skip(1) {
                    acc = _mm256_fmadd_ps(_mm256_set1_ps(weight), _mm256_loadu_ps(base.add(r * stride + x)), acc);
                }
                _mm256_storeu_ps(v.add(x), acc);
            }
        }
    }
}

/// Eight columns' sums: each 256-bit register holds two columns' 4-wide source windows times
/// their weights (columns (0|4), (1|5), (2|6), (3|7)), and three `hadd`s reduce them to the eight
/// sums in column order. Works for any footprint of up to 4 taps.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn eight_sums_hadd(v: *const f32, h: &Horizontal, c: usize) -> __m256 {
    let start = h.start.as_ptr().add(c);
    let w = h.avx.as_ptr().add(4 * c);
    let window = |i: usize| v.add(*start.add(i) as usize);
    let p04 = _mm256_mul_ps(_mm256_loadu2_m128(window(4), window(0)), _mm256_loadu_ps(w));
    let p15 = _mm256_mul_ps(_mm256_loadu2_m128(window(5), window(1)), _mm256_loadu_ps(w.add(8)));
    let p26 = _mm256_mul_ps(_mm256_loadu2_m128(window(6), window(2)), _mm256_loadu_ps(w.add(16)));
    let p37 = _mm256_mul_ps(_mm256_loadu2_m128(window(7), window(3)), _mm256_loadu_ps(w.add(24)));
    _mm256_hadd_ps(_mm256_hadd_ps(p04, p15), _mm256_hadd_ps(p26, p37))
}

/// Eight columns' sums from tap vectors: tap `t` of the 8 columns is one permutation of two
/// 8-wide loads at `base + t` (see `Gather8`), so the sums are plain multiply-adds. About half the
/// shuffles of `eight_sums_hadd`, for footprints that fit (downscaling by up to about 2).
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn eight_sums_gather<const TAPS: usize>(v: *const f32, g: &Gather8) -> __m256 {
    let index = _mm256_load_si256(g.index.as_ptr() as *const __m256i);
    let base = v.add(g.base as usize);
    macro_rules! tap {
        ($offset:expr) => {
            _mm256_permutevar8x32_ps(_mm256_loadu_ps(base.add($offset)), index)
        };
    }
    let mut acc = _mm256_mul_ps(tap!(0), _mm256_load_ps(g.low[0].as_ptr()));
    acc = _mm256_fmadd_ps(tap!(8), _mm256_load_ps(g.high[0].as_ptr()), acc);
    for t in 1..TAPS {
        acc = _mm256_fmadd_ps(tap!(t), _mm256_load_ps(g.low[t].as_ptr()), acc);
        acc = _mm256_fmadd_ps(tap!(t + 8), _mm256_load_ps(g.high[t].as_ptr()), acc);
    }
    acc
}

/// 32 columns per step: up to four groups of eight sums (`$sums` for columns `$c..$c + 8`; groups
/// wholly past `$out` are skipped and give 0), rounded half to even, packed to bytes, and one 32-bit
/// near-tie mask.
macro_rules! round32 {
    ($n:expr, $out:expr, $orow:expr, $limit:expr, $near:expr, |$c:ident| $sums:expr) => {{
        let sign = _mm256_set1_ps(-0.0);
        let lim = _mm256_set1_ps($limit);
        let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        let mut any = 0;
        for g in (0..$n).step_by(32) {
            let mut mask = 0u32;
            let mut ints = [_mm256_setzero_si256(); 4];
            let groups = ($out - g + 7) / 8;
            for (q, slot) in ints.iter_mut().enumerate().take(groups) {
                let $c = g + 8 * q;
                let f = $sums;
                // cvtps2dq rounds by MXCSR: to nearest, ties to even, as Rust and JavaScript
                // engines always leave it. (Values are in [0, 256), so the conversions are exact.)
                let i = _mm256_cvtps_epi32(f);
                let dist = _mm256_andnot_ps(sign, _mm256_sub_ps(f, _mm256_cvtepi32_ps(i)));
                mask |= (_mm256_movemask_ps(_mm256_cmp_ps(dist, lim, _CMP_GE_OQ)) as u32) << (8 * q);
                *slot = i;
            }
            // packus works within 128-bit lanes: the bytes come out as dwords (q, half) in the
            // order (0,lo) (1,lo) (2,lo) (3,lo) | (0,hi) (1,hi) (2,hi) (3,hi); a permute restores it.
            let words01 = _mm256_packus_epi32(ints[0], ints[1]);
            let words23 = _mm256_packus_epi32(ints[2], ints[3]);
            let bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(words01, words23), order);
            _mm256_storeu_si256($orow.as_mut_ptr().add(g) as *mut __m256i, bytes);
            $near[g / 32] = mask;
            any |= mask;
        }
        any != 0
    }};
}

#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn resample(vrow: &[f32], h: &Horizontal, orow: &mut [u8], limit: f32, near: &mut [u32]) -> bool {
    let n = padded(h.out);
    assert!(h.window_end <= vrow.len() && h.start.len() >= n && h.avx.len() >= 4 * n);
    assert!(orow.len() >= n && near.len() >= n / 32 && h.taps <= 4);
    let v = vrow.as_ptr();
    match (&h.gather, h.taps) {
        (Some(g), 1 | 2) => round32!(n, h.out, orow, limit, near, |c| eight_sums_gather::<2>(v, &g[c / 8])),
        (Some(g), 3) => round32!(n, h.out, orow, limit, near, |c| eight_sums_gather::<3>(v, &g[c / 8])),
        (Some(g), _) => round32!(n, h.out, orow, limit, near, |c| eight_sums_gather::<4>(v, &g[c / 8])),
        (None, _) => round32!(n, h.out, orow, limit, near, |c| eight_sums_hadd(v, h, c)),
    }
}

/// Byte, then word unpacks build 4-byte groups within lanes; cross-lane permutes put them in order.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn interleave4(slots: [&[u8]; 4], out: &mut [u8]) {
    let [a, b, c, d] = slots;
    let n = a.len().min(b.len()).min(c.len()).min(d.len()).min(out.len() / 4);
    let m = n / 32 * 32;
    let o = out.as_mut_ptr();
    for e in (0..m).step_by(32) {
        let (va, vb, vc, vd) = (
            _mm256_loadu_si256(a.as_ptr().add(e) as *const __m256i),
            _mm256_loadu_si256(b.as_ptr().add(e) as *const __m256i),
            _mm256_loadu_si256(c.as_ptr().add(e) as *const __m256i),
            _mm256_loadu_si256(d.as_ptr().add(e) as *const __m256i),
        );
        let (ab_lo, ab_hi) = (_mm256_unpacklo_epi8(va, vb), _mm256_unpackhi_epi8(va, vb));
        let (cd_lo, cd_hi) = (_mm256_unpacklo_epi8(vc, vd), _mm256_unpackhi_epi8(vc, vd));
        // Elements (0-3 | 16-19), (4-7 | 20-23), (8-11 | 24-27), (12-15 | 28-31).
        let q0 = _mm256_unpacklo_epi16(ab_lo, cd_lo);
        let q1 = _mm256_unpackhi_epi16(ab_lo, cd_lo);
        let q2 = _mm256_unpacklo_epi16(ab_hi, cd_hi);
        let q3 = _mm256_unpackhi_epi16(ab_hi, cd_hi);
        let dst = o.add(4 * e) as *mut __m256i;
        _mm256_storeu_si256(dst, _mm256_permute2x128_si256(q0, q1, 0x20));
        _mm256_storeu_si256(dst.add(1), _mm256_permute2x128_si256(q2, q3, 0x20));
        _mm256_storeu_si256(dst.add(2), _mm256_permute2x128_si256(q0, q1, 0x31));
        _mm256_storeu_si256(dst.add(3), _mm256_permute2x128_si256(q2, q3, 0x31));
    }
    scalar::interleave4([&a[m..n], &b[m..n], &c[m..n], &d[m..n]], &mut out[4 * m..4 * n]);
}
