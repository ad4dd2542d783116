//! Everything about a resize that can be computed once per preprocessor: OpenCV's weight tables,
//! and the same weights repacked for the SIMD kernels.

use crate::opencv::{integer_scale, AreaAxis};

/// Scratch rows are padded to a multiple of this many elements (and buffers extended by it) so that
/// kernels may read and write whole vectors, 32 outputs at a time, without a scalar tail.
pub const PAD: usize = 32;

pub fn padded(n: usize) -> usize {
    (n + PAD - 1) / PAD * PAD
}

pub enum Resize {
    /// Both factors are integers: OpenCV's block-mean path (`resizeAreaFast_`).
    Block { kx: usize, ky: usize },
    /// The general area path (`resizeArea_`), computed fast and checked near rounding ties.
    Area(Box<AreaPlan>),
}

impl Resize {
    pub fn new(height: usize, width: usize, out_height: usize, out_width: usize) -> Self {
        match (integer_scale(width, out_width), integer_scale(height, out_height)) {
            (Some(kx), Some(ky)) => Resize::Block { kx, ky },
            _ => Resize::Area(Box::new(AreaPlan::new(height, width, out_height, out_width))),
        }
    }
}

pub struct AreaPlan {
    pub x: AreaAxis,
    pub y: AreaAxis,
    pub horizontal: Horizontal,
    /// A fast value `f` with `|f - round(f)|` at or above this is recomputed in OpenCV's exact order,
    /// because the two computations could round to different integers.
    pub tie_limit: f32,
}

impl AreaPlan {
    fn new(height: usize, width: usize, out_height: usize, out_width: usize) -> Self {
        let x = AreaAxis::new(width, out_width);
        let y = AreaAxis::new(height, out_height);
        // Both the fast value and OpenCV's are sums of at most (taps_x * taps_y) products of values
        // <= 255 with weights summing to ~1, each step rounded to f32 (relative error 2^-24): each is
        // within (taps_x + taps_y + 2) * 256 * 2^-24 of the real-number result. Four times the sum of
        // the two bounds, and never less than 2^-10, is a margin no rounding difference can cross.
        let steps = (x.max_taps() + y.max_taps() + 2) as f32;
        let margin = (8.0 * steps * 256.0 / 16_777_216.0f32).max(1.0 / 1024.0);
        let horizontal = Horizontal::new(&x, out_width);
        AreaPlan { x, y, horizontal, tie_limit: 0.5 - margin }
    }
}

/// The horizontal taps of each output column as a window of 4 consecutive source columns from
/// `start[dx]` (zero weights past the real taps), in the layouts the kernels read:
/// - `weights4[dx * 4 + t]`: natural order (scalar and simd128 kernels);
/// - `avx`: per group of 8 columns, registers holding columns (0|4), (1|5), (2|6), (3|7) as
///   low|high 128-bit lanes (the AVX2 `hadd` kernel);
/// - `gather`: when every group of 8 columns starts within 15 source columns of its first column's
///   window (downscaling by up to about 2), the AVX2 permute kernel's tables (see `Gather8`).
///
/// Columns past `out` repeat the last column's start with zero weights.
pub struct Horizontal {
    pub out: usize,
    /// Some output has more than 4 taps (downscaling by more than 3): only the generic loop applies.
    pub wide: bool,
    /// The most taps of any column (at most 4 unless `wide`).
    pub taps: usize,
    pub start: Vec<u32>,
    /// One past the last source column any kernel reads: kernels check it once per call against
    /// the row they read.
    pub window_end: usize,
    pub weights4: Vec<f32>,
    pub avx: Vec<f32>,
    pub gather: Option<Vec<Gather8>>,
    /// The AVX-512 permute kernel's tables (see `Gather16`), when they fit.
    pub gather16: Option<Vec<Gather16>>,
}

/// Eight output columns as vectors over the columns, one per tap: tap `t` of the group's column
/// `i` is source column `base + t + index[i]` with `index[i] < 16`, so permuting two 8-wide loads
/// at `base + t` and `base + t + 8` by `index & 7` gives it in one of them: `low[t][i]` holds the
/// tap's weight where it is the first (`index[i] < 8`), `high[t][i]` where it is the second, and
/// the other is 0, so two multiply-adds replace a blend.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
pub struct Gather8 {
    pub index: [i32; 8],
    pub low: [[f32; 8]; 4],
    pub high: [[f32; 8]; 4],
    pub base: u32,
}

/// Sixteen output columns as vectors over the columns, one per tap: tap `t` of the group's column
/// `i` is source column `base + index[t][i]`, with `index[t][i] < 32`, so one two-register permute
/// of the 32 values from `base` gathers it; `weight[t][i]` is its weight (0 past a column's taps).
#[derive(Clone, Copy)]
#[repr(C, align(64))]
pub struct Gather16 {
    pub index: [[i32; 16]; 4],
    pub weight: [[f32; 16]; 4],
    pub base: u32,
}

impl Gather16 {
    /// The groups of `padded(out)` columns, or None when some group's taps span more than 32
    /// source columns (downscaling by more than about 1.9 with 3-4 taps).
    fn groups(start: &[u32], weights4: &[f32]) -> Option<Vec<Gather16>> {
        let groups = start.chunks(16).enumerate().map(|(g, c)| {
            let mut group = Gather16 { index: [[0; 16]; 4], weight: [[0.0; 16]; 4], base: c[0] };
            for (i, &s) in c.iter().enumerate() {
                for t in 0..4 {
                    let w = weights4[(g * 16 + i) * 4 + t];
                    let rel = (s - c[0]) as usize + t;
                    if w != 0.0 && rel >= 32 {
                        return None;
                    }
                    // Taps past a column's footprint have weight 0; any in-range index will do.
                    group.index[t][i] = (rel % 32) as i32;
                    group.weight[t][i] = w;
                }
            }
            Some(group)
        });
        groups.collect()
    }
}

impl Horizontal {
    fn new(x: &AreaAxis, out: usize) -> Self {
        let n = padded(out);
        let taps = x.max_taps();
        let wide = taps > 4;
        let mut start = vec![0u32; n];
        let mut weights4 = vec![0f32; n * 4];
        if !wide {
            for dx in 0..out {
                let range = x.taps(dx);
                start[dx] = x.src[range.start] as u32;
                for (t, k) in range.enumerate() {
                    weights4[dx * 4 + t] = x.weight[k];
                }
            }
            let last = start[out - 1];
            for s in &mut start[out..] {
                *s = last;
            }
        }
        let mut avx = vec![0f32; n * 4];
        for g in 0..n / 8 {
            for (r, (lo, hi)) in [(0, 4), (1, 5), (2, 6), (3, 7)].iter().enumerate() {
                for t in 0..4 {
                    avx[g * 32 + r * 8 + t] = weights4[(g * 8 + lo) * 4 + t];
                    avx[g * 32 + r * 8 + 4 + t] = weights4[(g * 8 + hi) * 4 + t];
                }
            }
        }
        let fits = !wide && start.chunks(8).all(|c| c[7] - c[0] < 16);
        let gather = if fits {
            let groups = start.chunks(8).enumerate().map(|(g, c)| {
                let mut group = Gather8 { index: [0; 8], low: [[0.0; 8]; 4], high: [[0.0; 8]; 4], base: c[0] };
                for i in 0..8 {
                    let rel = (c[i] - c[0]) as i32;
                    group.index[i] = rel;
                    for t in 0..4 {
                        let w = weights4[(g * 8 + i) * 4 + t];
                        if rel < 8 {
                            group.low[t][i] = w;
                        } else {
                            group.high[t][i] = w;
                        }
                    }
                }
                group
            });
            Some(groups.collect())
        } else {
            None
        };
        let gather16 = if wide { None } else { Gather16::groups(&start, &weights4) };
        // The permute kernels read 16 values from `start + t` for t < 4 (up to max(start) + 19), and
        // 32 from each group's first start (within max(start) + 32).
        let window_end = start.iter().map(|&s| s as usize + 32).max().unwrap_or(32);
        Horizontal { out, wide, taps, start, window_end, weights4, avx, gather, gather16 }
    }
}
