use crate::gemm::{gemm, MatA, MatB, MatSink, Split};
use crate::scratch::with_scratch;
use crate::sync_ptr::SyncPtr;
use crate::Activation;
use acme_common::{ArgError, Result};

/// The shape of a dense layer's backward step, as the bindings pass it:
/// `[m (rows), k (inputs), n (units), activation (0 linear, 1 relu), threads]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DenseShape {
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub activation: Activation,
    pub threads: usize,
}

const FIELDS: [&str; 5] = ["m", "k", "n", "activation", "threads"];

impl DenseShape {
    pub fn from_fields(values: &[i32]) -> Result<Self> {
        ArgError::check_len("shape", values.len(), FIELDS.len())?;
        for (i, &v) in values[..4].iter().enumerate() {
            if v < 0 {
                return Err(ArgError::range(format!("shape.{} must be in [0, {}], got {v}", FIELDS[i], i32::MAX)));
            }
        }
        // The caller's `threads` option travels in the shape; it is checked as every kernel's is.
        let threads = crate::check_threads(values[4] as f64)?;
        // Products of two fields (< 2^62) are checked in 64 bits against the arrays' lengths in
        // `dense_backward`, the same way on every platform: once they match real arrays, they fit.
        let [m, k, n] = [values[0] as usize, values[1] as usize, values[2] as usize];
        Ok(DenseShape { m, k, n, activation: Activation::from_code(values[3])?, threads })
    }
}

/// All three gradients of a dense layer `y = activation(x · w + b)` in one call, given its output
/// `y` and the gradient `dy` flowing into it: with `dz = dy * (y > 0)` for ReLU (else `dy`),
/// `dx = dz · w^T`, `dw = x^T · dz`, `db = column sums of dz`. One call instead of the five or six
/// kernels TensorFlow.js runs for the same step; each product is the one `matmul` computes for the
/// same operands, so the numbers are those of the separate kernels.
#[allow(clippy::too_many_arguments)]
pub fn dense_backward(
    shape: &DenseShape,
    x: &[f32],
    w: &[f32],
    y: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    dw: &mut [f32],
    db: &mut [f32],
) -> Result<()> {
    let DenseShape { m, k, n, activation, threads } = *shape;
    let (mk, kn, mn) = (m as u64 * k as u64, k as u64 * n as u64, m as u64 * n as u64);
    ArgError::check_len_u64("x", x.len(), mk)?;
    ArgError::check_len_u64("w", w.len(), kn)?;
    ArgError::check_len_u64("y", y.len(), mn)?;
    ArgError::check_len_u64("dy", dy.len(), mn)?;
    ArgError::check_len_u64("dx", dx.len(), mk)?;
    ArgError::check_len_u64("dw", dw.len(), kn)?;
    ArgError::check_len("db", db.len(), n)?;
    let run = |dz: &[f32], dx: &mut [f32], dw: &mut [f32], db: &mut [f32]| {
        for v in db.iter_mut() {
            *v = 0.0;
        }
        for row in dz.chunks_exact(n.max(1)).take(m) {
            for (d, &v) in db.iter_mut().zip(row) {
                *d += v;
            }
        }
        let linear = |out: &mut [f32], cols: usize| MatSink {
            out: SyncPtr(out.as_mut_ptr()),
            n: cols,
            bias: &[],
            activation: Activation::Linear,
        };
        let columns = Split { columns: true, row_align: 1 };
        gemm(
            k,
            n,
            m,
            &MatA { data: x, m: k, k: m, transposed: true },
            &MatB { data: dz, k: m, n, transposed: false },
            &linear(dw, n),
            threads,
            columns,
        );
        gemm(
            m,
            k,
            n,
            &MatA { data: dz, m, k: n, transposed: false },
            &MatB { data: w, k: n, n: k, transposed: true },
            &linear(dx, k),
            threads,
            columns,
        );
    };
    match activation {
        Activation::Linear => run(dy, dx, dw, db),
        Activation::Relu => with_scratch(m * n, |dz| {
            for ((z, &g), &out) in dz.iter_mut().zip(dy).zip(y) {
                // TensorFlow's ReLU gradient: dy where the output is positive, else 0.
                *z = if out > 0.0 { g } else { 0.0 };
            }
            run(dz, dx, dw, db)
        }),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{assert_close, matmul_ref, Rng};

    #[test]
    fn matches_the_three_products_of_the_chain_rule() {
        let (m, k, n) = (7, 5, 19);
        let mut rng = Rng::new(31);
        let (x, w, y, dy) = (rng.vec(m * k), rng.vec(k * n), rng.vec(m * n), rng.vec(m * n));
        for activation in [Activation::Linear, Activation::Relu] {
            let (mut dx, mut dw, mut db) = (vec![f32::NAN; m * k], vec![f32::NAN; k * n], vec![f32::NAN; n]);
            let shape = DenseShape { m, k, n, activation, threads: 2 };
            dense_backward(&shape, &x, &w, &y, &dy, &mut dx, &mut dw, &mut db).unwrap();
            let dz: Vec<f32> = dy
                .iter()
                .zip(&y)
                .map(|(&g, &o)| if activation == Activation::Relu && o <= 0.0 { 0.0 } else { g })
                .collect();
            assert_close(&dw, &matmul_ref(&x, &dz, k, m, n, true, false), "dw");
            assert_close(&dx, &matmul_ref(&dz, &w, m, n, k, false, true), "dx");
            let sums: Vec<f32> = (0..n).map(|j| (0..m).map(|i| dz[i * n + j]).sum()).collect();
            assert_close(&db, &sums, "db");
        }
    }

    #[test]
    fn checks_every_length() {
        let mut out = [0f32; 6];
        let shape = DenseShape::from_fields(&[2, 3, 1, 1, 1]).unwrap();
        let err =
            dense_backward(&shape, &[0.0; 6], &[0.0; 3], &[0.0; 2], &[0.0; 2], &mut out, &mut [0.0; 2], &mut [0.0; 1])
                .unwrap_err();
        assert_eq!(err.message, "dw must have length 3, got 2");
        let err = DenseShape::from_fields(&[2, 3, 1, 1, 5000]).unwrap_err();
        assert_eq!(err.message, "threads must be an integer in [1, 1024], got 5000");
        let err = DenseShape::from_fields(&[2, 3, 1, 1, 0]).unwrap_err();
        assert_eq!(err.message, "threads must be an integer in [1, 1024], got 0");
    }
}
