//! Small numeric kernels: a float32 vector sum accumulated in f64, and the running mean/variance
//! used to normalise observations (Stable-Baselines3's `RunningMeanStd` / `VecNormalize`).
//! They are the first functions carried across the N-API and wasm bridges.

mod running_mean_std;
mod sum;

pub use running_mean_std::RunningMeanStd;
pub use sum::sum_f32;
