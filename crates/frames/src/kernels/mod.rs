//! The inner loops, in a portable scalar version and, where the target has them, SIMD versions
//! (AVX-512 or AVX2 on x86-64, chosen at run time; simd128 on wasm32). All versions compute the
//! same gray values exactly; the fast resize passes may differ from each other in the last bits of
//! a float, which is why values near a rounding tie are re-derived in OpenCV's exact order.
//!
//! Buffer contracts (the pipeline allocates accordingly; see `plan::PAD`):
//! - `gray`: pixels `from .. from + out.len()` of the frames (whole frames of `3 * pixels` bytes,
//!   so that vector loads may reach a little before and after the range).
//! - `vertical`: writes `vrow[..padded(stride)]`, reading that many values from each listed row of
//!   `plane`, so `plane` extends `PAD` values past its last row.
//! - `resample`: the horizontal taps and the rounding of one output row, exact. Reads
//!   `vrow[start .. start + 4]` per column (up to `window_end`), writes `orow[..out]` (and possibly
//!   more, up to `padded(out)`). A fast value `f` with `|f - round(f)| >= limit` is recomputed in
//!   OpenCV's order from the footprint's rows, read from a column's (or a group of columns') first
//!   source column up to 32 values on, within the rows' padding. `near` is scratch for bitmasks of
//!   such values (a word per 32 columns). Returns how many values were recomputed. Padding columns
//!   have zero weights, so they are 0 and never near a tie.

use crate::plan::Horizontal;

pub mod scalar;
#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "x86_64")]
mod x86;
#[cfg(all(target_arch = "x86_64", acme_avx512))]
mod x86_avx512;

pub type GrayFn = fn(Option<&[u8]>, &[u8], usize, &mut [f32]);
pub type VerticalFn = fn(&[f32], usize, &[usize], &[f32], &mut [f32]);
pub type ResampleFn = fn(&[f32], &Horizontal, &mut [u8], f32, &mut [u32], &Footprint) -> usize;
pub type Interleave4Fn = fn([&[u8]; 4], &mut [u8]);

/// The source rows of one output row: footprint row `i` starts at `source[rows[i] * stride..]` and
/// has vertical weight `betas[i]`.
pub struct Footprint<'a> {
    pub source: &'a [f32],
    pub stride: usize,
    pub rows: &'a [usize],
    pub betas: &'a [f32],
}

#[derive(Clone, Copy)]
pub struct Kernels {
    pub name: &'static str,
    pub gray: GrayFn,
    pub vertical: VerticalFn,
    pub resample: ResampleFn,
    pub interleave4: Interleave4Fn,
    /// How many gray rows the pipeline makes per `gray` call at most (see `pipeline::ring_rows`).
    /// Many amortise a kernel's fixed cost per call; few keep the reads of the frames an even
    /// stream, which the hardware prefetcher follows while the resize runs, rather than bursts.
    pub gray_batch: usize,
}

impl Kernels {
    pub const SCALAR: Kernels = Kernels {
        name: "scalar",
        gray: scalar::gray,
        vertical: scalar::vertical,
        resample: |v, h, o, l, n, f| if scalar::resample(v, h, o, l, n) { scalar::exact(f, h, n, o) } else { 0 },
        interleave4: scalar::interleave4,
        gray_batch: 16,
    };

    /// The fastest set this machine runs.
    pub fn best() -> Kernels {
        #[cfg(all(target_arch = "x86_64", acme_avx512))]
        {
            if let Some(k) = x86_avx512::kernels() {
                return k;
            }
        }
        #[cfg(target_arch = "x86_64")]
        {
            if let Some(k) = x86::kernels() {
                return k;
            }
        }
        #[cfg(target_arch = "wasm32")]
        {
            return wasm::KERNELS;
        }
        #[allow(unreachable_code)]
        Kernels::SCALAR
    }

    /// Every set this machine can run (tests compare them).
    #[cfg(test)]
    pub fn available() -> Vec<Kernels> {
        #[allow(unused_mut)]
        let mut all = vec![Kernels::SCALAR];
        #[cfg(target_arch = "x86_64")]
        all.extend(x86::kernels());
        #[cfg(all(target_arch = "x86_64", acme_avx512))]
        all.extend(x86_avx512::kernels());
        #[cfg(target_arch = "wasm32")]
        all.push(wasm::KERNELS);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::Kernels;

    #[test]
    fn the_chosen_set_is_among_those_tested() {
        let names: Vec<_> = Kernels::available().iter().map(|k| k.name).collect();
        eprintln!("kernel sets under test: {names:?}");
        assert!(names.contains(&Kernels::best().name), "{names:?}");
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(unique, names, "each set once");
    }
}
