use acme_common::{ArgError, Result};

/// What a fused kernel applies to `product + bias` before storing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Linear = 0,
    Relu = 1,
}

impl Activation {
    /// The code the bindings pass (0 linear, 1 relu).
    pub fn from_code(code: i32) -> Result<Self> {
        match code {
            0 => Ok(Activation::Linear),
            1 => Ok(Activation::Relu),
            _ => Err(ArgError::range(format!("activation must be 0 (linear) or 1 (relu), got {code}"))),
        }
    }

    #[inline(always)]
    pub(crate) fn apply(self, v: f32) -> f32 {
        match self {
            Activation::Linear => v,
            // `v < 0` keeps NaN as NaN, as TensorFlow's Relu does.
            Activation::Relu => {
                if v < 0.0 {
                    0.0
                } else {
                    v
                }
            }
        }
    }
}
