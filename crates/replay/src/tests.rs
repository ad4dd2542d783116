//! Engine-level specifications: Reverb's selector, table and rate limiter tests, frame
//! deduplication against naive stacking, and checkpoints.

use crate::engine::ReplayEngine;
use crate::rate_limiter::RateLimiterSpec;
use crate::selectors::SelectorSpec;

/// Builds the encoded config the TypeScript wrapper would send.
#[derive(Clone)]
struct Cfg {
    max_size: usize,
    max_times_sampled: u32,
    seed: u64,
    sampler: SelectorSpec,
    remover: SelectorSpec,
    stratified: bool,
    track_min: bool,
    limiter: RateLimiterSpec,
    /// (frame size, capacity, stack, padding first?, axis first?)
    frames: Option<(usize, usize, usize, bool, bool)>,
    /// (kind code, size)
    columns: Vec<(u8, usize)>,
}

impl Cfg {
    fn prioritized(max_size: usize, exponent: f64) -> Cfg {
        Cfg {
            max_size,
            max_times_sampled: 0,
            seed: 1,
            sampler: SelectorSpec::Prioritized { priority_exponent: exponent },
            remover: SelectorSpec::Fifo,
            stratified: false,
            track_min: false,
            limiter: RateLimiterSpec::MinSize { min_size_to_sample: 1.0 },
            frames: None,
            columns: vec![],
        }
    }
    fn with(mut self, f: impl FnOnce(&mut Cfg)) -> Cfg {
        f(&mut self);
        self
    }
    fn encode(&self) -> Vec<f64> {
        let mut v = vec![1.0, self.max_size as f64, self.max_times_sampled as f64, self.seed as f64];
        v.extend_from_slice(&self.sampler.encode());
        v.extend_from_slice(&self.remover.encode());
        v.push(self.stratified as u8 as f64);
        v.push(self.track_min as u8 as f64);
        v.extend_from_slice(&self.limiter.encode());
        match self.frames {
            Some((fs, cap, stack, pad, axis)) => {
                v.extend_from_slice(&[fs as f64, cap as f64, stack as f64, pad as u8 as f64, axis as u8 as f64])
            }
            None => v.extend_from_slice(&[0.0; 5]),
        }
        v.push(self.columns.len() as f64);
        for &(k, s) in &self.columns {
            v.push(k as f64);
            v.push(s as f64);
        }
        v
    }
    fn build(&self) -> ReplayEngine {
        ReplayEngine::new(&self.encode()).unwrap()
    }
}

/// Inserts items without data (tables with no columns).
fn insert(e: &mut ReplayEngine, priorities: &[f64]) -> Vec<f64> {
    let mut keys = vec![0.0; priorities.len()];
    e.insert(priorities, &[], &[], &[], &[], &mut keys).unwrap();
    keys
}

fn sample(e: &mut ReplayEngine, n: usize) -> (Vec<f64>, Vec<f64>, usize) {
    let mut keys = vec![0.0; n];
    let mut probs = vec![0.0; n];
    let size = e.sample(&mut keys, &mut probs, None, None).unwrap();
    (keys, probs, size)
}

/// Pearson's chi-square of observed counts against expected probabilities.
fn chi_square(counts: &[usize], expected: &[f64], n: usize) -> f64 {
    counts
        .iter()
        .zip(expected)
        .filter(|(_, &p)| p > 0.0)
        .map(|(&c, &p)| (c as f64 - n as f64 * p).powi(2) / (n as f64 * p))
        .sum()
}

#[test]
fn probabilities_and_frequencies_match_p_to_the_a_with_updates_and_deletes() {
    for &exponent in &[0.0, 0.5, 1.0, 2.0] {
        for stratified in [false, true] {
            let mut e = Cfg::prioritized(100, exponent).with(|c| c.stratified = stratified).build();
            // Half inserted with their priority, half at 123 and then updated (Reverb's test).
            let mut keys = Vec::new();
            for k in 0..50 {
                keys.extend(insert(&mut e, &[k as f64]));
            }
            let later = insert(&mut e, &[123.0; 50]);
            let new: Vec<f64> = (50..100).map(|k| k as f64).collect();
            assert_eq!(e.update_priorities(&later, &new).unwrap(), 50);
            keys.extend(later);
            assert_eq!(e.delete(&keys[..10]).unwrap(), 10);
            let weights: Vec<f64> =
                (0..100).map(|k| if k < 10 || k == 0 { 0.0 } else { (k as f64).powf(exponent) }).collect();
            let total: f64 = weights.iter().sum();
            let expected: Vec<f64> = weights.iter().map(|w| w / total).collect();
            let n = 100_000;
            let mut counts = vec![0usize; 100];
            for _ in 0..n / 50 {
                let (ks, ps, size) = sample(&mut e, 50);
                assert_eq!(size, 90);
                for (k, p) in ks.iter().zip(&ps) {
                    let i = keys.iter().position(|x| x == k).unwrap();
                    assert!(i >= 10, "deleted key sampled");
                    assert!((p - expected[i]).abs() < 1e-12, "reported probability of {i}: {p} vs {}", expected[i]);
                    counts[i] += 1;
                }
            }
            // 89 degrees of freedom: the 0.999 quantile is about 135.
            let chi = chi_square(&counts, &expected, n);
            assert!(chi < 135.0, "exponent {exponent} stratified {stratified}: chi-square {chi}");
        }
    }
}

#[test]
fn zero_priorities_fall_back_to_uniform_and_zero_is_never_drawn_otherwise() {
    let mut e = Cfg::prioritized(100, 0.0).build();
    let keys = insert(&mut e, &[0.0; 100]);
    let n = 100_000;
    let mut counts = vec![0usize; 100];
    for _ in 0..n / 100 {
        let (ks, ps, _) = sample(&mut e, 100);
        for (k, p) in ks.iter().zip(&ps) {
            assert_eq!(*p, 0.01);
            counts[keys.iter().position(|x| x == k).unwrap()] += 1;
        }
    }
    assert!(chi_square(&counts, &[0.01; 100], n) < 150.0);
    // One positive priority with exponent 0: it gets everything, zeros get nothing.
    e.update_priorities(&keys[7..8], &[1e-9]).unwrap();
    let (ks, ps, _) = sample(&mut e, 1000);
    assert!(ks.iter().all(|&k| k == keys[7]) && ps.iter().all(|&p| p == 1.0));
}

#[test]
fn rounding_test_root_stays_exact() {
    for &exponent in &[1.0, 0.5] {
        let mut e = Cfg::prioritized(20_000, exponent).build();
        let tiny = insert(&mut e, &[1e-15]);
        let big = insert(&mut e, &[0.3; 10_000]);
        e.delete(&big).unwrap();
        let tree = e.sum_tree().unwrap();
        assert!(tree.root() >= 0.0);
        let want = 1e-15f64.powf(exponent);
        assert!((tree.root() - want).abs() <= 1e-12 * want, "{} vs {want}", tree.root());
        assert_eq!(tree.max_drift(), 0.0);
        let (ks, ps, _) = sample(&mut e, 10);
        assert!(ks.iter().all(|&k| k == tiny[0]) && ps.iter().all(|&p| p == 1.0));
    }
}

#[test]
fn millions_of_updates_of_tiny_and_large_values_leave_no_drift() {
    let mut e = Cfg::prioritized(1000, 0.7).build();
    let keys = insert(&mut e, &[1.0; 1000]);
    let mut x = 12345u64;
    let mut ks = vec![0.0; 32];
    let mut ps = vec![0.0; 32];
    for _ in 0..32_000 {
        for i in 0..32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ks[i] = keys[(x >> 33) as usize % 1000];
            ps[i] = if x & 1 == 0 { 1e-12 * (x >> 40) as f64 } else { 1e6 * (x >> 50) as f64 };
        }
        e.update_priorities(&ks, &ps).unwrap();
    }
    assert_eq!(e.sum_tree().unwrap().max_drift(), 0.0);
    assert!(e.sum_tree().unwrap().root() > 0.0);
}

#[test]
fn stratified_draws_cover_their_segments() {
    let mut e = Cfg::prioritized(10, 1.0).with(|c| c.stratified = true).build();
    let keys = insert(&mut e, &[1.0, 2.0, 3.0, 4.0]);
    // Ten segments of a total of 10: segment i covers [i, i+1), which lies in one item.
    let (ks, _, _) = sample(&mut e, 10);
    let owner = |i: usize| {
        if i < 1 {
            0
        } else if i < 3 {
            1
        } else if i < 6 {
            2
        } else {
            3
        }
    };
    for (i, k) in ks.iter().enumerate() {
        assert_eq!(*k, keys[owner(i)], "segment {i}");
    }
}

#[test]
fn same_seed_same_samples_and_rng_state_round_trips() {
    let cfg = Cfg::prioritized(1000, 0.6).with(|c| c.seed = 99);
    let mut a = cfg.build();
    let mut b = cfg.build();
    let priorities: Vec<f64> = (0..1000).map(|i| (i % 17) as f64 + 0.5).collect();
    insert(&mut a, &priorities);
    insert(&mut b, &priorities);
    assert_eq!(sample(&mut a, 64), sample(&mut b, 64));
    let state = a.rng_state();
    let first = sample(&mut a, 64);
    a.set_rng_state(state).unwrap();
    assert_eq!(sample(&mut a, 64), first);
    let mut c = cfg.with(|c| c.seed = 100).build();
    insert(&mut c, &priorities);
    assert_ne!(sample(&mut c, 64).0, sample(&mut b, 64).0);
}

#[test]
fn fifo_remover_keeps_the_newest_max_size_keys() {
    let mut e = Cfg::prioritized(10, 1.0).build();
    let keys: Vec<f64> = (0..15).flat_map(|_| insert(&mut e, &[1.0])).collect();
    assert_eq!(e.size(), 10);
    let mut out = vec![0.0; 15];
    assert_eq!(e.priorities_of(&keys, &mut out).unwrap(), 10);
    assert!(out[..5].iter().all(|p| p.is_nan()) && out[5..].iter().all(|&p| p == 1.0));
    assert_eq!(e.limiter().counters(), [15, 0, 5]);
    // A batch insert larger than the table keeps the newest too.
    let keys = insert(&mut e, &[2.0; 25]);
    assert_eq!(e.priorities_of(&keys, &mut [0.0; 25]).unwrap(), 10);
    let mut out = vec![0.0; 25];
    e.priorities_of(&keys, &mut out).unwrap();
    assert!(out[15..].iter().all(|&p| p == 2.0));
}

#[test]
fn lifo_remover_may_remove_the_item_just_inserted() {
    let mut e = Cfg::prioritized(3, 1.0).with(|c| c.remover = SelectorSpec::Lifo).build();
    let keys = insert(&mut e, &[1.0; 5]);
    let mut out = vec![0.0; 5];
    e.priorities_of(&keys, &mut out).unwrap();
    assert!(out[..3].iter().all(|&p| p == 1.0) && out[3..].iter().all(|p| p.is_nan()));
}

#[test]
fn heaps_through_the_engine_follow_reverb() {
    let mut e = Cfg::prioritized(10, 1.0).with(|c| c.sampler = SelectorSpec::MinHeap).build();
    let k = insert(&mut e, &[2.0, 1.0, 3.0]);
    assert_eq!(sample(&mut e, 1).0, vec![k[1]]);
    e.delete(&k[1..2]).unwrap();
    assert_eq!(sample(&mut e, 2).0, vec![k[0], k[0]]);
    e.update_priorities(&k[2..3], &[0.5]).unwrap();
    assert_eq!(sample(&mut e, 1), (vec![k[2]], vec![1.0], 2));
    let mut m = Cfg::prioritized(10, 1.0).with(|c| c.sampler = SelectorSpec::MaxHeap).build();
    let k = insert(&mut m, &[300.0, 1.0, 20.0, 1.0, 20.0, 1.0]);
    let mut order = Vec::new();
    for _ in 0..6 {
        let (ks, _, _) = sample(&mut m, 1);
        order.push(k.iter().position(|x| *x == ks[0]).unwrap());
        m.delete(&ks).unwrap();
    }
    assert_eq!(order, vec![0, 2, 4, 1, 3, 5]);
}

#[test]
fn queue_table_samples_each_item_once_in_order() {
    // Reverb's Table.queue: Fifo sampler and remover, maxTimesSampled 1, Queue(10).
    let mut e = Cfg::prioritized(10, 1.0)
        .with(|c| {
            c.sampler = SelectorSpec::Fifo;
            c.max_times_sampled = 1;
            c.limiter = RateLimiterSpec::Queue { size: 10.0 };
            c.columns = vec![(1, 1)];
        })
        .build();
    let mut keys = Vec::new();
    for i in 0..10 {
        assert!(e.can_insert(1).unwrap());
        let mut k = [0.0];
        e.insert(&[1.0], &[], &[i], &[], &[], &mut k).unwrap();
        keys.push(k[0]);
    }
    assert!(!e.can_insert(1).unwrap());
    let mut ks = [0.0; 4];
    let mut ps = [0.0; 4];
    let mut ts = [0i32; 4];
    assert_eq!(e.sample(&mut ks, &mut ps, None, Some(&mut ts)).unwrap(), 10);
    assert_eq!(ks.to_vec(), keys[..4].to_vec());
    assert_eq!(ts, [1; 4]);
    // The sampled rows are gone from the table but still gatherable until the next call.
    assert_eq!(e.size(), 6);
    let mut data = [0i32; 4];
    e.gather(&ks, &mut [], &mut data, &mut [], &mut []).unwrap();
    assert_eq!(data, [0, 1, 2, 3]);
    assert!(e.can_insert(4).unwrap() && !e.can_insert(5).unwrap());
    insert_i32(&mut e, 10);
    assert!(e.gather(&ks, &mut [], &mut data, &mut [], &mut []).unwrap_err().message.ends_with("is not in the table"));
    // Seven items can give seven draws; eight are refused before any is drawn.
    let mut ks = [0.0; 8];
    let mut ps = [0.0; 8];
    assert!(e.sample(&mut ks, &mut ps, None, None).unwrap_err().message.contains("exceeds the 7 draws"));
    assert_eq!(e.size(), 7);
    assert_eq!(e.limiter().counters(), [11, 4, 4]);
}

fn insert_i32(e: &mut ReplayEngine, v: i32) -> f64 {
    let mut k = [0.0];
    e.insert(&[1.0], &[], &[v], &[], &[], &mut k).unwrap();
    k[0]
}

#[test]
fn times_sampled_limit_two_removes_after_second_draw() {
    let mut e = Cfg::prioritized(10, 1.0).with(|c| c.max_times_sampled = 2).build();
    let k = insert(&mut e, &[1.0]);
    let mut ks = [0.0; 2];
    let mut ps = [0.0; 2];
    let mut ts = [0i32; 2];
    e.sample(&mut ks, &mut ps, None, Some(&mut ts)).unwrap();
    assert_eq!((ks, ps, ts), ([k[0], k[0]], [1.0, 1.0], [1, 2]));
    assert_eq!(e.size(), 0);
    assert_eq!(e.sample(&mut ks, &mut ps, None, None).unwrap_err().message, "sample: the table is empty");
}

#[test]
fn update_and_delete_skip_unknown_keys_and_validate_everything_first() {
    let mut e = Cfg::prioritized(10, 1.0).build();
    let k = insert(&mut e, &[1.0, 2.0]);
    assert_eq!(e.update_priorities(&[k[0], 12345.0, k[1]], &[5.0, 1.0, 6.0]).unwrap(), 2);
    let err = e.update_priorities(&[k[0], k[1]], &[7.0, -1.0]).unwrap_err();
    assert_eq!(err.message, "priorities[1] must be a finite number >= 0, got -1");
    assert!(e.update_priorities(&[k[0]], &[f64::NAN]).is_err());
    assert!(e.update_priorities(&[k[0]], &[f64::INFINITY]).is_err());
    assert!(e.update_priorities(&[-1.0], &[1.0]).unwrap_err().message.starts_with("keys[0] must be an integer"));
    assert!(e.update_priorities(&[0.5], &[1.0]).is_err());
    let mut out = [0.0; 2];
    e.priorities_of(&k, &mut out).unwrap();
    assert_eq!(out, [5.0, 6.0]);
    let mut big = Cfg::prioritized(10, 3.0).build();
    let kb = insert(&mut big, &[1.0]);
    assert!(big.update_priorities(&kb, &[1e200]).unwrap_err().message.contains("overflows"));
    assert_eq!(e.delete(&[k[0], k[0], 999.0]).unwrap(), 1);
    assert_eq!(e.size(), 1);
    let mut keys = [0.0];
    assert!(e.insert(&[-0.5], &[], &[], &[], &[], &mut keys).is_err());
    assert_eq!(e.size(), 1);
}

#[test]
fn reset_clears_items_and_counters_and_never_reuses_keys() {
    let mut e = Cfg::prioritized(3, 1.0).build();
    let old = insert(&mut e, &[1.0; 3]);
    e.reset();
    assert_eq!((e.size(), e.limiter().counters()), (0, [0, 0, 0]));
    let new = insert(&mut e, &[1.0; 3]);
    assert!(new.iter().all(|k| !old.contains(k)));
}

#[test]
fn columns_round_trip_through_gather() {
    let mut e = Cfg::prioritized(8, 1.0).with(|c| c.columns = vec![(0, 2), (1, 1), (2, 3), (0, 1)]).build();
    // Two items in one batch: f32 columns [[1,2],[3,4]] then [[5],[6]]; i32 [[7],[8]]; u8 [[1,2,3],[4,5,6]].
    let mut keys = [0.0; 2];
    e.insert(&[1.0, 1.0], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[7, 8], &[1, 2, 3, 4, 5, 6], &[], &mut keys).unwrap();
    let mut f = [0f32; 6];
    let mut i = [0i32; 2];
    let mut u = [0u8; 6];
    e.gather(&[keys[1], keys[0]], &mut f, &mut i, &mut u, &mut []).unwrap();
    assert_eq!(f, [3.0, 4.0, 1.0, 2.0, 6.0, 5.0]);
    assert_eq!(i, [8, 7]);
    assert_eq!(u, [4, 5, 6, 1, 2, 3]);
    let before = (f, i, u);
    assert!(e.gather(&[keys[0], 77.0], &mut f, &mut i, &mut u, &mut []).is_err());
    assert_eq!((f, i, u), before, "a failed gather writes nothing");
    assert_eq!(
        e.gather(&keys, &mut [0f32; 5], &mut i, &mut u, &mut []).unwrap_err().message,
        "float32 output must have length 6, got 5"
    );
    assert!(e.insert(&[1.0], &[1.0], &[1], &[1, 2, 3], &[], &mut [0.0]).is_err());
}

/// A tiny Atari: frames of `fs` bytes whose content encodes (episode, step).
fn atari(
    e: &mut ReplayEngine,
    fs: usize,
    episodes: &[usize],
    naive: &mut Vec<(f64, Vec<u8>, Vec<u8>)>,
    stack: usize,
    pad_first: bool,
) {
    let frame = |ep: usize, t: usize| -> Vec<u8> { (0..fs).map(|p| (ep * 37 + t * 11 + p) as u8).collect() };
    let stack_of = |frames: &[Vec<u8>], t: usize| -> Vec<u8> {
        // Axis first: oldest first; before the episode start, zeros or the first frame.
        let mut out = Vec::new();
        for k in 0..stack {
            let back = stack - 1 - k;
            if t >= back {
                out.extend_from_slice(&frames[t - back]);
            } else if pad_first {
                out.extend_from_slice(&frames[0]);
            } else {
                out.extend(std::iter::repeat(0).take(fs));
            }
        }
        out
    };
    for (ep, &len) in episodes.iter().enumerate() {
        let mut frames = Vec::new();
        let mut ids = Vec::new();
        let mut prev = -1.0;
        for t in 0..=len {
            let f = frame(ep, t);
            let id = e.add_frame(&f, prev).unwrap() as f64;
            prev = id;
            frames.push(f);
            ids.push(id);
            if t > 0 {
                let mut k = [0.0];
                e.insert(&[1.0], &[], &[t as i32], &[], &[ids[t - 1], ids[t]], &mut k).unwrap();
                naive.push((k[0], stack_of(&frames, t - 1), stack_of(&frames, t)));
            }
        }
    }
}

#[test]
fn frame_dedup_gather_equals_naive_stacking() {
    for pad_first in [false, true] {
        let fs = 12;
        let cfg = Cfg::prioritized(100, 1.0).with(|c| {
            c.frames = Some((fs, 200, 4, pad_first, true));
            c.columns = vec![(3, 0), (1, 1), (3, 0)];
        });
        let mut e = cfg.build();
        let mut naive = Vec::new();
        atari(&mut e, fs, &[1, 2, 6, 3], &mut naive, 4, pad_first);
        let keys: Vec<f64> = naive.iter().map(|x| x.0).collect();
        let n = keys.len();
        let mut stacks = vec![0u8; n * 2 * 4 * fs];
        let mut steps = vec![0i32; n];
        e.gather(&keys, &mut [], &mut steps, &mut [], &mut stacks).unwrap();
        for (i, (_, obs, next)) in naive.iter().enumerate() {
            assert_eq!(&stacks[i * 4 * fs..(i + 1) * 4 * fs], &obs[..], "obs {i}");
            let at = (n + i) * 4 * fs;
            assert_eq!(&stacks[at..at + 4 * fs], &next[..], "next obs {i}");
        }
        assert!(e.memory_bytes() > 0);
    }
}

#[test]
fn frames_leaving_the_ring_evict_the_items_that_use_them() {
    let fs = 4;
    let mut e = Cfg::prioritized(1000, 1.0)
        .with(|c| {
            c.frames = Some((fs, 10, 4, false, false));
            c.columns = vec![(3, 0), (1, 1), (3, 0)];
        })
        .build();
    let mut naive = Vec::new();
    atari(&mut e, fs, &[30], &mut naive, 4, false);
    // 31 frames through a ring of 10: frames 21..30 remain. Transition t uses frames
    // t-4..t (its obs stack reaches back 3 frames), so only t >= 25 can still be gathered.
    assert_eq!(e.frames().unwrap().oldest(), 21);
    let mut out = vec![0.0; naive.len()];
    let keys: Vec<f64> = naive.iter().map(|x| x.0).collect();
    e.priorities_of(&keys, &mut out).unwrap();
    let alive: Vec<usize> = (0..naive.len()).filter(|&i| !out[i].is_nan()).map(|i| i + 1).collect();
    assert_eq!(alive, (25..=30).collect::<Vec<_>>());
    assert_eq!(e.size(), 6);
    assert_eq!(e.limiter().counters(), [30, 0, 24]);
    let mut stacks = vec![0u8; 6 * 2 * 4 * fs];
    let live: Vec<f64> = alive.iter().map(|&t| keys[t - 1]).collect();
    let mut steps = [0i32; 6];
    e.gather(&live, &mut [], &mut steps, &mut [], &mut stacks).unwrap();
    assert_eq!(steps, [25, 26, 27, 28, 29, 30]);
    // An item whose frames are gone is refused at insert.
    let mut k = [0.0];
    let err = e.insert(&[1.0], &[], &[0], &[], &[20.0, 21.0], &mut k).unwrap_err();
    assert!(err.message.starts_with("frameIds[0] must be a stored frame id in [21, 31)"), "{}", err.message);
    let err = e.insert(&[1.0], &[], &[0], &[], &[22.0, 23.0], &mut k).unwrap_err();
    assert!(err.message.contains("needs frame 20"), "{}", err.message);
}

#[test]
fn checkpoint_round_trip_gives_identical_subsequent_samples() {
    let kinds = [
        (SelectorSpec::Prioritized { priority_exponent: 0.6 }, SelectorSpec::Fifo),
        (SelectorSpec::Uniform, SelectorSpec::Uniform),
        (SelectorSpec::MinHeap, SelectorSpec::MaxHeap),
        (SelectorSpec::Lifo, SelectorSpec::Prioritized { priority_exponent: 1.0 }),
    ];
    for (sampler, remover) in kinds {
        let cfg = Cfg::prioritized(50, 0.6).with(|c| {
            c.sampler = sampler;
            c.remover = remover;
            c.stratified = true;
            c.max_times_sampled = 3;
            c.frames = Some((5, 40, 4, false, false));
            c.columns = vec![(0, 2), (3, 0), (2, 1), (3, 0)];
            c.limiter = RateLimiterSpec::SampleToInsertRatio {
                samples_per_insert: 2.0,
                min_size_to_sample: 5.0,
                error_buffer: 1000.0,
            };
        });
        let mut e = cfg.build();
        let mut prev = -1.0;
        for t in 0..70usize {
            let id = e.add_frame(&[t as u8; 5], if t % 9 == 0 { -1.0 } else { prev }).unwrap() as f64;
            if t % 9 != 0 {
                let mut k = [0.0];
                e.insert(&[(t % 7) as f64], &[t as f32, -(t as f32)], &[], &[t as u8], &[prev, id], &mut k).unwrap();
            }
            prev = id;
            if t % 5 == 4 {
                let (ks, _, _) = sample(&mut e, 3);
                e.update_priorities(&ks, &[0.5, 2.0, 0.0]).unwrap();
            }
        }
        let bytes = e.checkpoint();
        let mut r = ReplayEngine::restore(&bytes).unwrap();
        assert_eq!(r.checkpoint(), bytes, "{sampler:?}");
        for round in 0..10 {
            let a = sample(&mut e, 4);
            let b = sample(&mut r, 4);
            assert_eq!(a, b, "{sampler:?} round {round}");
            let mut ga = vec![0f32; 8];
            let mut gb = vec![0f32; 8];
            let mut sa = vec![0u8; 2 * 4 * 4 * 5];
            let mut sb = sa.clone();
            let (mut ua, mut ub) = ([0u8; 4], [0u8; 4]);
            e.gather(&a.0, &mut ga, &mut [], &mut ua, &mut sa).unwrap();
            r.gather(&b.0, &mut gb, &mut [], &mut ub, &mut sb).unwrap();
            assert_eq!((ga, ua, sa), (gb, ub, sb));
            let ka = insert_row(&mut e, round);
            let kb = insert_row(&mut r, round);
            assert_eq!(ka, kb);
            e.update_priorities(&a.0, &[1.0, 3.0, 0.25, 0.0]).unwrap();
            r.update_priorities(&b.0, &[1.0, 3.0, 0.25, 0.0]).unwrap();
        }
        assert_eq!(e.limiter().counters(), r.limiter().counters());
    }
}

fn insert_row(e: &mut ReplayEngine, round: usize) -> f64 {
    let last = e.frames().unwrap().next_id() as f64 - 1.0;
    let id = e.add_frame(&[200 + round as u8; 5], last).unwrap() as f64;
    let mut k = [0.0];
    e.insert(&[1.5], &[1.0, 2.0], &[], &[9], &[last, id], &mut k).unwrap();
    k[0]
}

#[test]
fn corrupt_checkpoints_are_refused_with_clear_errors() {
    let mut e = Cfg::prioritized(20, 1.0).with(|c| c.columns = vec![(1, 2)]).build();
    for i in 0..15 {
        e.insert(&[i as f64], &[], &[i, -i], &[], &[], &mut [0.0]).unwrap();
    }
    let good = e.checkpoint();
    assert!(ReplayEngine::restore(&good).is_ok());
    let msg = |b: &[u8]| ReplayEngine::restore(b).err().expect("refused").message;
    assert!(msg(&good[..10]).contains("magic"));
    assert!(msg(b"nonsense bytes that are long enough").contains("magic"));
    assert!(msg(&good[..good.len() - 1]).contains("truncated"));
    let mut v = good.clone();
    v[8] = 9;
    assert!(msg(&v).contains("version 9 is not supported"));
    // Every single-byte flip after the header is caught (by the checksum, or by the length).
    for at in 12..good.len() {
        let mut v = good.clone();
        v[at] ^= 0x40;
        assert!(ReplayEngine::restore(&v).is_err(), "flip at {at} accepted");
    }
    // A structurally wrong body with a valid checksum: the free list repeats a slot.
    let mut v = good.clone();
    let n = v.len();
    // The last section is the int32 rows (15 x 8 bytes), before it the remover and sampler
    // orders; corrupt the first entry of the sampler order into a copy of the second.
    let rows = 15 * 8;
    let remover = 8 + 15 * 4;
    let sampler_first = n - 4 - rows - remover - 15 * 4;
    let second = v[sampler_first + 4..sampler_first + 8].to_vec();
    v[sampler_first..sampler_first + 4].copy_from_slice(&second);
    let crc = crate::checkpoint::crc32(&v[..n - 4]);
    v[n - 4..].copy_from_slice(&crc.to_le_bytes());
    assert!(msg(&v).starts_with("checkpoint is corrupt: sampler order lists slot"), "{}", msg(&v));
}

#[test]
fn min_probability_tracks_the_smallest_positive_weight() {
    let mut e = Cfg::prioritized(10, 1.0).with(|c| c.track_min = true).build();
    assert!(e.min_probability().is_err());
    let k = insert(&mut e, &[1.0, 3.0, 0.0, 4.0]);
    assert_eq!(e.min_probability().unwrap(), 1.0 / 8.0);
    e.delete(&k[..1]).unwrap();
    assert_eq!(e.min_probability().unwrap(), 3.0 / 7.0);
    e.update_priorities(&k[1..2], &[7.0]).unwrap();
    assert_eq!(e.min_probability().unwrap(), 4.0 / 11.0);
    assert!(Cfg::prioritized(10, 1.0).build().min_probability().is_err());
}

#[test]
fn uniform_sampler_and_table_size() {
    let mut e = Cfg::prioritized(10, 1.0).with(|c| c.sampler = SelectorSpec::Uniform).build();
    for i in 1..=10 {
        insert(&mut e, &[1.0]);
        let (_, ps, size) = sample(&mut e, 3);
        assert_eq!(size, i);
        assert!(ps.iter().all(|&p| p == 1.0 / i as f64));
    }
}

#[test]
fn a_table_too_large_for_this_machine_is_refused_before_allocating() {
    // 2^30 slots of at least 116 bytes: more memory than any machine running the tests has.
    let err = ReplayEngine::new(&Cfg::prioritized(1 << 30, 0.6).encode()).err().expect("refused");
    assert_eq!(err.kind, acme_common::ErrorKind::Range);
    assert!(err.message.starts_with("maxSize = 1073741824 needs "), "{}", err.message);
    let frames = Cfg::prioritized(16, 0.6).with(|c| c.frames = Some((1 << 20, 1 << 26, 4, false, false)));
    let err = ReplayEngine::new(&frames.encode()).err().expect("a 64 TiB frame ring is refused");
    assert!(err.message.starts_with("frames.capacity = 67108864 needs "), "{}", err.message);
}
