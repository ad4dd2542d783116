//! Reverb's rate limiter as a state machine: counters of inserts, samples and deletes, and the
//! two questions a table asks before it lets a call through. Blocking (waiting until the answer
//! changes) belongs to the caller; this type only answers and counts.
//!
//! - `can_sample(n)`: false while `inserts - deletes < min_size_to_sample`; otherwise
//!   `inserts * spi - samples - n >= min_diff`.
//! - `can_insert(n)`: true while `inserts + n - deletes <= min_size_to_sample`; otherwise
//!   `(inserts + n) * spi - samples <= max_diff`.

use acme_common::{ArgError, Js, Result};

#[derive(Clone, Debug, PartialEq)]
pub struct RateLimiter {
    samples_per_insert: f64,
    min_size_to_sample: u64,
    min_diff: f64,
    max_diff: f64,
    inserts: u64,
    samples: u64,
    deletes: u64,
}

/// How a rate limiter was described (Reverb's `rate_limiters.py` constructors).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RateLimiterSpec {
    /// The core constructor: every field given.
    Raw {
        samples_per_insert: f64,
        min_size_to_sample: f64,
        min_diff: f64,
        max_diff: f64,
    },
    MinSize {
        min_size_to_sample: f64,
    },
    /// `error_buffer` as one number: the range is spi * min_size ± error_buffer.
    SampleToInsertRatio {
        samples_per_insert: f64,
        min_size_to_sample: f64,
        error_buffer: f64,
    },
    /// `error_buffer` as an explicit (min_diff, max_diff) range.
    SampleToInsertRatioRange {
        samples_per_insert: f64,
        min_size_to_sample: f64,
        min_diff: f64,
        max_diff: f64,
    },
    Queue {
        size: f64,
    },
    Stack {
        size: f64,
    },
}

/// Largest count a JavaScript number carries exactly.
const MAX_COUNT: f64 = 9_007_199_254_740_991.0;

fn count_at_least_one(name: &str, v: f64) -> Result<u64> {
    if !(v.fract() == 0.0 && (1.0..=MAX_COUNT).contains(&v)) {
        return Err(ArgError::range(format!("{name} must be an integer >= 1, got {}", Js(v))));
    }
    Ok(v as u64)
}

fn positive_ratio(v: f64) -> Result<f64> {
    if !(v.is_finite() && v > 0.0) {
        return Err(ArgError::range(format!("samplesPerInsert must be a finite number > 0, got {}", Js(v))));
    }
    Ok(v)
}

impl RateLimiterSpec {
    /// Decodes `[kind, a, b, c, d]` as the TypeScript wrapper encodes it.
    pub fn decode(v: &[f64]) -> Result<RateLimiterSpec> {
        ArgError::check_len("rateLimiter spec", v.len(), 5)?;
        let (a, b, c, d) = (v[1], v[2], v[3], v[4]);
        let k = v[0];
        if !(k.fract() == 0.0 && (0.0..=5.0).contains(&k)) {
            return Err(ArgError::range(format!("rateLimiter kind code must be an integer in [0, 5], got {k}")));
        }
        Ok(match k as u8 {
            0 => RateLimiterSpec::Raw { samples_per_insert: a, min_size_to_sample: b, min_diff: c, max_diff: d },
            1 => RateLimiterSpec::MinSize { min_size_to_sample: a },
            2 => RateLimiterSpec::SampleToInsertRatio { samples_per_insert: a, min_size_to_sample: b, error_buffer: c },
            3 => RateLimiterSpec::SampleToInsertRatioRange {
                samples_per_insert: a,
                min_size_to_sample: b,
                min_diff: c,
                max_diff: d,
            },
            4 => RateLimiterSpec::Queue { size: a },
            _ => RateLimiterSpec::Stack { size: a },
        })
    }

    pub fn encode(&self) -> [f64; 5] {
        match *self {
            RateLimiterSpec::Raw { samples_per_insert, min_size_to_sample, min_diff, max_diff } => {
                [0.0, samples_per_insert, min_size_to_sample, min_diff, max_diff]
            }
            RateLimiterSpec::MinSize { min_size_to_sample } => [1.0, min_size_to_sample, 0.0, 0.0, 0.0],
            RateLimiterSpec::SampleToInsertRatio { samples_per_insert, min_size_to_sample, error_buffer } => {
                [2.0, samples_per_insert, min_size_to_sample, error_buffer, 0.0]
            }
            RateLimiterSpec::SampleToInsertRatioRange {
                samples_per_insert,
                min_size_to_sample,
                min_diff,
                max_diff,
            } => [3.0, samples_per_insert, min_size_to_sample, min_diff, max_diff],
            RateLimiterSpec::Queue { size } => [4.0, size, 0.0, 0.0, 0.0],
            RateLimiterSpec::Stack { size } => [5.0, size, 0.0, 0.0, 0.0],
        }
    }

    /// Builds the limiter, refusing the parameters Reverb refuses.
    pub fn build(&self) -> Result<RateLimiter> {
        match *self {
            RateLimiterSpec::Raw { samples_per_insert, min_size_to_sample, min_diff, max_diff } => {
                RateLimiter::new(samples_per_insert, min_size_to_sample, min_diff, max_diff)
            }
            RateLimiterSpec::MinSize { min_size_to_sample } => {
                let n = count_at_least_one("minSizeToSample", min_size_to_sample)?;
                RateLimiter::new(1.0, n as f64, -f64::MAX, f64::MAX)
            }
            RateLimiterSpec::SampleToInsertRatio { samples_per_insert, min_size_to_sample, error_buffer } => {
                if !(error_buffer.is_finite() && error_buffer >= 0.0) {
                    return Err(ArgError::range(format!(
                        "errorBuffer must be a finite number >= 0, got {}",
                        Js(error_buffer)
                    )));
                }
                let spi = positive_ratio(samples_per_insert)?;
                let offset = spi * min_size_to_sample;
                sample_to_insert_ratio(spi, min_size_to_sample, offset - error_buffer, offset + error_buffer)
            }
            RateLimiterSpec::SampleToInsertRatioRange {
                samples_per_insert,
                min_size_to_sample,
                min_diff,
                max_diff,
            } => sample_to_insert_ratio(samples_per_insert, min_size_to_sample, min_diff, max_diff),
            RateLimiterSpec::Queue { size } | RateLimiterSpec::Stack { size } => {
                let n = count_at_least_one("size", size)?;
                RateLimiter::new(1.0, 1.0, 0.0, n as f64)
            }
        }
    }
}

/// Reverb's `SampleToInsertRatio` checks, in Reverb's order.
fn sample_to_insert_ratio(spi: f64, min_size: f64, min_diff: f64, max_diff: f64) -> Result<RateLimiter> {
    let spi = positive_ratio(spi)?;
    if min_diff.is_nan() || max_diff.is_nan() {
        return Err(ArgError::range(format!("errorBuffer must not be NaN, got [{min_diff}, {max_diff}]")));
    }
    if max_diff - min_diff < 2.0 * spi.max(1.0) {
        return Err(ArgError::range(format!(
            "errorBuffer range [{min_diff}, {max_diff}] must be at least 2 * max(1, samplesPerInsert) = {} wide: \
             a narrower range could block samples and/or inserts completely",
            2.0 * spi.max(1.0)
        )));
    }
    if min_diff > spi * min_size {
        return Err(ArgError::range(format!(
            "errorBuffer range [{min_diff}, {max_diff}] lies above samplesPerInsert * minSizeToSample = {}: \
             the table would deadlock as soon as minSizeToSample items are inserted",
            spi * min_size
        )));
    }
    // Reverb only warns when max_diff < spi * min_size (it deadlocks a sampler that cannot run
    // concurrently with inserts); that case is accepted here too.
    RateLimiter::new(spi, min_size, min_diff, max_diff)
}

impl RateLimiter {
    /// Reverb's core constructor: `min_size_to_sample >= 1`, `samples_per_insert > 0`,
    /// `min_diff <= max_diff` (infinities allowed, NaN not).
    pub fn new(samples_per_insert: f64, min_size_to_sample: f64, min_diff: f64, max_diff: f64) -> Result<RateLimiter> {
        let min_size = count_at_least_one("minSizeToSample", min_size_to_sample)?;
        let spi = positive_ratio(samples_per_insert)?;
        if min_diff.is_nan() || max_diff.is_nan() || min_diff > max_diff {
            return Err(ArgError::range(format!(
                "minDiff must be <= maxDiff (neither NaN), got {} and {}",
                Js(min_diff),
                Js(max_diff)
            )));
        }
        Ok(RateLimiter {
            samples_per_insert: spi,
            min_size_to_sample: min_size,
            min_diff,
            max_diff,
            inserts: 0,
            samples: 0,
            deletes: 0,
        })
    }

    pub fn samples_per_insert(&self) -> f64 {
        self.samples_per_insert
    }
    pub fn min_size_to_sample(&self) -> u64 {
        self.min_size_to_sample
    }
    pub fn min_diff(&self) -> f64 {
        self.min_diff
    }
    pub fn max_diff(&self) -> f64 {
        self.max_diff
    }
    pub fn inserts(&self) -> u64 {
        self.inserts
    }
    pub fn samples(&self) -> u64 {
        self.samples
    }
    pub fn deletes(&self) -> u64 {
        self.deletes
    }

    fn check_n(n: u64, name: &str) -> Result<()> {
        if n == 0 {
            return Err(ArgError::range(format!("{name} must be an integer >= 1, got 0")));
        }
        Ok(())
    }

    pub fn can_sample(&self, n: u64) -> Result<bool> {
        Self::check_n(n, "numSamples")?;
        if (self.inserts as i128) - (self.deletes as i128) < self.min_size_to_sample as i128 {
            return Ok(false);
        }
        let diff = self.inserts as f64 * self.samples_per_insert - self.samples as f64 - n as f64;
        Ok(diff >= self.min_diff)
    }

    pub fn can_insert(&self, n: u64) -> Result<bool> {
        Self::check_n(n, "numInserts")?;
        if (self.inserts as i128) + (n as i128) - (self.deletes as i128) <= self.min_size_to_sample as i128 {
            return Ok(true);
        }
        let diff = (self.inserts + n) as f64 * self.samples_per_insert - self.samples as f64;
        Ok(diff <= self.max_diff)
    }

    pub fn record_insert(&mut self, n: u64) {
        self.inserts += n;
    }
    pub fn record_sample(&mut self, n: u64) {
        self.samples += n;
    }
    pub fn record_delete(&mut self, n: u64) {
        self.deletes += n;
    }

    /// A caller's report of `n` deleted items (the standalone limiter's `delete`): refused when it
    /// would count more deletes than inserts, which no table can do, so the limiter's counts stay
    /// those of a real table. (The engine records its own deletes, always of stored items.)
    pub fn delete(&mut self, n: u64) -> Result<()> {
        let stored = self.inserts.saturating_sub(self.deletes);
        if n > stored {
            return Err(ArgError::range(format!(
                "n = {n} deletes more items than are stored ({} inserted, {} deleted)",
                self.inserts, self.deletes
            )));
        }
        self.deletes += n;
        Ok(())
    }

    /// Reverb's `Reset`: counters to zero (a table reset also resets its limiter).
    pub fn reset(&mut self) {
        self.inserts = 0;
        self.samples = 0;
        self.deletes = 0;
    }

    pub fn counters(&self) -> [u64; 3] {
        [self.inserts, self.samples, self.deletes]
    }

    /// Checkpoint restore of the counters. Deletes can never exceed inserts.
    pub fn set_counters(&mut self, inserts: u64, samples: u64, deletes: u64) -> Result<()> {
        if deletes > inserts {
            return Err(ArgError::range(format!("rate limiter deletes ({deletes}) exceed inserts ({inserts})")));
        }
        self.inserts = inserts;
        self.samples = samples;
        self.deletes = deletes;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(spi: f64, min: f64, lo: f64, hi: f64) -> RateLimiter {
        RateLimiter::new(spi, min, lo, hi).unwrap()
    }

    #[test]
    fn sample_blocked_until_min_size() {
        let mut r = raw(1.0, 2.0, -1.0, 1.0);
        assert!(!r.can_sample(1).unwrap());
        r.record_insert(1);
        assert!(!r.can_sample(1).unwrap());
        r.record_insert(1);
        assert!(r.can_sample(1).unwrap());
    }

    #[test]
    fn deleting_more_than_was_inserted_is_refused_naming_n_and_the_counts() {
        let mut r = RateLimiterSpec::MinSize { min_size_to_sample: 1.0 }.build().unwrap();
        r.record_insert(1);
        let err = r.delete(100).unwrap_err();
        assert_eq!(err.message, "n = 100 deletes more items than are stored (1 inserted, 0 deleted)");
        assert_eq!(r.deletes(), 0);
        r.delete(1).unwrap();
        assert_eq!(
            r.delete(1).unwrap_err().message,
            "n = 1 deletes more items than are stored (1 inserted, 1 deleted)"
        );
        r.delete(0).unwrap();
        assert_eq!(r.deletes(), 1);
    }

    #[test]
    fn reverb_rate_limiter_test_cases() {
        // spi 1.5, min 1, [-3, 3.1]: 2 inserts (diff 3.0), then 6 samples down to -3.
        let mut r = raw(1.5, 1.0, -3.0, 3.1);
        assert!(r.can_insert(1).unwrap());
        r.record_insert(1);
        assert!(r.can_insert(1).unwrap());
        r.record_insert(1);
        assert!(!r.can_insert(1).unwrap());
        for _ in 0..6 {
            assert!(r.can_sample(1).unwrap());
            r.record_sample(1);
        }
        assert!(!r.can_sample(1).unwrap());

        // spi 1.5, min 2, [-1, 3]: after 2 inserts (diff 3) one sample, the 3rd insert waits.
        let mut r = raw(1.5, 2.0, -1.0, 3.0);
        r.record_insert(2);
        assert!(!r.can_insert(1).unwrap()); // 4.5 > 3
        assert!(r.can_sample(1).unwrap());
        r.record_sample(1);
        assert!(!r.can_insert(1).unwrap()); // 3.5 > 3
        r.record_sample(1);
        assert!(r.can_insert(1).unwrap()); // 2.5

        // spi 1, min 1, [-1, 1] after one insert: CanSample(1), (2) true, (3) false.
        let mut r = raw(1.0, 1.0, -1.0, 1.0);
        r.record_insert(1);
        assert!(r.can_sample(1).unwrap());
        assert!(r.can_sample(2).unwrap());
        assert!(!r.can_sample(3).unwrap());

        // spi 1.5, min 2, [0, 5]: CanInsert(1..3) true, (4) false; after 3 inserts, 2 samples:
        // CanInsert(1) true, (2) false.
        let mut r = raw(1.5, 2.0, 0.0, 5.0);
        for n in 1..=3 {
            assert!(r.can_insert(n).unwrap(), "{n}");
        }
        assert!(!r.can_insert(4).unwrap());
        r.record_insert(3);
        r.record_sample(2);
        assert!(r.can_insert(1).unwrap());
        assert!(!r.can_insert(2).unwrap());
    }

    #[test]
    fn deletes_below_min_size_unblock_inserts_and_block_samples() {
        let mut r = raw(1.0, 3.0, 0.0, 3.0);
        r.record_insert(3);
        assert!(r.can_sample(1).unwrap());
        assert!(!r.can_insert(1).unwrap()); // 4 > 3
        r.record_delete(1);
        assert!(!r.can_sample(1).unwrap());
        assert!(r.can_insert(1).unwrap()); // back to min size: free
        assert_eq!(r.counters(), [3, 0, 1]);
        r.reset();
        assert_eq!(r.counters(), [0, 0, 0]);
    }

    #[test]
    fn reverb_parameter_validation() {
        let stir = |spi: f64, min: f64, buf: f64| {
            RateLimiterSpec::SampleToInsertRatio { samples_per_insert: spi, min_size_to_sample: min, error_buffer: buf }
                .build()
        };
        let range = |spi: f64, min: f64, lo: f64, hi: f64| {
            RateLimiterSpec::SampleToInsertRatioRange {
                samples_per_insert: spi,
                min_size_to_sample: min,
                min_diff: lo,
                max_diff: hi,
            }
            .build()
        };
        assert!(stir(5.0, 10.0, 4.0).is_err());
        assert!(stir(0.5, 10.0, 0.9).is_err());
        assert!(stir(0.5, 10.0, 1.1).is_ok());
        assert!(range(5.0, 10.0, 8.0, 12.0).is_err());
        assert!(range(0.1, 10.0, 9.5, 10.5).is_err());
        assert!(range(1.0, 10.0, 5.0, 9.0).is_ok());
        assert!(range(1.0, 10.0, 11.0, 15.0).unwrap_err().message.contains("deadlock"));
        assert!(range(1.0, 0.0, -100.0, 100.0).is_err());
        assert!(range(1.0, 10.0, 7.0, 12.0).is_ok());
        assert!(range(0.0, 10.0, -100.0, 100.0).is_err());
        assert!(range(-1.0, 10.0, -100.0, 100.0).is_err());
        for (n, ok) in [(-1.0, false), (0.0, false), (1.0, true), (1.5, false)] {
            assert_eq!(RateLimiterSpec::MinSize { min_size_to_sample: n }.build().is_ok(), ok, "{n}");
        }
        assert_eq!(
            RateLimiterSpec::MinSize { min_size_to_sample: 0.0 }.build().unwrap_err().message,
            "minSizeToSample must be an integer >= 1, got 0"
        );
        let q = RateLimiterSpec::Queue { size: 10.0 }.build().unwrap();
        assert_eq!((q.samples_per_insert(), q.min_size_to_sample(), q.min_diff(), q.max_diff()), (1.0, 1, 0.0, 10.0));
        let m = RateLimiterSpec::MinSize { min_size_to_sample: 3.0 }.build().unwrap();
        assert_eq!((m.min_diff(), m.max_diff()), (-f64::MAX, f64::MAX));
        // DQN defaults: min 1000, spi 0.5, error buffer 50 ⇒ [450, 550].
        let d = stir(0.5, 1000.0, 50.0).unwrap();
        assert_eq!((d.min_diff(), d.max_diff()), (450.0, 550.0));
        assert!(RateLimiter::new(1.0, 1.0, 2.0, 1.0).is_err());
        assert!(RateLimiterSpec::decode(&[9.0, 0.0, 0.0, 0.0, 0.0]).is_err());
        assert!(RateLimiterSpec::decode(&[1.0, 0.0]).is_err());
        for spec in [
            RateLimiterSpec::MinSize { min_size_to_sample: 2.0 },
            RateLimiterSpec::Queue { size: 3.0 },
            RateLimiterSpec::Stack { size: 3.0 },
        ] {
            assert_eq!(RateLimiterSpec::decode(&spec.encode()).unwrap(), spec);
        }
    }

    #[test]
    fn queue_limits_items_in_flight() {
        // Reverb's queue: 10 inserts fit, the 11th waits until a sample.
        let mut q = RateLimiterSpec::Queue { size: 10.0 }.build().unwrap();
        for _ in 0..10 {
            assert!(q.can_insert(1).unwrap());
            q.record_insert(1);
        }
        assert!(!q.can_insert(1).unwrap());
        q.record_sample(1);
        assert!(q.can_insert(1).unwrap());
        assert!(q.can_sample(9).unwrap());
        assert!(!q.can_sample(10).unwrap());
        assert!(q.can_sample(0).is_err());
    }
}
