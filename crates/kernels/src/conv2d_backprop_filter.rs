use crate::gemm::{gemm, MatA, Sink, Split, NR};
use crate::im2col::Im2colB;
use crate::sync_ptr::SyncPtr;
use crate::Conv2dGeometry;
use acme_common::{ArgError, Result};

/// The filter gradient of a convolution (TensorFlow.js's `Conv2DBackpropFilter`):
/// `dfilter[ky, kx, ic, oc] = sum over pixels of x[window + (ky, kx), ic] * dy[pixel, oc]`,
/// computed as `dy^T · im2col(x)` and stored transposed into the filter layout.
pub fn conv2d_backprop_filter(
    g: &Conv2dGeometry,
    x: &[f32],
    dy: &[f32],
    dfilter: &mut [f32],
    threads: usize,
) -> Result<()> {
    ArgError::check_len("x", x.len(), g.input_len())?;
    ArgError::check_len("dy", dy.len(), g.output_len())?;
    ArgError::check_len("dfilter", dfilter.len(), g.filter_len())?;
    let (pixels, patch, oc) = (g.pixels(), g.patch_len(), g.out_channels);
    let sink = TransposedSink { out: SyncPtr(dfilter.as_mut_ptr()), ld: oc };
    gemm(
        oc,
        patch,
        pixels,
        &MatA { data: dy, m: oc, k: pixels, transposed: true },
        &Im2colB::new(*g, x),
        &sink,
        threads,
        Split { columns: true, row_align: 1 },
    );
    Ok(())
}

/// Writes `C[i][j]` to `out[j * ld + i]`.
struct TransposedSink {
    out: SyncPtr,
    ld: usize,
}

impl Sink for TransposedSink {
    type Rows = ();
    fn rows(&self, _i0: usize, _mr: usize) {}
    fn store(&self, _rows: (), i0: usize, mr: usize, j0: usize, nr: usize, tile: &[f32]) {
        for j in 0..nr {
            // SAFETY: `out` holds n x ld floats; this tile's elements belong to this call.
            let dst = unsafe { std::slice::from_raw_parts_mut(self.out.0.add((j0 + j) * self.ld + i0), mr) };
            for (i, d) in dst.iter_mut().enumerate() {
                *d = tile[i * NR + j];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{assert_close, conv2d_backprop_filter_ref, geometries, Rng};

    #[test]
    fn matches_the_naive_gradient_on_every_test_geometry() {
        let mut rng = Rng::new(5);
        for g in geometries() {
            let x = rng.vec(g.input_len());
            let dy = rng.vec(g.output_len());
            let want = conv2d_backprop_filter_ref(&g, &x, &dy);
            for threads in [1, 2] {
                let mut dw = vec![f32::NAN; g.filter_len()];
                conv2d_backprop_filter(&g, &x, &dy, &mut dw, threads).unwrap();
                assert_close(&dw, &want, &format!("{g:?}"));
            }
        }
    }
}
