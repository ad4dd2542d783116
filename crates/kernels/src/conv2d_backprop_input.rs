use crate::gemm::{gemm, MatA, MatB, Split};
use crate::im2col::Col2ImSink;
use crate::sync_ptr::SyncPtr;
use crate::Conv2dGeometry;
use acme_common::{ArgError, Result};

/// The input gradient of a convolution (TensorFlow.js's `Conv2DBackpropInput`): every output
/// pixel's `dy` row times the filter, transposed, added back into the window it came from
/// (`col2im(dy · filter^T)`). Threads own whole images, so no two write the same element.
pub fn conv2d_backprop_input(
    g: &Conv2dGeometry,
    dy: &[f32],
    filter: &[f32],
    dx: &mut [f32],
    threads: usize,
) -> Result<()> {
    ArgError::check_len("dy", dy.len(), g.output_len())?;
    ArgError::check_len("filter", filter.len(), g.filter_len())?;
    ArgError::check_len("dx", dx.len(), g.input_len())?;
    for v in dx.iter_mut() {
        *v = 0.0;
    }
    let (pixels, patch, oc) = (g.pixels(), g.patch_len(), g.out_channels);
    let per_image = (g.out_height * g.out_width).max(1);
    gemm(
        pixels,
        patch,
        oc,
        &MatA { data: dy, m: pixels, k: oc, transposed: false },
        &MatB { data: filter, k: oc, n: patch, transposed: true },
        &Col2ImSink::new(*g, SyncPtr(dx.as_mut_ptr())),
        threads,
        Split { columns: false, row_align: per_image },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{assert_close, conv2d_backprop_input_ref, geometries, Rng};

    #[test]
    fn matches_the_naive_gradient_on_every_test_geometry() {
        let mut rng = Rng::new(9);
        for g in geometries() {
            let dy = rng.vec(g.output_len());
            let w = rng.vec(g.filter_len());
            let want = conv2d_backprop_input_ref(&g, &dy, &w);
            for threads in [1, 2] {
                let mut dx = vec![f32::NAN; g.input_len()];
                conv2d_backprop_input(&g, &dy, &w, &mut dx, threads).unwrap();
                assert_close(&dx, &want, &format!("{g:?}"));
            }
        }
    }
}
