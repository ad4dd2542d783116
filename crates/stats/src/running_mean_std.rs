use acme_common::{alloc, ArgError, Js, Result};

/// Per-element running mean and variance of a stream of vectors of length `dim`, merged batch by
/// batch with the parallel algorithm of Chan et al. (the update Stable-Baselines3's
/// `RunningMeanStd` uses), kept in f64.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningMeanStd {
    dim: usize,
    count: f64,
    mean: Vec<f64>,
    var: Vec<f64>,
}

impl RunningMeanStd {
    /// Starts with mean 0, variance 1 and a pseudo-count `epsilon` (SB3 uses 1e-4), so that the
    /// first batch dominates but a division by zero cannot happen.
    pub fn new(dim: usize, epsilon: f64) -> Result<Self> {
        if dim == 0 {
            return Err(ArgError::range("dim must be at least 1, got 0"));
        }
        if !(epsilon.is_finite() && epsilon > 0.0) {
            return Err(ArgError::range(format!("epsilon must be a finite number > 0, got {}", Js(epsilon))));
        }
        // Two f64 per element: the mean and the variance.
        let bytes = (dim as u64).checked_mul(16);
        alloc::check_bytes("dim", dim, bytes)?;
        let too_large = || alloc::too_large("dim", dim, bytes);
        let mean = alloc::filled(dim, 0.0).ok_or_else(too_large)?;
        let var = alloc::filled(dim, 1.0).ok_or_else(too_large)?;
        Ok(RunningMeanStd { dim, count: epsilon, mean, var })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn count(&self) -> f64 {
        self.count
    }

    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    pub fn var(&self) -> &[f64] {
        &self.var
    }

    /// Folds in a batch of `batch.len() / dim` vectors laid out row after row. A batch with a NaN
    /// or infinity is refused whole, so one bad observation cannot poison the statistics.
    pub fn update(&mut self, batch: &[f32]) -> Result<()> {
        let dim = self.dim;
        if batch.is_empty() || batch.len() % dim != 0 {
            return Err(ArgError::range(format!(
                "batch length must be a positive multiple of dim {dim}, got {}",
                batch.len()
            )));
        }
        if let Some(i) = batch.iter().position(|v| !v.is_finite()) {
            return Err(ArgError::range(format!("batch[{i}] must be finite, got {}", Js(batch[i] as f64))));
        }
        let rows = (batch.len() / dim) as f64;
        let total = self.count + rows;
        for j in 0..dim {
            let column = batch.iter().skip(j).step_by(dim).map(|&v| v as f64);
            let batch_mean = column.clone().sum::<f64>() / rows;
            let batch_var = column.map(|v| (v - batch_mean) * (v - batch_mean)).sum::<f64>() / rows;
            let delta = batch_mean - self.mean[j];
            let m2 = self.var[j] * self.count + batch_var * rows + delta * delta * self.count * rows / total;
            self.mean[j] += delta * rows / total;
            self.var[j] = m2 / total;
        }
        self.count = total;
        Ok(())
    }

    /// Writes `clip((x - mean) / sqrt(var + 1e-8), -clip, clip)` for every row of `input` into
    /// `output` (SB3's `VecNormalize` observation transform).
    pub fn normalize(&self, input: &[f32], output: &mut [f32], clip: f32) -> Result<()> {
        let dim = self.dim;
        if input.len() % dim != 0 {
            return Err(ArgError::range(format!("input length must be a multiple of dim {dim}, got {}", input.len())));
        }
        ArgError::check_len("output", output.len(), input.len())?;
        if clip.is_nan() || clip <= 0.0 {
            return Err(ArgError::range(format!("clip must be > 0, got {clip}")));
        }
        for (row_in, row_out) in input.chunks_exact(dim).zip(output.chunks_exact_mut(dim)) {
            for j in 0..dim {
                let z = (row_in[j] as f64 - self.mean[j]) / (self.var[j] + 1e-8).sqrt();
                row_out[j] = (z as f32).max(-clip).min(clip);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn matches_two_pass_statistics_when_fed_in_pieces() {
        let data: Vec<f32> = (0..600).map(|i| ((i * 37 % 101) as f32) * 0.25 - 7.0).collect();
        let mut rms = RunningMeanStd::new(3, 1e-12).unwrap();
        for piece in data.chunks(3 * 20) {
            rms.update(piece).unwrap();
        }
        for j in 0..3 {
            let col: Vec<f64> = data.iter().skip(j).step_by(3).map(|&v| v as f64).collect();
            let n = col.len() as f64;
            let mean = col.iter().sum::<f64>() / n;
            let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
            assert!(close(rms.mean()[j], mean, 1e-9), "mean[{j}] {} vs {mean}", rms.mean()[j]);
            assert!(close(rms.var()[j], var, 1e-9), "var[{j}] {} vs {var}", rms.var()[j]);
        }
        assert!(close(rms.count(), 200.0, 1e-9));
    }

    #[test]
    fn normalize_standardises_and_clips() {
        let mut rms = RunningMeanStd::new(1, 1e-12).unwrap();
        rms.update(&[1.0, 3.0]).unwrap(); // mean 2, var 1
        let mut out = [0f32; 3];
        rms.normalize(&[2.0, 3.0, 100.0], &mut out, 5.0).unwrap();
        assert!((out[0]).abs() < 1e-6);
        assert!((out[1] - 1.0).abs() < 1e-6);
        assert_eq!(out[2], 5.0);
    }

    #[test]
    fn refuses_a_dim_whose_statistics_cannot_be_allocated() {
        let dim = (alloc::limit() / 16 + 1) as usize;
        let err = RunningMeanStd::new(dim, 1e-4).unwrap_err();
        assert!(err.message.starts_with(&format!("dim = {dim} needs {} bytes", dim as u64 * 16)), "{}", err.message);
    }

    #[test]
    fn rejects_bad_arguments_without_changing_state() {
        assert_eq!(RunningMeanStd::new(0, 1e-4).unwrap_err().message, "dim must be at least 1, got 0");
        let mut rms = RunningMeanStd::new(2, 1e-4).unwrap();
        let before = rms.clone();
        assert!(rms.update(&[1.0, 2.0, 3.0]).unwrap_err().message.contains("multiple of dim 2"));
        assert_eq!(rms.update(&[1.0, f32::NAN]).unwrap_err().message, "batch[1] must be finite, got NaN");
        assert_eq!(rms, before);
        let mut out = [0f32; 2];
        assert_eq!(
            rms.normalize(&[1.0, 2.0, 3.0, 4.0], &mut out, 10.0).unwrap_err().message,
            "output must have length 4, got 2"
        );
        assert!(rms.normalize(&[1.0, 2.0], &mut out, f32::NAN).is_err());
    }
}
