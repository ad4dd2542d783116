//! The one arithmetic step of every product, `c + a * b`, in two flavours. Rust never contracts a
//! multiply and an add into an FMA by itself, so the x86-64 build that runs with AVX2+FMA asks for
//! it explicitly (`Fused`, one rounding), and everything else uses two roundings (`Plain`). A given
//! machine always takes the same flavour, so results are reproducible there.

pub(crate) trait Arith {
    fn fma(a: f32, b: f32, c: f32) -> f32;
}

pub(crate) struct Plain;

impl Arith for Plain {
    #[inline(always)]
    fn fma(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

/// Only instantiated inside functions compiled with the `fma` target feature: elsewhere
/// `mul_add` would become a slow call to the C library's `fmaf`.
#[cfg(target_arch = "x86_64")]
pub(crate) struct Fused;

#[cfg(target_arch = "x86_64")]
impl Arith for Fused {
    #[inline(always)]
    fn fma(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

/// True when this CPU can run the AVX2+FMA build of the inner loops.
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2_fma() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}
