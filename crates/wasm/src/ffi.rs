//! The conventions of the C ABI that the TypeScript loader (packages/native/src/wasm.ts) relies on:
//! memory is allocated by the caller through `acme_alloc`/`acme_free`; a fallible export returns a
//! status (0 = ok, otherwise an `ErrorKind` code) and leaves the message in a buffer read through
//! `acme_error_*`; a panic traps (wasm32-unknown-unknown cannot unwind) after the hook below has
//! stored its message with code `PANIC`, so the loader can throw it as a JavaScript error.

use acme_common::{ArgError, ErrorKind, Result};
use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;

pub const OK: i32 = 0;
pub const PANIC: i32 = 4;

thread_local! {
    static LAST_ERROR: RefCell<(i32, String)> = const { RefCell::new((OK, String::new())) };
}

fn set_error(code: i32, message: String) {
    LAST_ERROR.with(|e| *e.borrow_mut() = (code, message));
}

/// Records `err` and returns its status code.
pub fn fail(err: ArgError) -> i32 {
    let code = match err.kind {
        ErrorKind::Type => 1,
        ErrorKind::Range => 2,
        ErrorKind::Other => 3,
    };
    set_error(code, err.message);
    code
}

pub fn status(result: Result<()>) -> i32 {
    match result {
        Ok(()) => OK,
        Err(e) => fail(e),
    }
}

/// A constructor's result as a handle for JavaScript: the boxed value, or null with the error
/// recorded for `acme_error_*`.
pub fn boxed<T>(made: Result<T>) -> *mut T {
    match made {
        Ok(value) => Box::into_raw(Box::new(value)),
        Err(e) => {
            fail(e);
            std::ptr::null_mut()
        }
    }
}

/// A slice over caller-owned wasm memory. A zero length never dereferences the pointer.
///
/// # Safety
/// `ptr..ptr+len` must be memory the caller allocated for `T`s and does not use during the call.
pub unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// # Safety
/// As [`slice`], and no other live slice may overlap it.
pub unsafe fn slice_mut<'a, T>(ptr: *mut T, len: usize) -> &'a mut [T] {
    if len == 0 {
        &mut []
    } else {
        std::slice::from_raw_parts_mut(ptr, len)
    }
}

/// True when the byte ranges of two caller buffers do not overlap.
pub fn disjoint<A, B>(a: *const A, a_len: usize, b: *const B, b_len: usize) -> bool {
    let (a0, a1) = (a as usize, a as usize + a_len * std::mem::size_of::<A>());
    let (b0, b1) = (b as usize, b as usize + b_len * std::mem::size_of::<B>());
    a1 <= b0 || b1 <= a0 || a_len == 0 || b_len == 0
}

#[no_mangle]
pub extern "C" fn acme_init() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let text = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown panic payload".to_string()
        };
        let message = match info.location() {
            Some(loc) => format!("{text} (at {}:{})", loc.file(), loc.line()),
            None => text,
        };
        set_error(PANIC, message);
    }));
}

#[no_mangle]
pub extern "C" fn acme_error_code() -> i32 {
    LAST_ERROR.with(|e| e.borrow().0)
}

#[no_mangle]
pub extern "C" fn acme_error_ptr() -> *const u8 {
    LAST_ERROR.with(|e| e.borrow().1.as_ptr())
}

#[no_mangle]
pub extern "C" fn acme_error_len() -> usize {
    LAST_ERROR.with(|e| e.borrow().1.len())
}

#[no_mangle]
pub extern "C" fn acme_error_clear() {
    set_error(OK, String::new());
}

/// Allocates `size` bytes aligned to `align` (a power of two); 0 when that is impossible.
#[no_mangle]
pub extern "C" fn acme_alloc(size: usize, align: usize) -> *mut u8 {
    match Layout::from_size_align(size.max(1), align.max(1)) {
        Ok(layout) => unsafe { alloc(layout) },
        Err(_) => std::ptr::null_mut(),
    }
}

/// # Safety
/// `ptr` must come from `acme_alloc(size, align)` and not have been freed.
#[no_mangle]
pub unsafe extern "C" fn acme_free(ptr: *mut u8, size: usize, align: usize) {
    if let Ok(layout) = Layout::from_size_align(size.max(1), align.max(1)) {
        if !ptr.is_null() {
            dealloc(ptr, layout);
        }
    }
}
