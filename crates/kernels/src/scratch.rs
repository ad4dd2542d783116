//! Packing buffers, reused across calls so that a training step does not allocate and zero a
//! megabyte per kernel: a buffer is taken from a small shared pool and given back afterwards.
use std::sync::Mutex;

static POOL: Mutex<Vec<Vec<f32>>> = Mutex::new(Vec::new());
const KEEP: usize = 8;

/// Runs `f` with a buffer of at least `len` floats whose contents are unspecified.
pub(crate) fn with_scratch<R>(len: usize, f: impl FnOnce(&mut [f32]) -> R) -> R {
    let mut buf = {
        let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
        // The smallest buffer that is large enough, else the largest (grown below).
        let pick = pool
            .iter()
            .enumerate()
            .filter(|(_, b)| b.len() >= len)
            .min_by_key(|(_, b)| b.len())
            .map(|(i, _)| i)
            .or_else(|| pool.iter().enumerate().max_by_key(|(_, b)| b.len()).map(|(i, _)| i));
        match pick {
            Some(i) => pool.swap_remove(i),
            None => Vec::new(),
        }
    };
    if buf.len() < len {
        buf.resize(len, 0.0);
    }
    let result = f(&mut buf[..len]);
    let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    if pool.len() < KEEP {
        pool.push(buf);
    }
    result
}
