//! Safe-ish helpers over the raw Node-API calls in `sys`: reading arguments, borrowing TypedArray
//! memory without copying, classes whose native half is freed by a finalizer, throwing
//! `TypeError`/`RangeError`, and turning Rust panics into JavaScript errors.
//!
//! Every exported function and method is a plain Rust `fn(&CallContext) -> JsResult<napi_value>`.
//! Its address travels as the callback's `data` pointer to one shared `extern "C"` trampoline, which
//! catches panics and converts errors into thrown exceptions: no Rust unwind ever reaches Node.

use crate::sys::*;
use acme_common::{ArgError, ErrorKind, Js};
use std::cell::RefCell;
use std::ffi::CString;
use std::os::raw::{c_char, c_void};
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

/// Why a call did not produce a value.
pub enum JsError {
    /// Throw a new JavaScript error of this kind.
    Throw(ErrorKind, String),
    /// A JavaScript exception is already pending (Node-API reported it): let it propagate.
    Pending,
}

impl From<ArgError> for JsError {
    fn from(e: ArgError) -> Self {
        JsError::Throw(e.kind, e.message)
    }
}

pub type JsResult<T> = Result<T, JsError>;
pub type Handler = fn(&CallContext) -> JsResult<napi_value>;

pub fn type_error<T>(message: String) -> JsResult<T> {
    Err(JsError::Throw(ErrorKind::Type, message))
}

pub fn range_error<T>(message: String) -> JsResult<T> {
    Err(JsError::Throw(ErrorKind::Range, message))
}

// At least the most arguments any export takes (FramePreprocessorBatch: numEnvs and 8 options).
const MAX_ARGS: usize = 12;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the default panic hook (which prints to stderr) with one that keeps the message and
/// location for the JavaScript error. The hook belongs to this addon's own copy of std only.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
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
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// Checks a Node-API status; a failure leaves a pending exception or becomes a generic error.
pub fn check(env: napi_env, status: napi_status, what: &str) -> JsResult<()> {
    if status == NAPI_OK {
        return Ok(());
    }
    let mut pending = false;
    unsafe { napi_is_exception_pending(env, &mut pending) };
    if pending {
        Err(JsError::Pending)
    } else {
        Err(JsError::Throw(ErrorKind::Other, format!("Node-API call {what} failed with status {status}")))
    }
}

fn throw(env: napi_env, kind: ErrorKind, message: &str) {
    // An interior NUL cannot come from our own messages; replace it rather than lose the error.
    let msg = CString::new(message.replace('\0', " ")).unwrap_or_default();
    unsafe {
        match kind {
            ErrorKind::Type => napi_throw_type_error(env, ptr::null(), msg.as_ptr()),
            ErrorKind::Range => napi_throw_range_error(env, ptr::null(), msg.as_ptr()),
            ErrorKind::Other => napi_throw_error(env, ptr::null(), msg.as_ptr()),
        };
    }
}

/// The one `extern "C"` entry point of every function and method. `data` is the `Handler`.
unsafe extern "C" fn trampoline(env: napi_env, info: napi_callback_info) -> napi_value {
    let mut argc = MAX_ARGS;
    let mut args = [ptr::null_mut(); MAX_ARGS];
    let mut this = ptr::null_mut();
    let mut data = ptr::null_mut();
    if napi_get_cb_info(env, info, &mut argc, args.as_mut_ptr(), &mut this, &mut data) != NAPI_OK {
        throw(env, ErrorKind::Other, "napi_get_cb_info failed");
        return ptr::null_mut();
    }
    let handler: Handler = std::mem::transmute::<*mut c_void, Handler>(data);
    let ctx =
        CallContext { env, info, this, args, argc: argc.min(MAX_ARGS), borrows: RefCell::new(Borrows::default()) };
    match panic::catch_unwind(AssertUnwindSafe(|| handler(&ctx))) {
        Ok(Ok(value)) => value,
        Ok(Err(JsError::Throw(kind, message))) => {
            throw(env, kind, &message);
            ptr::null_mut()
        }
        Ok(Err(JsError::Pending)) => ptr::null_mut(),
        Err(_) => {
            let detail = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "unknown panic".into());
            throw(env, ErrorKind::Other, &format!("Rust panic: {detail}"));
            ptr::null_mut()
        }
    }
}

fn cstring(name: &str) -> CString {
    CString::new(name).expect("names of exports contain no NUL")
}

/// Adds `name` as a function on `exports`.
pub fn export_function(env: napi_env, exports: napi_value, name: &str, handler: Handler) -> JsResult<()> {
    let cname = cstring(name);
    let mut func = ptr::null_mut();
    let status = unsafe {
        napi_create_function(env, cname.as_ptr(), name.len(), Some(trampoline), handler as *mut c_void, &mut func)
    };
    check(env, status, "napi_create_function")?;
    check(env, unsafe { napi_set_named_property(env, exports, cname.as_ptr(), func) }, "napi_set_named_property")
}

/// A member of a class: a method, or a read-only accessor.
#[derive(Clone, Copy)]
pub enum Member {
    Method(&'static str, Handler),
    Getter(&'static str, Handler),
}

fn free<T: Wrapped>(ctx: &CallContext) -> JsResult<napi_value> {
    ctx.free_this::<T>()
}

/// Defines class `T::CLASS` on `exports` with `members` and a `free()` method; `constructor` must
/// call [`CallContext::wrap_this`].
pub fn export_class<T: Wrapped>(
    env: napi_env,
    exports: napi_value,
    constructor: Handler,
    members: &[Member],
) -> JsResult<()> {
    let name = T::CLASS;
    let mut members = members.to_vec();
    members.push(Member::Method("free", free::<T>));
    let names: Vec<CString> = members
        .iter()
        .map(|m| match m {
            Member::Method(n, _) | Member::Getter(n, _) => cstring(n),
        })
        .collect();
    let descriptors: Vec<napi_property_descriptor> = members
        .iter()
        .zip(&names)
        .map(|(m, cname)| {
            let (method, getter, handler, attributes) = match m {
                Member::Method(_, h) => (Some(trampoline as _), None, *h, NAPI_WRITABLE | NAPI_CONFIGURABLE),
                Member::Getter(_, h) => (None, Some(trampoline as _), *h, NAPI_ENUMERABLE | NAPI_CONFIGURABLE),
            };
            napi_property_descriptor {
                utf8name: cname.as_ptr(),
                name: ptr::null_mut(),
                method,
                getter,
                setter: None,
                value: ptr::null_mut(),
                attributes,
                data: handler as *mut c_void,
            }
        })
        .collect();
    let cname = cstring(name);
    let mut class = ptr::null_mut();
    let status = unsafe {
        napi_define_class(
            env,
            cname.as_ptr(),
            name.len(),
            Some(trampoline),
            constructor as *mut c_void,
            descriptors.len(),
            descriptors.as_ptr(),
            &mut class,
        )
    };
    check(env, status, "napi_define_class")?;
    check(env, unsafe { napi_set_named_property(env, exports, cname.as_ptr(), class) }, "napi_set_named_property")
}

/// A Rust type that lives inside a JavaScript object. The tag (any unique 128-bit value) lets
/// `unwrap_this` refuse objects of another class instead of reinterpreting their memory.
pub trait Wrapped: Sized + 'static {
    const CLASS: &'static str;
    const TAG: napi_type_tag;
    /// Bytes of native memory held, reported to V8 so the garbage collector feels the pressure.
    fn external_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}

unsafe extern "C" fn finalize<T: Wrapped>(env: napi_env, data: *mut c_void, _hint: *mut c_void) {
    let boxed = Box::from_raw(data as *mut T);
    let bytes = boxed.external_bytes() as i64;
    drop(boxed);
    let mut total = 0;
    napi_adjust_external_memory(env, -bytes, &mut total);
}

/// A JavaScript element type a TypedArray can hold.
pub trait Element: Copy + 'static {
    const KIND: i32;
    const ARRAY: &'static str;
}
macro_rules! element {
    ($t:ty, $kind:expr, $name:expr) => {
        impl Element for $t {
            const KIND: i32 = $kind;
            const ARRAY: &'static str = $name;
        }
    };
}
element!(i8, NAPI_INT8_ARRAY, "Int8Array");
element!(u8, NAPI_UINT8_ARRAY, "Uint8Array");
element!(i32, NAPI_INT32_ARRAY, "Int32Array");
element!(u32, NAPI_UINT32_ARRAY, "Uint32Array");
element!(f32, NAPI_FLOAT32_ARRAY, "Float32Array");
element!(f64, NAPI_FLOAT64_ARRAY, "Float64Array");

/// The arguments and receiver of one call.
pub struct CallContext {
    pub env: napi_env,
    info: napi_callback_info,
    this: napi_value,
    args: [napi_value; MAX_ARGS],
    argc: usize,
    /// Memory borrowed from arguments so far in this call (see `record_borrow`).
    borrows: RefCell<Borrows>,
}

/// The byte ranges of the TypedArrays one call has borrowed: a fixed array, so that recording
/// them costs no allocation on hot paths.
#[derive(Default)]
struct Borrows {
    len: usize,
    items: [(usize, usize, bool, &'static str); MAX_ARGS],
}

impl CallContext {
    fn arg(&self, i: usize) -> JsResult<napi_value> {
        if i < self.argc {
            Ok(self.args[i])
        } else {
            self.undefined()
        }
    }

    fn type_of(&self, value: napi_value) -> JsResult<i32> {
        let mut t = NAPI_UNDEFINED;
        check(self.env, unsafe { napi_typeof(self.env, value, &mut t) }, "napi_typeof")?;
        Ok(t)
    }

    /// Argument `i` as a number; `name` is used in the error message.
    pub fn f64_arg(&self, i: usize, name: &str) -> JsResult<f64> {
        let value = self.arg(i)?;
        if self.type_of(value)? != NAPI_NUMBER {
            return type_error(format!("{name} must be a number"));
        }
        let mut out = 0.0;
        check(self.env, unsafe { napi_get_value_double(self.env, value, &mut out) }, "napi_get_value_double")?;
        Ok(out)
    }

    /// Argument `i` as a non-negative integer no larger than `max`.
    pub fn index_arg(&self, i: usize, name: &str, max: usize) -> JsResult<usize> {
        let v = self.f64_arg(i, name)?;
        if !(v.is_finite() && v.fract() == 0.0 && v >= 0.0 && v <= max as f64) {
            return range_error(format!("{name} must be an integer in [0, {max}], got {}", Js(v)));
        }
        Ok(v as usize)
    }

    /// Argument `i` as a string.
    pub fn string_arg(&self, i: usize, name: &str) -> JsResult<String> {
        let value = self.arg(i)?;
        if self.type_of(value)? != NAPI_STRING {
            return type_error(format!("{name} must be a string"));
        }
        let mut len = 0;
        let env = self.env;
        check(
            env,
            unsafe { napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len) },
            "napi_get_value_string_utf8",
        )?;
        let mut buf = vec![0u8; len + 1];
        check(
            env,
            unsafe { napi_get_value_string_utf8(env, value, buf.as_mut_ptr() as *mut c_char, len + 1, &mut len) },
            "napi_get_value_string_utf8",
        )?;
        buf.truncate(len);
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Borrows the memory of TypedArray argument `i` in place (no copy) for writing; for `u8`, an
    /// ArrayBuffer is accepted too. The slice is valid for the duration of the call: JavaScript
    /// cannot run, so cannot detach the buffer, meanwhile. JavaScript may pass views of one buffer
    /// as two arguments; Rust must never hold a `&mut` that overlaps another borrow, so such a call
    /// is refused with a `RangeError` naming both arguments.
    #[allow(clippy::mut_from_ref)]
    pub fn typed_array<T: Element>(&self, i: usize, name: &'static str) -> JsResult<&mut [T]> {
        let (data, len) = self.typed_array_raw::<T>(i, name)?;
        self.record_borrow(name, data as usize, len * std::mem::size_of::<T>(), true)?;
        Ok(if len == 0 { &mut [] } else { unsafe { std::slice::from_raw_parts_mut(data, len) } })
    }

    /// Borrows TypedArray argument `i` for reading only: it may share memory with other read-only
    /// arguments (e.g. the same tensor as both operands), never with a written one.
    pub fn typed_array_ref<T: Element>(&self, i: usize, name: &'static str) -> JsResult<&[T]> {
        let (data, len) = self.typed_array_raw::<T>(i, name)?;
        self.record_borrow(name, data as usize, len * std::mem::size_of::<T>(), false)?;
        Ok(if len == 0 { &[] } else { unsafe { std::slice::from_raw_parts(data, len) } })
    }

    fn record_borrow(&self, name: &'static str, start: usize, bytes: usize, exclusive: bool) -> JsResult<()> {
        if bytes == 0 {
            return Ok(());
        }
        let end = start + bytes;
        let mut borrows = self.borrows.borrow_mut();
        for &(s, e, x, other) in &borrows.items[..borrows.len] {
            if start < e && s < end && (exclusive || x) {
                // Named output first: "dw must not share memory with dy", as the wasm binding says.
                let (written, read) = if exclusive { (name, other) } else { (other, name) };
                return range_error(format!("{written} must not share memory with {read}"));
            }
        }
        if borrows.len < MAX_ARGS {
            let at = borrows.len;
            borrows.items[at] = (start, end, exclusive, name);
            borrows.len += 1;
        }
        Ok(())
    }

    /// The data pointer and element count of TypedArray (or, for `u8`, ArrayBuffer) argument `i`.
    fn typed_array_raw<T: Element>(&self, i: usize, name: &str) -> JsResult<(*mut T, usize)> {
        let value = self.arg(i)?;
        let mut is_typed = false;
        check(self.env, unsafe { napi_is_typedarray(self.env, value, &mut is_typed) }, "napi_is_typedarray")?;
        if !is_typed && T::KIND == NAPI_UINT8_ARRAY {
            let mut is_buffer = false;
            check(self.env, unsafe { napi_is_arraybuffer(self.env, value, &mut is_buffer) }, "napi_is_arraybuffer")?;
            if is_buffer {
                self.refuse_detached(value, name)?;
                let (mut data, mut len) = (ptr::null_mut(), 0usize);
                let status = unsafe { napi_get_arraybuffer_info(self.env, value, &mut data, &mut len) };
                check(self.env, status, "napi_get_arraybuffer_info")?;
                return Ok(if data.is_null() { (ptr::NonNull::dangling().as_ptr(), 0) } else { (data as *mut T, len) });
            }
        }
        if !is_typed {
            return type_error(format!("{name} must be a {}", T::ARRAY));
        }
        let (mut kind, mut len, mut data, mut buffer, mut offset) =
            (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
        let status = unsafe {
            napi_get_typedarray_info(self.env, value, &mut kind, &mut len, &mut data, &mut buffer, &mut offset)
        };
        check(self.env, status, "napi_get_typedarray_info")?;
        if kind != T::KIND {
            return type_error(format!("{name} must be a {}", T::ARRAY));
        }
        self.refuse_detached(buffer, name)?;
        // `data` already points at the view's first element (Node-API applies byte_offset).
        Ok(if data.is_null() { (ptr::NonNull::dangling().as_ptr(), 0) } else { (data as *mut T, len) })
    }

    /// A detached buffer (transferred to a worker, say) reads as empty through Node-API; taking it
    /// for an empty array would silently drop an input (a `bias`) or sum to 0, so it is refused.
    fn refuse_detached(&self, buffer: napi_value, name: &str) -> JsResult<()> {
        let mut detached = false;
        check(self.env, unsafe { napi_is_detached_arraybuffer(self.env, buffer, &mut detached) }, "napi_is_detached")?;
        if detached {
            return type_error(format!("{name} must not be backed by a detached ArrayBuffer"));
        }
        Ok(())
    }

    /// True when argument `i` is missing, `undefined` or `null` (an optional argument left out).
    pub fn is_nullish(&self, i: usize) -> JsResult<bool> {
        const NAPI_NULL: i32 = 1; // napi_valuetype napi_null
        if i >= self.argc {
            return Ok(true);
        }
        let t = self.type_of(self.args[i])?;
        Ok(t == NAPI_UNDEFINED || t == NAPI_NULL)
    }

    pub fn undefined(&self) -> JsResult<napi_value> {
        let mut v = ptr::null_mut();
        check(self.env, unsafe { napi_get_undefined(self.env, &mut v) }, "napi_get_undefined")?;
        Ok(v)
    }

    pub fn number(&self, x: f64) -> JsResult<napi_value> {
        let mut v = ptr::null_mut();
        check(self.env, unsafe { napi_create_double(self.env, x, &mut v) }, "napi_create_double")?;
        Ok(v)
    }

    /// A new JavaScript `Float64Array` holding a copy of `values`.
    pub fn float64_array(&self, values: &[f64]) -> JsResult<napi_value> {
        let env = self.env;
        let (mut data, mut buffer, mut array) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let bytes = std::mem::size_of_val(values);
        check(env, unsafe { napi_create_arraybuffer(env, bytes, &mut data, &mut buffer) }, "napi_create_arraybuffer")?;
        if bytes > 0 {
            unsafe { ptr::copy_nonoverlapping(values.as_ptr(), data as *mut f64, values.len()) };
        }
        let status = unsafe { napi_create_typedarray(env, NAPI_FLOAT64_ARRAY, values.len(), buffer, 0, &mut array) };
        check(env, status, "napi_create_typedarray")?;
        Ok(array)
    }

    /// In a constructor: moves `value` into `this`, to be dropped by the garbage collector's
    /// finalizer.
    pub fn wrap_this<T: Wrapped>(&self, value: T) -> JsResult<napi_value> {
        let env = self.env;
        let mut new_target = ptr::null_mut();
        check(env, unsafe { napi_get_new_target(env, self.info, &mut new_target) }, "napi_get_new_target")?;
        if new_target.is_null() {
            return type_error(format!("class constructor {} cannot be invoked without 'new'", T::CLASS));
        }
        let bytes = value.external_bytes() as i64;
        let raw = Box::into_raw(Box::new(value)) as *mut c_void;
        let status = unsafe { napi_wrap(env, self.this, raw, Some(finalize::<T>), ptr::null_mut(), ptr::null_mut()) };
        if let Err(e) = check(env, status, "napi_wrap") {
            drop(unsafe { Box::from_raw(raw as *mut T) });
            return Err(e);
        }
        check(env, unsafe { napi_type_tag_object(env, self.this, &T::TAG) }, "napi_type_tag_object")?;
        let mut total = 0;
        unsafe { napi_adjust_external_memory(env, bytes, &mut total) };
        Ok(self.this)
    }

    /// Whether `this` is an object made by `T`'s constructor (freed or not).
    fn this_is<T: Wrapped>(&self) -> JsResult<bool> {
        let mut tagged = false;
        if self.type_of(self.this)? == NAPI_OBJECT {
            check(
                self.env,
                unsafe { napi_check_object_type_tag(self.env, self.this, &T::TAG, &mut tagged) },
                "napi_check_object_type_tag",
            )?;
        }
        Ok(tagged)
    }

    /// In a method: the Rust value inside `this`, or a `TypeError` if `this` is not a `T`.
    #[allow(clippy::mut_from_ref)]
    pub fn this<T: Wrapped>(&self) -> JsResult<&mut T> {
        let env = self.env;
        let tagged = self.this_is::<T>()?;
        // A freed object keeps its tag but no longer wraps anything: both are refused alike, in
        // the words of the wasm binding.
        let mut raw = ptr::null_mut();
        if !tagged || unsafe { napi_unwrap(env, self.this, &mut raw) } != NAPI_OK || raw.is_null() {
            return type_error(format!("receiver must be a live {} instance", T::CLASS));
        }
        Ok(unsafe { &mut *(raw as *mut T) })
    }

    /// `free()`: drops the Rust value inside `this` now instead of at garbage collection; later
    /// calls are refused as on a foreign receiver. Freeing twice, or a foreign object, does nothing
    /// (as on the wasm binding).
    pub fn free_this<T: Wrapped>(&self) -> JsResult<napi_value> {
        let env = self.env;
        let tagged = self.this_is::<T>()?;
        let mut raw = ptr::null_mut();
        // napi_remove_wrap also cancels the finalizer, so the value is dropped exactly once.
        if tagged && unsafe { napi_remove_wrap(env, self.this, &mut raw) } == NAPI_OK && !raw.is_null() {
            let boxed = unsafe { Box::from_raw(raw as *mut T) };
            let bytes = boxed.external_bytes() as i64;
            drop(boxed);
            let mut total = 0;
            unsafe { napi_adjust_external_memory(env, -bytes, &mut total) };
        }
        self.undefined()
    }
}
