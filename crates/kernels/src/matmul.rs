use crate::gemm::{gemm, MatA, MatB, MatSink, Split};
use crate::sync_ptr::SyncPtr;
use crate::Activation;
use acme_common::{ArgError, Result};

/// The shape of a batched product `out[i] = activation(op(a[i]) · op(b[i]) + bias)`, where `op`
/// transposes when asked. A batch of 1 on either side is broadcast (TensorFlow.js's `BatchMatMul`
/// and `_FusedMatMul` after they flatten the outer dimensions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatMulShape {
    pub batch_a: usize,
    pub batch_b: usize,
    /// Rows of `op(a)` and of the output.
    pub m: usize,
    /// The reduction length.
    pub k: usize,
    /// Columns of `op(b)` and of the output.
    pub n: usize,
    /// `a` is stored `k x m` (else `m x k`).
    pub transpose_a: bool,
    /// `b` is stored `n x k` (else `k x n`).
    pub transpose_b: bool,
    pub activation: Activation,
}

const FIELDS: [&str; 8] = ["batchA", "batchB", "m", "k", "n", "transposeA", "transposeB", "activation"];

impl MatMulShape {
    /// Reads `[batchA, batchB, m, k, n, transposeA, transposeB, activation]`.
    pub fn from_fields(values: &[i32]) -> Result<Self> {
        ArgError::check_len("shape", values.len(), FIELDS.len())?;
        for (i, &v) in values.iter().enumerate().take(5) {
            if v < 0 {
                return Err(ArgError::range(format!("shape.{} must be at least 0, got {v}", FIELDS[i])));
            }
        }
        for i in 5..7 {
            if values[i] != 0 && values[i] != 1 {
                return Err(ArgError::range(format!("shape.{} must be 0 or 1, got {}", FIELDS[i], values[i])));
            }
        }
        let s = MatMulShape {
            batch_a: values[0] as usize,
            batch_b: values[1] as usize,
            m: values[2] as usize,
            k: values[3] as usize,
            n: values[4] as usize,
            transpose_a: values[5] == 1,
            transpose_b: values[6] == 1,
            activation: Activation::from_code(values[7])?,
        };
        if s.batch_a != s.batch_b && s.batch_a != 1 && s.batch_b != 1 {
            return Err(ArgError::range(format!(
                "shape.batchA ({}) and shape.batchB ({}) must be equal or one of them 1",
                s.batch_a, s.batch_b
            )));
        }
        // In 64 bits on every platform, so that wasm32 and the addon refuse the same shapes; a
        // length that fits but exceeds the real array is then a wrong length (`matmul`).
        for (name, len) in [("a", s.a_len()), ("b", s.b_len()), ("out", s.out_len())] {
            if len.map_or(true, |l| l > i64::MAX as u64 / 4) {
                return Err(ArgError::range(format!("shape describes an {name} too large to address")));
            }
        }
        Ok(s)
    }

    /// The batch of the output.
    pub fn batch(&self) -> usize {
        if self.batch_a == 0 || self.batch_b == 0 {
            0
        } else {
            self.batch_a.max(self.batch_b)
        }
    }

    fn a_len(&self) -> Option<u64> {
        (self.batch_a as u64).checked_mul(self.m as u64)?.checked_mul(self.k as u64)
    }

    fn b_len(&self) -> Option<u64> {
        (self.batch_b as u64).checked_mul(self.k as u64)?.checked_mul(self.n as u64)
    }

    fn out_len(&self) -> Option<u64> {
        (self.batch() as u64).checked_mul(self.m as u64)?.checked_mul(self.n as u64)
    }
}

/// `out[i] = activation(op(a[i]) · op(b[i]) + bias)` for every batch index `i`. `bias` is empty or
/// holds `n` values.
pub fn matmul(s: &MatMulShape, a: &[f32], b: &[f32], bias: &[f32], out: &mut [f32], threads: usize) -> Result<()> {
    // `from_fields` made sure these fit in 64 bits.
    let len = |l: Option<u64>| l.unwrap_or(u64::MAX);
    ArgError::check_len_u64("a", a.len(), len(s.a_len()))?;
    ArgError::check_len_u64("b", b.len(), len(s.b_len()))?;
    if !bias.is_empty() {
        ArgError::check_len("bias", bias.len(), s.n)?;
    }
    ArgError::check_len_u64("out", out.len(), len(s.out_len()))?;
    if s.batch() == 0 {
        return Ok(());
    }
    // Each of the matrices below is part of an array whose length was just checked: these fit.
    let (a_len, b_len, out_len) = (s.m * s.k, s.k * s.n, s.m * s.n);
    for i in 0..s.batch() {
        let ai = if s.batch_a == 1 { 0 } else { i };
        let bi = if s.batch_b == 1 { 0 } else { i };
        let sink = MatSink { out: SyncPtr(out[i * out_len..].as_mut_ptr()), n: s.n, bias, activation: s.activation };
        gemm(
            s.m,
            s.n,
            s.k,
            &MatA { data: &a[ai * a_len..(ai + 1) * a_len], m: s.m, k: s.k, transposed: s.transpose_a },
            &MatB { data: &b[bi * b_len..(bi + 1) * b_len], k: s.k, n: s.n, transposed: s.transpose_b },
            &sink,
            threads,
            Split { columns: true, row_align: 1 },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{assert_close, matmul_ref, Rng};

    fn shape(fields: [i32; 8]) -> MatMulShape {
        MatMulShape::from_fields(&fields).unwrap()
    }

    #[test]
    fn broadcasts_a_batch_of_one_and_fuses_bias_and_relu() {
        let mut rng = Rng::new(21);
        let s = shape([3, 1, 5, 7, 18, 1, 0, 1]);
        let a = rng.vec(3 * 5 * 7);
        let b = rng.vec(7 * 18);
        let bias = rng.vec(18);
        let mut out = vec![0f32; 3 * 5 * 18];
        matmul(&s, &a, &b, &bias, &mut out, 2).unwrap();
        for i in 0..3 {
            let want = matmul_ref(&a[i * 35..(i + 1) * 35], &b, 5, 7, 18, true, false);
            let want: Vec<f32> = want.iter().enumerate().map(|(e, &v)| (v + bias[e % 18]).max(0.0)).collect();
            assert_close(&out[i * 90..(i + 1) * 90], &want, "batch");
        }
    }

    #[test]
    fn an_empty_reduction_gives_the_bias() {
        let s = shape([1, 1, 2, 0, 3, 0, 0, 0]);
        let mut out = vec![9f32; 6];
        matmul(&s, &[], &[], &[1.0, 2.0, 3.0], &mut out, 1).unwrap();
        assert_eq!(out, vec![1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn checks_the_shape_and_every_length() {
        let bad = MatMulShape::from_fields(&[2, 3, 1, 1, 1, 0, 0, 0]).unwrap_err();
        assert_eq!(bad.message, "shape.batchA (2) and shape.batchB (3) must be equal or one of them 1");
        let bad = MatMulShape::from_fields(&[1, 1, 1, 1, 1, 2, 0, 0]).unwrap_err();
        assert_eq!(bad.message, "shape.transposeA must be 0 or 1, got 2");
        let bad = MatMulShape::from_fields(&[1, 1, 1, 1, 1, 0, 0, 5]).unwrap_err();
        assert_eq!(bad.message, "activation must be 0 (linear) or 1 (relu), got 5");
        let s = shape([1, 1, 2, 2, 2, 0, 0, 0]);
        let mut out = vec![0f32; 4];
        assert_eq!(
            matmul(&s, &[0.0; 3], &[0.0; 4], &[], &mut out, 1).unwrap_err().message,
            "a must have length 4, got 3"
        );
        assert_eq!(
            matmul(&s, &[0.0; 4], &[0.0; 4], &[0.0], &mut out, 1).unwrap_err().message,
            "bias must have length 2, got 1"
        );
        assert_eq!(
            matmul(&s, &[0.0; 4], &[0.0; 4], &[], &mut out[..3], 1).unwrap_err().message,
            "out must have length 4, got 3"
        );
    }
}
