use acme_common::{ArgError, Js, Result};
use std::ops::Range;

/// The number of threads a kernel may use on this host: the cores the OS grants this process, and
/// always 1 on wasm32, which has no threads here.
pub fn max_threads() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    }
}

/// The most threads a kernel call may ask for.
pub const MAX_THREADS: usize = 1024;

/// The `threads` argument of a kernel call: an integer in [1, MAX_THREADS]. 0 is refused rather
/// than taken as 1, since a caller who computed 0 threads has a bug worth hearing about.
pub fn check_threads(value: f64) -> Result<usize> {
    if !(value.fract() == 0.0 && value >= 1.0 && value <= MAX_THREADS as f64) {
        return Err(ArgError::range(format!("threads must be an integer in [1, {MAX_THREADS}], got {}", Js(value))));
    }
    Ok(value as usize)
}

/// Splits `0..len` into at most `parts` contiguous ranges whose inner boundaries are multiples of
/// `align`, as evenly as the alignment allows. Empty ranges are dropped.
pub(crate) fn split(len: usize, parts: usize, align: usize) -> Vec<Range<usize>> {
    let align = align.max(1);
    let units = (len + align - 1) / align;
    let parts = parts.clamp(1, units.max(1));
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for p in 0..parts {
        let end_unit = units * (p + 1) / parts;
        let end = (end_unit * align).min(len);
        if end > start {
            out.push(start..end);
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_covers_the_range_on_aligned_boundaries() {
        assert_eq!(split(10, 2, 1), vec![0..5, 5..10]);
        assert_eq!(split(10, 3, 4), vec![0..4, 4..8, 8..10]);
        assert_eq!(split(81 * 5, 2, 81), vec![0..162, 162..405]);
        assert_eq!(split(3, 8, 1), vec![0..1, 1..2, 2..3]);
        assert_eq!(split(0, 4, 1), Vec::<Range<usize>>::new());
    }
}
