/// Sum of `values`, accumulated in f64 so that long float32 vectors do not lose precision.
/// Four independent accumulators let the compiler keep the additions in flight in parallel.
pub fn sum_f32(values: &[f32]) -> f64 {
    let mut acc = [0f64; 4];
    let chunks = values.chunks_exact(4);
    let tail = chunks.remainder();
    for c in chunks {
        acc[0] += c[0] as f64;
        acc[1] += c[1] as f64;
        acc[2] += c[2] as f64;
        acc[3] += c[3] as f64;
    }
    let mut total = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for &v in tail {
        total += v as f64;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_length_including_tails() {
        for n in 0..13 {
            let v: Vec<f32> = (1..=n).map(|i| i as f32).collect();
            assert_eq!(sum_f32(&v), (n * (n + 1) / 2) as f64, "n = {n}");
        }
    }

    #[test]
    fn accumulates_in_double_precision() {
        // 2^24 + 1 is not representable in f32; an f32 accumulator would stall at 2^24.
        let v = vec![1f32; (1 << 24) + 8];
        assert_eq!(sum_f32(&v), ((1 << 24) + 8) as f64);
    }

    #[test]
    fn nan_propagates() {
        assert!(sum_f32(&[1.0, f32::NAN, 2.0]).is_nan());
    }
}
