//! The im2col view of an NHWC input, read and written in place. Row `p` of the im2col matrix is
//! output pixel `p` = `(b, oy, ox)`; column `q` is patch element `(ky, kx, ic)` in filter order, so
//! that `im2col · filter` (filter as a `patch x outChannels` matrix) is the convolution. Positions
//! that fall into the padding read as zero and are skipped on write.
//!
//! In NHWC a patch row `ky` is contiguous in memory when the dilation along x is 1 and the window
//! lies inside the image, so the packers copy runs of consecutive patch elements rather than
//! element by element, and fall back to checked single elements only at the borders.

use crate::gemm::{PackA, PackB, Sink, MR, NR};
use crate::sync_ptr::SyncPtr;
use crate::Conv2dGeometry;

/// A run of consecutive patch columns that are consecutive floats of the input: one filter row
/// `ky`, from `(kx0, ic0)` to filter column `kx1`.
#[derive(Clone, Copy, Default)]
struct Run {
    /// First column, relative to the strip.
    jj: usize,
    len: usize,
    ky: usize,
    kx0: usize,
    ic0: usize,
    kx1: usize,
}

/// Where output pixel `p`'s window starts in the input.
#[derive(Clone, Copy, Default)]
pub(crate) struct Window {
    /// Offset of image `b` in the input.
    image: usize,
    iy0: isize,
    ix0: isize,
}

struct View {
    g: Conv2dGeometry,
    /// Every window lies inside the image (no padding is ever read).
    interior: bool,
}

impl View {
    fn new(g: Conv2dGeometry) -> Self {
        let fits = |out: usize, stride: usize, filter: usize, dilation: usize, input: usize| {
            out == 0 || (out - 1) * stride + (filter - 1) * dilation < input
        };
        let interior = g.pad_top == 0
            && g.pad_left == 0
            && fits(g.out_height, g.stride_height, g.filter_height, g.dilation_height, g.in_height)
            && fits(g.out_width, g.stride_width, g.filter_width, g.dilation_width, g.in_width);
        View { g, interior }
    }

    fn window(&self, p: usize) -> Window {
        let g = &self.g;
        let per_image = g.out_height * g.out_width;
        let (b, r) = (p / per_image, p % per_image);
        let (oy, ox) = (r / g.out_width, r % g.out_width);
        Window {
            image: b * g.in_height * g.in_width * g.in_channels,
            iy0: (oy * g.stride_height) as isize - g.pad_top as isize,
            ix0: (ox * g.stride_width) as isize - g.pad_left as isize,
        }
    }

    /// Calls `f` with the runs that make up patch columns `j0..j0 + len`, in order.
    fn for_each_run(&self, j0: usize, len: usize, mut f: impl FnMut(Run)) {
        let g = &self.g;
        let ic_all = g.in_channels;
        let mut ic = j0 % ic_all;
        let mut kx = (j0 / ic_all) % g.filter_width;
        let mut ky = j0 / (ic_all * g.filter_width);
        let mut jj = 0;
        while jj < len {
            // With dilation 1 a run goes to the end of the filter row, else to the end of the pixel.
            let room = if g.dilation_width == 1 { (g.filter_width - kx) * ic_all - ic } else { ic_all - ic };
            let run_len = room.min(len - jj);
            let kx1 = kx + (ic + run_len - 1) / ic_all;
            f(Run { jj, len: run_len, ky, kx0: kx, ic0: ic, kx1 });
            jj += run_len;
            let pos = ic + run_len;
            kx += pos / ic_all;
            ic = pos % ic_all;
            if kx == g.filter_width {
                kx = 0;
                ky += 1;
            }
        }
    }

    /// The runs of a strip of at most `NR` columns.
    fn strip_runs(&self, j0: usize, nr: usize) -> ([Run; NR], usize) {
        let mut runs = [Run::default(); NR];
        let mut count = 0;
        self.for_each_run(j0, nr, |r| {
            runs[count] = r;
            count += 1;
        });
        (runs, count)
    }

    /// Calls `f(offset_in_input, t)` for each element `t` of `run` that lies inside the image, or
    /// returns the offset of the whole run when all of it does.
    #[inline(always)]
    fn locate(&self, w: Window, run: &Run, mut f: impl FnMut(usize, usize)) -> Option<usize> {
        let g = &self.g;
        let iy = w.iy0 + (run.ky * g.dilation_height) as isize;
        if iy < 0 || iy >= g.in_height as isize {
            return None;
        }
        let row = w.image + iy as usize * g.in_width * g.in_channels;
        let ix_first = w.ix0 + (run.kx0 * g.dilation_width) as isize;
        let ix_last = w.ix0 + (run.kx1 * g.dilation_width) as isize;
        if ix_first >= 0 && ix_last < g.in_width as isize {
            return Some(row + ix_first as usize * g.in_channels + run.ic0);
        }
        let (mut kx, mut ic) = (run.kx0, run.ic0);
        for t in 0..run.len {
            let ix = w.ix0 + (kx * g.dilation_width) as isize;
            if ix >= 0 && ix < g.in_width as isize {
                f(row + ix as usize * g.in_channels + ic, t);
            }
            ic += 1;
            if ic == g.in_channels {
                ic = 0;
                kx += 1;
            }
        }
        None
    }
}

/// The im2col matrix (pixels x patch) as the left operand: the forward convolution.
pub(crate) struct Im2colA<'a> {
    view: View,
    x: &'a [f32],
}

impl<'a> Im2colA<'a> {
    pub fn new(g: Conv2dGeometry, x: &'a [f32]) -> Self {
        Im2colA { view: View::new(g), x }
    }
}

impl PackA for Im2colA<'_> {
    fn pack(&self, i0: usize, mr: usize, k0: usize, kc: usize, out: &mut [f32]) {
        let out = &mut out[..kc * MR];
        if mr < MR || !self.view.interior {
            for v in out.iter_mut() {
                *v = 0.0;
            }
        }
        let x = self.x;
        for i in 0..mr {
            let w = self.view.window(i0 + i);
            self.view.for_each_run(k0, kc, |run| {
                let found = self.view.locate(w, &run, |off, t| out[(run.jj + t) * MR + i] = x[off]);
                if let Some(off) = found {
                    for (t, &v) in x[off..off + run.len].iter().enumerate() {
                        out[(run.jj + t) * MR + i] = v;
                    }
                }
            });
        }
    }
}

/// The im2col matrix as the right operand, reduction axis = pixels: the filter gradient
/// `dy^T · im2col`.
pub(crate) struct Im2colB<'a> {
    view: View,
    x: &'a [f32],
}

impl<'a> Im2colB<'a> {
    pub fn new(g: Conv2dGeometry, x: &'a [f32]) -> Self {
        Im2colB { view: View::new(g), x }
    }
}

impl PackB for Im2colB<'_> {
    fn pack(&self, j0: usize, nr: usize, k0: usize, kc: usize, out: &mut [f32]) {
        let g = &self.view.g;
        let out = &mut out[..kc * NR];
        if nr < NR || !self.view.interior {
            for v in out.iter_mut() {
                *v = 0.0;
            }
        }
        let (runs, count) = self.view.strip_runs(j0, nr);
        let x = self.x;
        // Walk pixels k0..k0 + kc in (b, oy, ox) order without dividing per pixel.
        let per_image = g.out_height * g.out_width;
        let (mut b, rem) = (k0 / per_image, k0 % per_image);
        let (mut oy, mut ox) = (rem / g.out_width, rem % g.out_width);
        for dst in out.chunks_exact_mut(NR) {
            let w = Window {
                image: b * g.in_height * g.in_width * g.in_channels,
                iy0: (oy * g.stride_height) as isize - g.pad_top as isize,
                ix0: (ox * g.stride_width) as isize - g.pad_left as isize,
            };
            for run in &runs[..count] {
                let found = self.view.locate(w, run, |off, t| dst[run.jj + t] = x[off]);
                if let Some(off) = found {
                    dst[run.jj..run.jj + run.len].copy_from_slice(&x[off..off + run.len]);
                }
            }
            ox += 1;
            if ox == g.out_width {
                ox = 0;
                oy += 1;
                if oy == g.out_height {
                    oy = 0;
                    b += 1;
                }
            }
        }
    }
}

/// Adds the rows of a pixels x patch matrix back into an NHWC gradient (col2im): the input
/// gradient `dy · filter^T`. Tiles of different images touch disjoint memory, so the caller must
/// split rows between threads on image boundaries and never split columns.
pub(crate) struct Col2ImSink {
    view: View,
    dx: SyncPtr,
}

impl Col2ImSink {
    pub fn new(g: Conv2dGeometry, dx: SyncPtr) -> Self {
        Col2ImSink { view: View::new(g), dx }
    }
}

impl Sink for Col2ImSink {
    type Rows = [Window; MR];

    fn rows(&self, i0: usize, mr: usize) -> [Window; MR] {
        let mut w = [Window::default(); MR];
        for (i, slot) in w.iter_mut().enumerate().take(mr) {
            *slot = self.view.window(i0 + i);
        }
        w
    }

    fn store(&self, rows: [Window; MR], _i0: usize, mr: usize, j0: usize, nr: usize, tile: &[f32]) {
        let (runs, count) = self.view.strip_runs(j0, nr);
        let dx = self.dx.0;
        for (i, row) in tile.chunks_exact(NR).enumerate().take(mr) {
            for run in &runs[..count] {
                // SAFETY: offsets come from `locate`, inside this image of the caller's NHWC `dx`;
                // no other thread writes this image (see the type's documentation).
                let found = self.view.locate(rows[i], run, |off, t| unsafe { *dx.add(off) += row[run.jj + t] });
                if let Some(off) = found {
                    let dst = unsafe { std::slice::from_raw_parts_mut(dx.add(off), run.len) };
                    for (d, &v) in dst.iter_mut().zip(&row[run.jj..run.jj + run.len]) {
                        *d += v;
                    }
                }
            }
        }
    }
}
