//! The `.node` addon: Node-API bindings of the pure acme-ts crates. This crate holds argument
//! conversion only; every computation and every check of lengths and values lives in the crate it
//! wraps, so the wasm bindings report the same errors.

mod frames;
mod kernels;
mod napi;
mod replay;
mod stats;
mod sys;

use sys::{napi_env, napi_value};

/// Called by Node when the addon is loaded (the symbol Node-API looks for).
///
/// # Safety
/// Only Node calls this, with a valid `env` and `exports` object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
    napi::install_panic_hook();
    if stats::register(env, exports).is_err()
        || frames::register(env, exports).is_err()
        || kernels::register(env, exports).is_err()
        || replay::register(env, exports).is_err()
    {
        // A failed registration leaves a pending exception; Node throws it from require().
        return std::ptr::null_mut();
    }
    exports
}
