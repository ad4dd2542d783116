//! One frame through the pipeline: max-pool, gray (or RGB planes), resize, into a caller's buffer.
//! Owns every scratch buffer, allocated once at construction, so processing allocates nothing.

use crate::kernels::{scalar, Footprint, Kernels};
use crate::opencv::{area_value, block_value};
use crate::options::FrameOptions;
use crate::plan::{padded, AreaPlan, Resize, PAD};

pub struct Pipeline {
    pub options: FrameOptions,
    resize: Resize,
    kernels: Kernels,
    /// Source values (exact integers as f32). Gray with the area path: a ring of the last `ring`
    /// gray rows (`padded(width)` apart), filled just before the output row that needs them, so the
    /// rows stay in L1 cache. Otherwise the whole pooled frame as `channels` planes of
    /// `height x width`. Either way followed by `PAD` values that kernels may read.
    source: Vec<f32>,
    ring: usize,
    /// Per output row: source rows of the vertical taps (as indices into `source`), and the rows
    /// after the vertical pass, after the horizontal pass (wide footprints only), as bytes, and a
    /// bit per column near a rounding tie.
    rows: Vec<usize>,
    vrow: Vec<f32>,
    frow: Vec<f32>,
    orow: Vec<u8>,
    near: Vec<u32>,
    /// How many values took OpenCV's exact path (tests check it stays rare).
    pub exact_count: u64,
}

impl Pipeline {
    /// `options` must be valid (see `FrameOptions::validate`).
    pub fn new(options: &FrameOptions, kernels: Kernels) -> Self {
        let o = options;
        let resize = Resize::new(o.height, o.width, o.out_height, o.out_width);
        let (ring, taps) = match &resize {
            Resize::Area(plan) => (
                if o.grayscale { ring_rows(plan.y.max_taps(), o.width, kernels.gray_batch) } else { 0 },
                plan.y.max_taps(),
            ),
            Resize::Block { .. } => (0, 0),
        };
        let source_len = if ring > 0 { ring * padded(o.width) } else { o.height * o.width * o.channels() };
        Pipeline {
            options: o.clone(),
            resize,
            kernels,
            source: vec![0.0; source_len + PAD],
            ring,
            rows: vec![0; taps],
            vrow: vec![0.0; padded(o.width) + PAD],
            frow: vec![0.0; padded(o.out_width)],
            orow: vec![0; padded(o.out_width)],
            near: vec![0; padded(o.out_width) / 32],
            exact_count: 0,
        }
    }

    pub fn kernel_name(&self) -> &'static str {
        self.kernels.name
    }

    pub fn kernels(&self) -> Kernels {
        self.kernels
    }

    /// Scratch bytes held (reported to the JavaScript garbage collector).
    pub fn heap_bytes(&self) -> usize {
        4 * (self.source.len() + self.vrow.len() + self.frow.len() + self.near.len())
            + 8 * self.rows.len()
            + self.orow.len()
    }

    /// Processes `latest` (max-pooled with `previous` when given) into `dst`, an
    /// `out_height x out_width x channels` HWC frame. Lengths must already be checked.
    pub fn process(&mut self, previous: Option<&[u8]>, latest: &[u8], dst: &mut [u8]) {
        let o = &self.options;
        debug_assert_eq!(latest.len(), o.frame_len());
        debug_assert_eq!(dst.len(), o.processed_len());
        if self.ring > 0 {
            self.process_gray_area(previous, latest, dst);
            return;
        }
        let (pixels, channels, w, ow) = (o.height * o.width, o.channels(), o.width, o.out_width);
        if o.grayscale {
            (self.kernels.gray)(previous, latest, 0, &mut self.source[..pixels]);
        } else {
            split_rgb(previous, latest, &mut self.source[..3 * pixels]);
        }
        for c in 0..channels {
            // Each plane slice runs to the end of the buffer: kernels may read PAD values past it.
            let plane = &self.source[c * pixels..];
            for dy in 0..o.out_height {
                let out_row = &mut dst[dy * ow * channels..(dy + 1) * ow * channels];
                match &self.resize {
                    Resize::Block { kx, ky } => {
                        for (dx, d) in out_row[c..].iter_mut().step_by(channels).enumerate() {
                            *d = block_value(plane, w, *kx, *ky, dy, dx);
                        }
                    }
                    Resize::Area(plan) => {
                        let taps = plan.y.taps(dy);
                        self.rows.clear();
                        self.rows.extend_from_slice(&plan.y.src[taps]);
                        let scratch = RowScratch {
                            rows: &self.rows,
                            vrow: &mut self.vrow,
                            frow: &mut self.frow,
                            orow: &mut self.orow,
                            near: &mut self.near,
                        };
                        self.exact_count += area_row(plan, &self.kernels, plane, w, dy, scratch) as u64;
                        for (d, &v) in out_row[c..].iter_mut().step_by(channels).zip(&self.orow[..ow]) {
                            *d = v;
                        }
                    }
                }
            }
        }
    }

    /// The hot path (gray, general area resize): gray rows are made just before the first output
    /// row that reads them, into a ring of `ring` rows (a power of two; source row `r` in slot
    /// `r % ring`). Each fill runs as far ahead as the ring allows without overwriting rows still
    /// needed, so that the gray kernel is called for many rows at once (its fixed cost per call is
    /// about a quarter of the work of a 160-pixel row).
    fn process_gray_area(&mut self, previous: Option<&[u8]>, latest: &[u8], dst: &mut [u8]) {
        let (w, h, ow, ring) = (self.options.width, self.options.height, self.options.out_width, self.ring);
        let stride = padded(w);
        let plan = match &self.resize {
            Resize::Area(plan) => plan,
            Resize::Block { .. } => unreachable!("the ring is only used by the area path"),
        };
        let mut next_row = 0;
        let padded_row = padded(ow);
        for dy in 0..self.options.out_height {
            let taps = plan.y.taps(dy);
            let (first, last) = (plan.y.src[taps.start], plan.y.src[taps.end - 1]);
            if next_row <= last {
                // Rows before `first` are no longer read (footprints only move down).
                let end = (first + ring).min(h);
                while next_row < end {
                    let slot = next_row & (ring - 1);
                    // Unpadded rows are contiguous in the frame and in the ring up to its end.
                    let run = if stride == w { (end - next_row).min(ring - slot) } else { 1 };
                    let at = slot * stride;
                    (self.kernels.gray)(previous, latest, next_row * w, &mut self.source[at..at + run * w]);
                    next_row += run;
                }
            }
            self.rows.clear();
            self.rows.extend((first..=last).map(|r| r & (ring - 1)));
            // The kernels write whole padded rows: straight into `dst` while the rows after this
            // one can take the overflow (they are written later), else through `orow`.
            let direct = dst.len() - dy * ow >= padded_row;
            let scratch = RowScratch {
                rows: &self.rows,
                vrow: &mut self.vrow,
                frow: &mut self.frow,
                orow: if direct { &mut dst[dy * ow..dy * ow + padded_row] } else { &mut self.orow },
                near: &mut self.near,
            };
            self.exact_count += area_row(plan, &self.kernels, &self.source, stride, dy, scratch) as u64;
            if !direct {
                dst[dy * ow..(dy + 1) * ow].copy_from_slice(&self.orow[..ow]);
            }
        }
    }
}

/// Rows in the gray ring: at least the tallest footprint, and more (up to `batch`, while they fit
/// in about 32 KiB, the L1 data cache) so the gray kernel runs over several rows per call. A power
/// of two, so that a row's slot is a mask rather than a division (several per output row).
fn ring_rows(taps: usize, width: usize, batch: usize) -> usize {
    let fit = (32 * 1024 / (4 * padded(width))).clamp(1, batch.max(1));
    // The largest power of two <= fit.
    let fit = 1 << (usize::BITS - 1 - fit.leading_zeros());
    taps.next_power_of_two().max(fit)
}

/// The per-row scratch of `area_row`; `rows` are the vertical taps' rows in `source`.
struct RowScratch<'a> {
    rows: &'a [usize],
    vrow: &'a mut [f32],
    frow: &'a mut [f32],
    orow: &'a mut [u8],
    near: &'a mut [u32],
}

/// Output row `dy` of the area resize into `orow`: a fast separable pass (vertical, then horizontal),
/// then every value whose rounding the fast pass cannot vouch for is recomputed in OpenCV's order.
/// `s.rows[i]` is the row in `source` (`stride` apart) of the footprint's i-th source row. Returns
/// how many values were recomputed.
fn area_row(plan: &AreaPlan, k: &Kernels, source: &[f32], stride: usize, dy: usize, s: RowScratch) -> usize {
    let taps = plan.y.taps(dy);
    let first = plan.y.src[taps.start];
    (k.vertical)(source, stride, s.rows, &plan.y.weight[taps.clone()], s.vrow);
    let h = &plan.horizontal;
    if !h.wide {
        let footprint = Footprint { source, stride, rows: s.rows, betas: &plan.y.weight[taps] };
        return (k.resample)(s.vrow, h, s.orow, plan.tie_limit, s.near, &footprint);
    }
    if !scalar::resample_wide(s.vrow, &plan.x, s.frow, s.orow, plan.tie_limit, s.near) {
        return 0;
    }
    let row = |sy: usize| &source[s.rows[sy - first] * stride..];
    let mut count = 0;
    for dx in scalar::flagged(s.near, h.out) {
        s.orow[dx] = area_value(row, &plan.x, &plan.y, dy, dx);
        count += 1;
    }
    count
}

/// RGB without grayscaling: max-pool and split into three planes (each channel resizes alone, as
/// OpenCV's interleaved loops do with the same weights).
fn split_rgb(previous: Option<&[u8]>, latest: &[u8], planes: &mut [f32]) {
    let pixels = planes.len() / 3;
    let (r, rest) = planes.split_at_mut(pixels);
    let (g, b) = rest.split_at_mut(pixels);
    match previous {
        Some(prev) => {
            for (p, (px, qx)) in latest.chunks_exact(3).zip(prev.chunks_exact(3)).enumerate() {
                r[p] = px[0].max(qx[0]) as f32;
                g[p] = px[1].max(qx[1]) as f32;
                b[p] = px[2].max(qx[2]) as f32;
            }
        }
        None => {
            for (p, px) in latest.chunks_exact(3).enumerate() {
                r[p] = px[0] as f32;
                g[p] = px[1] as f32;
                b[p] = px[2] as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opencv::{gray, AreaAxis};

    /// A tiny deterministic generator (xorshift) so that failures reproduce.
    pub struct Rng(u64);
    impl Rng {
        pub fn new(seed: u64) -> Self {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    /// The whole pipeline written the slow way, straight from the OpenCV semantics.
    fn reference(o: &FrameOptions, previous: Option<&[u8]>, latest: &[u8]) -> Vec<u8> {
        let pixels = o.height * o.width;
        let pooled: Vec<u8> = match previous {
            Some(p) => latest.iter().zip(p).map(|(a, b)| *a.max(b)).collect(),
            None => latest.to_vec(),
        };
        let c = o.channels();
        let mut planes = vec![0f32; c * pixels];
        for p in 0..pixels {
            let px = &pooled[3 * p..3 * p + 3];
            if o.grayscale {
                planes[p] = gray(px[0], px[1], px[2]) as f32;
            } else {
                for ch in 0..3 {
                    planes[ch * pixels + p] = px[ch] as f32;
                }
            }
        }
        let mut out = vec![0u8; o.processed_len()];
        let (x, y) = (AreaAxis::new(o.width, o.out_width), AreaAxis::new(o.height, o.out_height));
        let block = match Resize::new(o.height, o.width, o.out_height, o.out_width) {
            Resize::Block { kx, ky } => Some((kx, ky)),
            Resize::Area(_) => None,
        };
        for ch in 0..c {
            let plane = &planes[ch * pixels..(ch + 1) * pixels];
            for dy in 0..o.out_height {
                for dx in 0..o.out_width {
                    out[(dy * o.out_width + dx) * c + ch] = match block {
                        Some((kx, ky)) => block_value(plane, o.width, kx, ky, dy, dx),
                        None => area_value(|sy| &plane[sy * o.width..], &x, &y, dy, dx),
                    };
                }
            }
        }
        out
    }

    fn options(h: usize, w: usize, oh: usize, ow: usize, grayscale: bool) -> FrameOptions {
        FrameOptions { height: h, width: w, out_height: oh, out_width: ow, grayscale, ..FrameOptions::default() }
    }

    /// Runs every kernel set over `frames` and returns the share of values that took the exact path.
    fn check_all_kernels(o: &FrameOptions, frames: &[(Option<Vec<u8>>, Vec<u8>)]) -> f64 {
        let mut share = 0.0;
        for kernels in Kernels::available() {
            let mut pipe = Pipeline::new(o, kernels);
            let mut out = vec![0u8; o.processed_len()];
            for (i, (prev, latest)) in frames.iter().enumerate() {
                pipe.process(prev.as_deref(), latest, &mut out);
                let want = reference(o, prev.as_deref(), latest);
                assert!(out == want, "{} kernels, frame {i}, options {o:?}: fast pipeline differs", kernels.name);
            }
            share = pipe.exact_count as f64 / (frames.len() * o.processed_len()) as f64;
        }
        share
    }

    #[test]
    fn fast_paths_are_bit_exact_with_the_opencv_order_on_random_frames() {
        let mut rng = Rng::new(7);
        for (h, w, oh, ow) in [
            (210, 160, 84, 84),
            (160, 210, 84, 84),
            (37, 53, 11, 17),
            (250, 160, 84, 84),
            (9, 9, 2, 5),
            (1, 40, 1, 3),
            (2, 3, 1, 2),
            (3, 2, 2, 1),
            (1, 1, 1, 1),
        ] {
            for grayscale in [true, false] {
                let o = options(h, w, oh, ow, grayscale);
                let n = o.frame_len();
                let frames: Vec<_> =
                    (0..3).map(|i| (if i == 1 { None } else { Some(rng.bytes(n)) }, rng.bytes(n))).collect();
                let share = check_all_kernels(&o, &frames);
                // Exact .5 values are about 1 in 200 on random frames at 210x160 -> 84x84.
                if o.processed_len() > 1000 {
                    assert!(share < 0.02, "{share} of values took the exact path for {o:?}");
                }
            }
        }
    }

    #[test]
    fn integer_factors_and_wide_footprints_are_exact_too() {
        let mut rng = Rng::new(8);
        for (h, w, oh, ow) in
            [(168, 168, 84, 84), (252, 84, 84, 84), (40, 36, 20, 12), (210, 160, 20, 30), (64, 64, 3, 5)]
        {
            for grayscale in [true, false] {
                let o = options(h, w, oh, ow, grayscale);
                let n = o.frame_len();
                check_all_kernels(&o, &[(Some(rng.bytes(n)), rng.bytes(n)), (None, rng.bytes(n))]);
            }
        }
    }

    #[test]
    fn flat_and_sparse_frames_hit_exact_ties_and_still_agree() {
        // Few distinct gray levels make exact .5 values (and so the tie path) common.
        let o = FrameOptions::default();
        let n = o.frame_len();
        let mut rng = Rng::new(9);
        let mut frames = vec![(None, vec![0u8; n]), (None, vec![255u8; n])];
        for levels in [2u64, 3, 5] {
            let f: Vec<u8> = (0..n).map(|_| ((rng.next() % levels) * 255 / (levels - 1)) as u8).collect();
            frames.push((None, f));
        }
        // Single bright pixels on footprint borders (x = 1, 3, 40; y = 2, 5, 207).
        let mut dots = vec![0u8; n];
        for (y, x) in [(2, 1), (5, 3), (207, 40), (0, 0), (209, 159)] {
            dots[(y * 160 + x) * 3..(y * 160 + x) * 3 + 3].copy_from_slice(&[255, 255, 255]);
        }
        frames.push((None, dots));
        let share = check_all_kernels(&o, &frames);
        assert!(share > 0.0, "these frames are meant to exercise the exact path");
    }
}
