//! simd128 kernels (wasm32). WebAssembly has no run-time feature detection, so the module as a whole
//! needs an engine with SIMD (every current browser, Node 16.4+).

use super::{scalar, Kernels};
use crate::plan::{padded, Horizontal};
use core::arch::wasm32::*;

pub const KERNELS: Kernels = Kernels {
    name: "simd128",
    gray: |p, l, f, o| unsafe { gray(p, l, f, o) },
    vertical: |p, s, r, w, v| unsafe { vertical(p, s, r, w, v) },
    resample: |v, h, o, l, n| unsafe { resample(v, h, o, l, n) },
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

/// A byte shuffle for `u8x16_swizzle` (indices >= 16 give 0), aligned so it can be read as a v128.
#[repr(C, align(16))]
struct Mask([u8; 16]);

/// Four pixels' (R, G) and (B, 0) as 16-bit pairs.
static RG_PAIRS: Mask = Mask([0, 128, 1, 128, 3, 128, 4, 128, 6, 128, 7, 128, 9, 128, 10, 128]);
static B_PAIRS: Mask = Mask([2, 128, 128, 128, 5, 128, 128, 128, 8, 128, 128, 128, 11, 128, 128, 128]);

/// A shuffle mask as a run-time value (a volatile read cannot be folded into a constant): V8
/// compiles a constant `i8x16.shuffle` by rebuilding its mask on every use, while a swizzle by a
/// mask held in a local keeps it in a register.
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn mask(m: &Mask) -> v128 {
    core::ptr::read_volatile(m.0.as_ptr() as *const v128)
}

/// Four pixels per step from a 16-byte load at byte `3p`: a swizzle lays out (R, G) and (B, 1) as
/// 16-bit pairs and two `i32x4.dot_i16x8_s` give 9798 R + 19235 G and 3735 B + 16384 per pixel.
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn gray_impl<const POOL: bool>(prev: &[u8], latest: &[u8], from: usize, out: &mut [f32]) {
    let (n, to) = (latest.len() / 3, from + out.len());
    assert!(to <= n && prev.len() >= latest.len());
    let (rg, bl) = (mask(&RG_PAIRS), mask(&B_PAIRS));
    let one_hi = u32x4_splat(1 << 16);
    let w_rg = u32x4_splat((19235 << 16) | 9798);
    let w_b1 = u32x4_splat((16384 << 16) | 3735);
    let (a, b, o) = (latest.as_ptr(), prev.as_ptr(), out.as_mut_ptr().sub(from));
    // A macro, not a closure: closures do not inherit `simd128` on the Rust 1.63 toolchain that
    // builds the wasm module, and the intrinsics would then be real calls.
    macro_rules! step {
        ($p:expr) => {{
            let p = $p;
            let mut v = v128_load(a.add(3 * p) as *const v128);
            if POOL {
                v = u8x16_max(v, v128_load(b.add(3 * p) as *const v128));
            }
            let pairs_b1 = v128_or(u8x16_swizzle(v, bl), one_hi);
            let sum = i32x4_add(i32x4_dot_i16x8(u8x16_swizzle(v, rg), w_rg), i32x4_dot_i16x8(pairs_b1, w_b1));
            v128_store(o.add(p) as *mut v128, f32x4_convert_i32x4(u32x4_shr(sum, 15)));
        }};
    }
    // A step at p needs p + 4 <= to, and 3p + 16 <= 3n for its load: p < min(to - 3, n - 5).
    let end = if to >= 4 && n >= 6 { (to - 3).min(n - 5) } else { 0 };
    let mut p = from;
    // Two steps per iteration: V8 checks for interrupts on every loop back-edge.
    while p + 4 < end {
        step!(p);
        step!(p + 4);
        p += 8;
    }
    while p < end {
        step!(p);
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
    if let [r0, r1, r2] = *rows {
        let (r0, r1, r2) = (base.add(r0 * stride), base.add(r1 * stride), base.add(r2 * stride));
        let (w0, w1, w2) = (f32x4_splat(weights[0]), f32x4_splat(weights[1]), f32x4_splat(weights[2]));
        let mut x = 0;
        // `cols` is a multiple of 32: eight vectors per iteration.
        while x < cols {
            for k in (0..8).map(|k| x + 4 * k) {
                let acc = f32x4_add(f32x4_mul(w0, ld!(r0.add(k))), f32x4_mul(w1, ld!(r1.add(k))));
                v128_store(v.add(k) as *mut v128, f32x4_add(acc, f32x4_mul(w2, ld!(r2.add(k)))));
            }
            x += 32;
        }
    } else {
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

/// `[a0 + a1, a2 + a3, b0 + b1, b2 + b3]`, as x86's `haddps`.
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn hadd(a: v128, b: v128) -> v128 {
    f32x4_add(i32x4_shuffle::<0, 2, 4, 6>(a, b), i32x4_shuffle::<1, 3, 5, 7>(a, b))
}

/// Four columns' sums: each column's 4-wide source window times its weights, reduced by hadds.
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

/// Rounds four sums half to even: the integers, and a mask of those near a tie.
#[target_feature(enable = "simd128")]
#[inline]
unsafe fn round4(f: v128, lim: v128) -> (v128, u32) {
    let m = f32x4_add(f, f32x4_splat(MAGIC));
    let ints = i32x4_sub(m, f32x4_splat(MAGIC));
    let r = f32x4_sub(m, f32x4_splat(MAGIC));
    let near = i32x4_bitmask(f32x4_ge(f32x4_abs(f32x4_sub(f, r)), lim)) as u32;
    (ints, near)
}

/// Eight columns per step (more would spill V8's sixteen vector registers), rounded half to even
/// and narrowed to bytes, with an 8-bit near-tie mask.
#[target_feature(enable = "simd128")]
unsafe fn resample(vrow: &[f32], h: &Horizontal, orow: &mut [u8], limit: f32, near: &mut [u32]) -> bool {
    let n = padded(h.out);
    assert!(h.window_end <= vrow.len() && h.start.len() >= n && h.weights4.len() >= 4 * n);
    assert!(orow.len() >= n && near.len() >= n / 32);
    let lim = f32x4_splat(limit);
    let (v, start, w) = (vrow.as_ptr(), h.start.as_ptr(), h.weights4.as_ptr());
    let mut any = 0;
    let mut mask = 0;
    let mut g = 0;
    // Whole groups of 8 up to the last output (the rest of the padded row is not needed).
    let end = (h.out + 7) / 8 * 8;
    while g < end {
        let (i0, m0) = round4(four_sums(v, start.add(g), w.add(4 * g)), lim);
        let (i1, m1) = round4(four_sums(v, start.add(g + 4), w.add(4 * g + 16)), lim);
        let words = i16x8_narrow_i32x4(i0, i1);
        let bytes = u8x16_narrow_i16x8(words, words);
        v128_store64_lane::<0>(bytes, orow.as_mut_ptr().add(g) as *mut u64);
        mask |= (m0 | (m1 << 4)) << (g % 32);
        g += 8;
        if g % 32 == 0 || g == end {
            near[(g - 1) / 32] = mask;
            any |= mask;
            mask = 0;
        }
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
