use acme_common::{ArgError, Js, Result};

/// The scalars of one Adam step, already rounded to float32 the way TensorFlow.js's
/// `AdamOptimizer` rounds them (its scalars become float32 tensors; `1 - beta` is computed in
/// float64 first; `1 - accBeta` in float32 because `accBeta` is a float32 variable).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamHyper {
    beta1: f32,
    beta2: f32,
    one_minus_beta1: f32,
    one_minus_beta2: f32,
    one_minus_acc_beta1: f32,
    one_minus_acc_beta2: f32,
    neg_learning_rate: f32,
    epsilon: f32,
}

const FIELDS: [&str; 6] = ["learningRate", "beta1", "beta2", "epsilon", "accBeta1", "accBeta2"];

impl AdamHyper {
    /// Reads `[learningRate, beta1, beta2, epsilon, accBeta1, accBeta2]`, where `accBeta` is
    /// `beta^t` for step `t` (1 on the first step) as the optimizer's float32 variable holds it.
    pub fn from_fields(values: &[f64]) -> Result<Self> {
        ArgError::check_len("hyper", values.len(), FIELDS.len())?;
        for (i, &v) in values.iter().enumerate() {
            if !v.is_finite() {
                return Err(ArgError::range(format!("hyper.{} must be finite, got {}", FIELDS[i], Js(v))));
            }
        }
        for i in [1, 2, 4, 5] {
            if !(0.0..1.0).contains(&values[i]) {
                return Err(ArgError::range(format!("hyper.{} must be in [0, 1), got {}", FIELDS[i], Js(values[i]))));
            }
        }
        if values[3] < 0.0 {
            return Err(ArgError::range(format!("hyper.epsilon must be at least 0, got {}", Js(values[3]))));
        }
        Ok(AdamHyper {
            beta1: values[1] as f32,
            beta2: values[2] as f32,
            one_minus_beta1: (1.0 - values[1]) as f32,
            one_minus_beta2: (1.0 - values[2]) as f32,
            one_minus_acc_beta1: 1.0 - values[4] as f32,
            one_minus_acc_beta2: 1.0 - values[5] as f32,
            neg_learning_rate: (-values[0]) as f32,
            epsilon: values[3] as f32,
        })
    }
}

/// One Adam step, out of place, with TensorFlow.js's operations in its order, each rounded to
/// float32, so the result is bit-for-bit what `tf.train.adam` computes through separate kernels:
///
/// ```text
/// m' = m * beta1 + g * (1 - beta1)
/// v' = v * beta2 + g^2 * (1 - beta2)
/// param' = (m' / (1 - accBeta1)) / (sqrt(v' / (1 - accBeta2)) + epsilon) * -learningRate + param
/// ```
#[allow(clippy::too_many_arguments)]
pub fn adam_update(
    h: &AdamHyper,
    param: &[f32],
    grad: &[f32],
    m: &[f32],
    v: &[f32],
    param_out: &mut [f32],
    m_out: &mut [f32],
    v_out: &mut [f32],
) -> Result<()> {
    let n = param.len();
    ArgError::check_len("grad", grad.len(), n)?;
    ArgError::check_len("m", m.len(), n)?;
    ArgError::check_len("v", v.len(), n)?;
    ArgError::check_len("paramOut", param_out.len(), n)?;
    ArgError::check_len("mOut", m_out.len(), n)?;
    ArgError::check_len("vOut", v_out.len(), n)?;
    let h = *h;
    for i in 0..n {
        let g = grad[i];
        let m1 = m[i] * h.beta1 + g * h.one_minus_beta1;
        let v1 = v[i] * h.beta2 + (g * g) * h.one_minus_beta2;
        let corrected_m = m1 / h.one_minus_acc_beta1;
        let corrected_v = v1 / h.one_minus_acc_beta2;
        param_out[i] = corrected_m / (corrected_v.sqrt() + h.epsilon) * h.neg_learning_rate + param[i];
        m_out[i] = m1;
        v_out[i] = v1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_moves_each_weight_by_about_the_learning_rate() {
        // On step 1 the bias-corrected moments are g and g^2, so the step is -lr * g / (|g| + eps).
        let h = AdamHyper::from_fields(&[0.01, 0.9, 0.999, 1e-7, 0.9, 0.999]).unwrap();
        let (p, g) = ([1.0f32, -2.0, 0.5], [0.5f32, -4.0, 0.0]);
        let (mut p1, mut m1, mut v1) = ([0f32; 3], [0f32; 3], [0f32; 3]);
        adam_update(&h, &p, &g, &[0.0; 3], &[0.0; 3], &mut p1, &mut m1, &mut v1).unwrap();
        assert!((p1[0] - 0.99).abs() < 1e-5 && (p1[1] + 1.99).abs() < 1e-5 && p1[2] == 0.5, "{p1:?}");
        assert!((m1[0] - 0.05).abs() < 1e-7 && (v1[1] - 0.016).abs() < 1e-6);
    }

    #[test]
    fn checks_hyperparameters_and_lengths() {
        let bad = AdamHyper::from_fields(&[0.01, 1.0, 0.999, 1e-7, 0.9, 0.999]).unwrap_err();
        assert_eq!(bad.message, "hyper.beta1 must be in [0, 1), got 1");
        let bad = AdamHyper::from_fields(&[f64::NAN, 0.9, 0.999, 1e-7, 0.9, 0.999]).unwrap_err();
        assert_eq!(bad.message, "hyper.learningRate must be finite, got NaN");
        let h = AdamHyper::from_fields(&[0.01, 0.9, 0.999, 1e-7, 0.9, 0.999]).unwrap();
        let mut o = [0f32; 2];
        let (mut m, mut v) = ([0f32; 2], [0f32; 2]);
        let err = adam_update(&h, &[0.0; 2], &[0.0; 1], &[0.0; 2], &[0.0; 2], &mut o, &mut m, &mut v).unwrap_err();
        assert_eq!(err.message, "grad must have length 2, got 1");
    }
}
