//! Float32 training kernels that the TensorFlow.js wasm backend lacks or runs slowly: 2-D
//! convolution (NHWC) with its input and filter gradients, batched matrix products with an
//! optional fused bias and ReLU, a dense layer's three gradients in one call, unsorted segment sum
//! (the gradient of `gather`) and a fused Adam step that reproduces TensorFlow.js's
//! `AdamOptimizer` operation by operation.
//!
//! Every product goes through one blocked GEMM (`gemm`): convolutions pack their im2col panels
//! straight from the NHWC tensors instead of materialising them. On x86-64 the inner loops are
//! compiled a second time with AVX2+FMA and picked at run time; elsewhere they are plain Rust
//! (scalar on wasm32, whose module is built without SIMD so that it loads everywhere). `threads`
//! shares a product between scoped threads; wasm32 always runs on the calling thread. Each output
//! element is one sequential sum over the reduction axis, so results do not depend on the thread
//! count or on how the work was tiled.

mod activation;
mod adam;
mod arith;
mod conv2d;
mod conv2d_backprop_filter;
mod conv2d_backprop_input;
mod dense_backward;
mod gemm;
mod geometry;
mod im2col;
mod matmul;
mod parallel;
mod scratch;
mod segment_sum;
mod sync_ptr;

pub use activation::Activation;
pub use adam::{adam_update, AdamHyper};
pub use conv2d::conv2d;
pub use conv2d_backprop_filter::conv2d_backprop_filter;
pub use conv2d_backprop_input::conv2d_backprop_input;
pub use dense_backward::{dense_backward, DenseShape};
pub use geometry::Conv2dGeometry;
pub use matmul::{matmul, MatMulShape};
pub use parallel::{check_threads, max_threads, MAX_THREADS};
pub use segment_sum::unsorted_segment_sum;

#[cfg(test)]
mod reference;
