//! Allocation that fails with an argument error instead of aborting the process.
//!
//! Rust aborts when an allocation fails (`handle_alloc_error`), which in Node kills the process and
//! in wasm traps the instance. The sizes of the cores' big buffers come straight from the caller
//! (`dim`, `maxSize`, `numEnvs` x frame size), so a constructor first states what it will need with
//! [`check_bytes`] (refused when it exceeds what this machine could ever hold) and then allocates
//! with [`filled`], which reports a failure that remains (memory taken by others) the same way.

use crate::{ArgError, Result};
use std::fmt::Display;

/// The error for a request of `bytes` decided by argument `arg` (whose value was `value`); `bytes`
/// is `None` when the size does not even fit in 64 bits.
pub fn too_large(arg: &str, value: impl Display, bytes: Option<u64>) -> ArgError {
    let need = match bytes {
        Some(b) => format!("{b} bytes"),
        None => "more than 2^64 bytes".to_string(),
    };
    // The limit itself is left out: it differs between the addon (this machine's memory) and wasm
    // (2 GiB), and the same mistake must read the same on both binaries.
    ArgError::range(format!("{arg} = {value} needs {need}, more than can be allocated here"))
}

/// Refuses a request larger than [`limit`] before anything is allocated. On wasm32 it also makes
/// sure the memory can be had now: a large block is allocated and freed at once, which grows the
/// instance's memory (it never shrinks) so the object's buffers then fit in the freed block. There
/// a failed allocation would trap and lose the whole instance, not just this call.
pub fn check_bytes(arg: &str, value: impl Display, bytes: Option<u64>) -> Result<()> {
    match bytes {
        Some(b) if b <= limit() && probe(b) => Ok(()),
        _ => Err(too_large(arg, value, bytes)),
    }
}

#[cfg(target_arch = "wasm32")]
fn probe(bytes: u64) -> bool {
    use std::alloc::{alloc, dealloc, Layout};
    // Small objects fit in what the allocator holds or can grow by; probing them costs a call.
    if bytes < 1 << 20 {
        return true;
    }
    let layout = match Layout::from_size_align(bytes as usize, 16) {
        Ok(l) => l,
        Err(_) => return false,
    };
    let ptr = unsafe { alloc(layout) };
    if ptr.is_null() {
        return false;
    }
    unsafe { dealloc(ptr, layout) };
    true
}

#[cfg(not(target_arch = "wasm32"))]
fn probe(_bytes: u64) -> bool {
    true
}

/// `len` copies of `value`, or `None` when the memory cannot be had. `len` is element count.
pub fn filled<T: Clone>(len: usize, value: T) -> Option<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).ok()?;
    v.resize(len, value);
    Some(v)
}

/// Grows `v` to `len` elements of `value` (a no-op when it is that long already), or returns
/// `None` and leaves `v` as it was when the memory cannot be had.
pub fn grow<T: Clone>(v: &mut Vec<T>, len: usize, value: T) -> Option<()> {
    if len > v.len() {
        v.try_reserve(len - v.len()).ok()?;
        v.resize(len, value);
    }
    Some(())
}

/// Bytes one object may ask for: the address space on wasm32 (4 GiB, of which one allocation may
/// take 2 GiB), the physical memory elsewhere. An object larger than the machine's memory could
/// only be "allocated" by overcommit and then kill the process when touched, so it is refused.
pub fn limit() -> u64 {
    #[cfg(target_pointer_width = "32")]
    {
        isize::MAX as u64
    }
    #[cfg(not(target_pointer_width = "32"))]
    {
        physical_memory().unwrap_or(isize::MAX as u64)
    }
}

#[cfg(any(target_os = "linux", target_os = "macos"))]
fn physical_memory() -> Option<u64> {
    use std::os::raw::{c_int, c_long};
    // libc is linked by std on these systems; sysconf is declared here rather than pulled from a
    // crate (the workspace has no dependencies). The constants are each system's <unistd.h> values.
    extern "C" {
        fn sysconf(name: c_int) -> c_long;
    }
    #[cfg(target_os = "linux")]
    const PAGESIZE_AND_PAGES: (c_int, c_int) = (30, 85);
    #[cfg(target_os = "macos")]
    const PAGESIZE_AND_PAGES: (c_int, c_int) = (29, 200);
    let (page_size, pages) = unsafe { (sysconf(PAGESIZE_AND_PAGES.0), sysconf(PAGESIZE_AND_PAGES.1)) };
    if page_size <= 0 || pages <= 0 {
        return None;
    }
    (page_size as u64).checked_mul(pages as u64)
}

// Not on 32-bit targets (wasm32), whose limit is the address space.
#[cfg(all(not(any(target_os = "linux", target_os = "macos")), not(target_pointer_width = "32")))]
fn physical_memory() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn the_limit_is_the_machines_memory() {
        let l = limit();
        // Every machine that runs these tests has between 256 MiB and 64 TiB.
        assert!((1 << 28..=1 << 46).contains(&l), "{l}");
    }

    #[test]
    fn refuses_more_than_the_limit_naming_the_argument_and_the_bytes() {
        assert!(check_bytes("dim", 4, Some(64)).is_ok());
        let big = limit() + 1;
        let err = check_bytes("dim", 7, Some(big)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Range);
        assert!(err.message.starts_with(&format!("dim = 7 needs {big} bytes, more than")), "{}", err.message);
        let err = check_bytes("maxSize", 3, None).unwrap_err();
        assert!(err.message.starts_with("maxSize = 3 needs more than 2^64 bytes"), "{}", err.message);
    }

    #[test]
    fn a_failed_allocation_is_none_not_an_abort() {
        // isize::MAX bytes is refused by the allocator (or the layout) on every platform.
        assert!(filled(usize::MAX / 2, 0u8).is_none());
        assert_eq!(filled(3, 1.5f64), Some(vec![1.5; 3]));
        let mut v = vec![1u8; 2];
        assert!(grow(&mut v, usize::MAX / 2, 0).is_none());
        assert_eq!(v, vec![1, 1]);
        assert!(grow(&mut v, 4, 9).is_some());
        assert_eq!(v, vec![1, 1, 9, 9]);
    }
}
