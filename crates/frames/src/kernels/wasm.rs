//! simd128 kernels (wasm32). WebAssembly has no run-time feature detection, so the module as a whole
//! needs an engine with SIMD (every current browser, Node 16.4+).
//!
//! Shaped by what V8 (Node 20) makes of them on x64, where these loops are bound by the three
//! vector ALU ports (so vector operations are what to count; scalar address arithmetic is nearly
//! free):
//! - `v128.const` and splats are hoisted out of loops into registers, but `f32x4.abs` rebuilds its
//!   sign mask (three instructions) and a constant `i8x16.shuffle` its byte mask on every use.
//! - Within a block, loads are scheduled as early as possible and pure arithmetic as late as
//!   possible, so values that only feed a later store keep their inputs live: store results as
//!   soon as they are made, or the loop spills.
//! - Every loop back-edge checks for interrupts: hot loops are unrolled.

use super::{scalar, Kernels};
use crate::plan::{padded, Horizontal};
use core::arch::wasm32::*;

pub const KERNELS: Kernels = Kernels {
    name: "simd128",
    gray: |p, l, f, o| unsafe { gray(p, l, f, o) },
    vertical: |p, s, r, w, v| unsafe { vertical(p, s, r, w, v) },
    resample: |v, h, o, l, n, f| if unsafe { resample(v, h, o, l, n) } { scalar::exact(f, h, n, o) } else { 0 },
    interleave4: |s, o| unsafe { interleave4(s, o) },
    gray_batch: 16,
};

#[target_feature(enable = "simd128")]
unsafe fn gray(previous: Option<&[u8]>, latest: &[u8], from: usize, out: &mut [f32]) {
    match previous {
        Some(prev) => gray_impl::<true>(prev, latest, from, out),
        None => gray_impl::<false>(latest, latest, from, out),
    }
}

/// Four pixels per step from a 16-byte load at byte `3p`: byte shuffles lay out (R, G) and (B, 1)
/// as 16-bit pairs and two `i32x4.dot_i16x8_s` give 9798 R + 19235 G and 3735 B + 16384 per pixel.
/// The shuffles are swizzles by constant masks: V8 keeps those in registers and, as every index is
/// in range or has its top bit set (giving 0), emits a bare `pshufb` for each. (A mask it cannot see
/// costs an index fix-up before every `pshufb`, and a constant `i8x16.shuffle` has its mask rebuilt
/// on every use.)
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn gray_impl<const POOL: bool>(prev: &[u8], latest: &[u8], from: usize, out: &mut [f32]) {
    let (n, to) = (latest.len() / 3, from + out.len());
    assert!(to <= n && prev.len() >= latest.len());
    let rg = u8x16(0, 128, 1, 128, 3, 128, 4, 128, 6, 128, 7, 128, 9, 128, 10, 128);
    let bl = u8x16(2, 128, 128, 128, 5, 128, 128, 128, 8, 128, 128, 128, 11, 128, 128, 128);
    let one_hi = u32x4_splat(1 << 16);
    let w_rg = u32x4_splat((19235 << 16) | 9798);
    let w_b1 = u32x4_splat((16384 << 16) | 3735);
    // A macro, not a closure: closures do not inherit `simd128` on the Rust 1.63 toolchain that
    // builds the wasm module, and the intrinsics would then be real calls. Step `$k` of an
    // iteration reads pixels `4k..4k + 4` from the iteration's pointers.
    macro_rules! step {
        ($a:expr, $b:expr, $o:expr, $k:expr) => {{
            let mut v = v128_load($a.add(12 * $k) as *const v128);
            if POOL {
                v = u8x16_max(v, v128_load($b.add(12 * $k) as *const v128));
            }
            let pairs_b1 = v128_or(u8x16_swizzle(v, bl), one_hi);
            let sum = i32x4_add(i32x4_dot_i16x8(u8x16_swizzle(v, rg), w_rg), i32x4_dot_i16x8(pairs_b1, w_b1));
            v128_store($o.add(4 * $k) as *mut v128, f32x4_convert_i32x4(u32x4_shr(sum, 15)));
        }};
    }
    // A step at p needs p + 4 <= to, and 3p + 16 <= 3n for its load: p < min(to - 3, n - 5).
    let end = if to >= 4 && n >= 6 { (to - 3).min(n - 5) } else { 0 };
    let mut p = from;
    let (mut a, mut b, mut o) = (latest.as_ptr().add(3 * p), prev.as_ptr().add(3 * p), out.as_mut_ptr());
    // 32 pixels per iteration.
    while p + 28 < end {
        step!(a, b, o, 0);
        step!(a, b, o, 1);
        step!(a, b, o, 2);
        step!(a, b, o, 3);
        step!(a, b, o, 4);
        step!(a, b, o, 5);
        step!(a, b, o, 6);
        step!(a, b, o, 7);
        a = a.add(96);
        b = b.add(96);
        o = o.add(32);
        p += 32;
    }
    while p < end {
        step!(a, b, o, 0);
        a = a.add(12);
        b = b.add(12);
        o = o.add(4);
        p += 4;
    }
    if p < to {
        scalar::gray(if POOL { Some(prev) } else { None }, latest, p, &mut out[p - from..]);
    }
}

#[target_feature(enable = "simd128")]
unsafe fn vertical(plane: &[f32], stride: usize, rows: &[usize], weights: &[f32], vrow: &mut [f32]) {
    let cols = padded(stride);
    assert!(vrow.len() >= cols && rows.len() == weights.len() && !rows.is_empty());
    assert!(rows.iter().all(|&r| r * stride + cols <= plane.len()));
    let base = plane.as_ptr();
    let v = vrow.as_mut_ptr();
    macro_rules! ld {
        ($p:expr) => {
            v128_load($p as *const v128)
        };
    }
    match *rows {
        [r0, r1, r2] => {
            let (r0, r1, r2) = (base.add(r0 * stride), base.add(r1 * stride), base.add(r2 * stride));
            let (w0, w1, w2) = (weights[0], weights[1], weights[2]);
            // Two rows with the same weight (the two full rows of a 2.5x footprint) are added first:
            // their sum is exact (integers), so this has fewer roundings than three products, and
            // one multiply fewer.
            macro_rules! pair_and_one {
                ($pa:expr, $pb:expr, $wp:expr, $s:expr, $ws:expr) => {{
                    let (pa, pb, s, wp, ws) = ($pa, $pb, $s, f32x4_splat($wp), f32x4_splat($ws));
                    let mut x = 0;
                    while x < cols {
                        let (pa, pb, s, d) = (pa.add(x), pb.add(x), s.add(x), v.add(x));
                        for k in (0..8).map(|k| 4 * k) {
                            let pair = f32x4_mul(wp, f32x4_add(ld!(pa.add(k)), ld!(pb.add(k))));
                            v128_store(d.add(k) as *mut v128, f32x4_add(pair, f32x4_mul(ws, ld!(s.add(k)))));
                        }
                        x += 32;
                    }
                }};
            }
            if w0 == w1 {
                pair_and_one!(r0, r1, w0, r2, w2);
            } else if w1 == w2 {
                pair_and_one!(r1, r2, w1, r0, w0);
            } else {
                let (w0, w1, w2) = (f32x4_splat(w0), f32x4_splat(w1), f32x4_splat(w2));
                let mut x = 0;
                // `cols` is a multiple of 32: eight vectors per iteration.
                while x < cols {
                    let (s0, s1, s2, d) = (r0.add(x), r1.add(x), r2.add(x), v.add(x));
                    for k in (0..8).map(|k| 4 * k) {
                        let acc = f32x4_add(f32x4_mul(w0, ld!(s0.add(k))), f32x4_mul(w1, ld!(s1.add(k))));
                        v128_store(d.add(k) as *mut v128, f32x4_add(acc, f32x4_mul(w2, ld!(s2.add(k)))));
                    }
                    x += 32;
                }
            }
        }
        [r0, r1] => {
            let (r0, r1) = (base.add(r0 * stride), base.add(r1 * stride));
            let (w0, w1) = (f32x4_splat(weights[0]), f32x4_splat(weights[1]));
            let mut x = 0;
            while x < cols {
                let (s0, s1, d) = (r0.add(x), r1.add(x), v.add(x));
                for k in (0..8).map(|k| 4 * k) {
                    let acc = f32x4_add(f32x4_mul(w0, ld!(s0.add(k))), f32x4_mul(w1, ld!(s1.add(k))));
                    v128_store(d.add(k) as *mut v128, acc);
                }
                x += 32;
            }
        }
        _ => {
            let mut x = 0;
            while x < cols {
                let mut acc = f32x4_mul(f32x4_splat(weights[0]), ld!(base.add(rows[0] * stride + x)));
                for (&r, &w) in rows.iter().zip(weights).skip(1) {
                    acc = f32x4_add(acc, f32x4_mul(f32x4_splat(w), ld!(base.add(r * stride + x))));
                }
                v128_store(v.add(x) as *mut v128, acc);
                x += 4;
            }
        }
    }
}

/// `[a0 + a1, a2 + a3, b0 + b1, b2 + b3]`, as x86's `haddps` (V8 makes each shuffle a `shufps`).
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn hadd(a: v128, b: v128) -> v128 {
    f32x4_add(i32x4_shuffle::<0, 2, 4, 6>(a, b), i32x4_shuffle::<1, 3, 5, 7>(a, b))
}

/// Four columns' sums: each column's 4-wide source window times its weights, reduced by hadds.
/// `start` and `w` point at the first column's entries.
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn four_sums(v: *const f32, start: *const u32, w: *const f32) -> v128 {
    macro_rules! product {
        ($i:expr) => {
            f32x4_mul(v128_load(v.add(*start.add($i) as usize) as *const v128), v128_load(w.add(4 * $i) as *const v128))
        };
    }
    hadd(hadd(product!(0), product!(1)), hadd(product!(2), product!(3)))
}

/// 1.5 * 2^23: adding it to a float in [0, 2^22) rounds it to an integer (half to even, the only
/// rounding WebAssembly has) held in the low mantissa bits.
const MAGIC: f32 = 12_582_912.0;

/// Four columns' sums, rounded half to even into bytes at `orow` (4 bytes), and a 4-bit mask of
/// those near a tie. The integer is the low byte of `f + MAGIC`'s bits (`f` is a weighted mean of
/// values in [0, 255], so it rounds into [0, 255]): one byte shuffle gathers the four.
///
/// `|d| >= limit`, with `d = f - round(f)` in [-0.5, 0.5], is decided on bit patterns: `d`'s bits
/// shifted left by one (dropping the sign) order as `|d|` does and stay below 2^31, so one signed
/// compare with `lim_bits = (bits(limit) << 1) - 1` does it. (`f32x4_abs` would cost three
/// instructions: V8 rebuilds its mask on every use.)
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn round4(f: v128, lim_bits: v128, orow: *mut u8) -> u32 {
    let magic = f32x4_splat(MAGIC);
    let m = f32x4_add(f, magic);
    let low_bytes = u8x16(0, 4, 8, 12, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128);
    v128_store32_lane::<0>(u8x16_swizzle(m, low_bytes), orow as *mut u32);
    let d = f32x4_sub(f, f32x4_sub(m, magic));
    i32x4_bitmask(i32x4_gt(i32x4_shl(d, 1), lim_bits)) as u32
}

/// Eight columns per step: two groups of four, each group's bytes stored before the next group's
/// loads, and the step's eight near-tie bits stored as one byte of `near` (little-endian, so byte
/// `g / 8` holds the bits of columns `g..g + 8`). V8 schedules a block's loads as early as it can and
/// pure arithmetic as late as it can: results kept for a later store keep their inputs live, and
/// the loop spills. 32 columns per iteration, then steps of 8.
#[target_feature(enable = "simd128")]
unsafe fn resample(vrow: &[f32], h: &Horizontal, orow: &mut [u8], limit: f32, near: &mut [u32]) -> bool {
    let n = padded(h.out);
    // Columns computed: whole steps of eight (<= n, as n is a multiple of 32).
    let cols = (h.out + 7) / 8 * 8;
    assert!(h.window_end <= vrow.len() && h.start.len() >= n && h.weights4.len() >= 4 * n);
    assert!(orow.len() >= n && near.len() >= (cols + 31) / 32);
    // Bits past `cols` in the last word are not written below.
    near[(cols - 1) / 32] = 0;
    let lim_bits = i32x4_splat((limit.to_bits() << 1).wrapping_sub(1) as i32);
    let (v, start, w, o) = (vrow.as_ptr(), h.start.as_ptr(), h.weights4.as_ptr(), orow.as_mut_ptr());
    let near_bytes = near.as_mut_ptr() as *mut u8;
    macro_rules! step {
        ($g:expr) => {{
            let g = $g;
            let lo = round4(four_sums(v, start.add(g), w.add(4 * g)), lim_bits, o.add(g));
            let hi = round4(four_sums(v, start.add(g + 4), w.add(4 * g + 16)), lim_bits, o.add(g + 4));
            let bits = lo | hi << 4;
            *near_bytes.add(g / 8) = bits as u8;
            bits
        }};
    }
    let mut any = 0;
    let mut g = 0;
    while g + 32 <= cols {
        any |= step!(g) | step!(g + 8) | step!(g + 16) | step!(g + 24);
        g += 32;
    }
    while g < cols {
        any |= step!(g);
        g += 8;
    }
    any != 0
}

#[target_feature(enable = "simd128")]
unsafe fn interleave4(slots: [&[u8]; 4], out: &mut [u8]) {
    let [a, b, c, d] = slots;
    let n = a.len().min(b.len()).min(c.len()).min(d.len()).min(out.len() / 4);
    let m = n / 16 * 16;
    let o = out.as_mut_ptr();
    for e in (0..m).step_by(16) {
        let (va, vb, vc, vd) = (
            v128_load(a.as_ptr().add(e) as *const v128),
            v128_load(b.as_ptr().add(e) as *const v128),
            v128_load(c.as_ptr().add(e) as *const v128),
            v128_load(d.as_ptr().add(e) as *const v128),
        );
        let ab_lo = u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(va, vb);
        let ab_hi = u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(va, vb);
        let cd_lo = u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(vc, vd);
        let cd_hi = u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(vc, vd);
        let dst = o.add(4 * e) as *mut v128;
        v128_store(dst, u16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(ab_lo, cd_lo));
        v128_store(dst.add(1), u16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(ab_lo, cd_lo));
        v128_store(dst.add(2), u16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(ab_hi, cd_hi));
        v128_store(dst.add(3), u16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(ab_hi, cd_hi));
    }
    scalar::interleave4([&a[m..n], &b[m..n], &c[m..n], &d[m..n]], &mut out[4 * m..4 * n]);
}
