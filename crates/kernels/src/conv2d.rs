use crate::gemm::{gemm, MatB, MatSink, Split};
use crate::im2col::Im2colA;
use crate::sync_ptr::SyncPtr;
use crate::{Activation, Conv2dGeometry};
use acme_common::{ArgError, Result};

/// `y = activation(conv2d(x, filter) + bias)` over NHWC tensors (TensorFlow.js's `Conv2D` and,
/// with a bias or ReLU, `FusedConv2D`). `bias` is empty or holds one value per output channel.
pub fn conv2d(
    g: &Conv2dGeometry,
    x: &[f32],
    filter: &[f32],
    bias: &[f32],
    activation: Activation,
    y: &mut [f32],
    threads: usize,
) -> Result<()> {
    ArgError::check_len("x", x.len(), g.input_len())?;
    ArgError::check_len("filter", filter.len(), g.filter_len())?;
    if !bias.is_empty() {
        ArgError::check_len("bias", bias.len(), g.out_channels)?;
    }
    ArgError::check_len("y", y.len(), g.output_len())?;
    let (patch, oc) = (g.patch_len(), g.out_channels);
    let sink = MatSink { out: SyncPtr(y.as_mut_ptr()), n: oc, bias, activation };
    gemm(
        g.pixels(),
        oc,
        patch,
        &Im2colA::new(*g, x),
        &MatB { data: filter, k: patch, n: oc, transposed: false },
        &sink,
        threads,
        Split { columns: true, row_align: 1 },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{assert_close, conv2d_ref, geometries, Rng};

    #[test]
    fn matches_the_naive_convolution_on_every_test_geometry() {
        let mut rng = Rng::new(3);
        for g in geometries() {
            let x = rng.vec(g.input_len());
            let w = rng.vec(g.filter_len());
            let bias = rng.vec(g.out_channels);
            let want = conv2d_ref(&g, &x, &w);
            for threads in [1, 2] {
                let mut y = vec![f32::NAN; g.output_len()];
                conv2d(&g, &x, &w, &[], Activation::Linear, &mut y, threads).unwrap();
                assert_close(&y, &want, &format!("{g:?}"));
                conv2d(&g, &x, &w, &bias, Activation::Relu, &mut y, threads).unwrap();
                let fused: Vec<f32> =
                    want.iter().enumerate().map(|(i, &v)| (v + bias[i % g.out_channels]).max(0.0)).collect();
                assert_close(&y, &fused, &format!("fused {g:?}"));
            }
        }
    }

    #[test]
    fn refuses_wrong_lengths_without_writing() {
        let g = geometries()[0];
        let x = vec![1f32; g.input_len()];
        let w = vec![1f32; g.filter_len()];
        let mut y = vec![7f32; g.output_len()];
        let err = conv2d(&g, &x[1..], &w, &[], Activation::Linear, &mut y, 1).unwrap_err();
        assert_eq!(err.message, format!("x must have length {}, got {}", g.input_len(), g.input_len() - 1));
        let err = conv2d(&g, &x, &w, &[1.0], Activation::Linear, &mut y, 1).unwrap_err();
        assert!(err.message.starts_with("bias must have length"));
        assert!(y.iter().all(|&v| v == 7.0));
    }
}
