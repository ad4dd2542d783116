//! One blocked GEMM, `C = A · B`, that every kernel of this crate is written in terms of.
//!
//! The operands are not matrices but packers: `PackA` writes a panel of `MR` rows of A over a
//! block of the reduction axis, interleaved as `[k][MR]`, and `PackB` a strip of `NR` columns of B
//! as `[k][NR]`, both zero-padded past the edge. A plain matrix, a transposed one, or an im2col view
//! of an NHWC tensor are just different packers, so convolutions never materialise their im2col
//! matrix. Finished tiles go to a `Sink`, which adds a bias and an activation, writes transposed, or
//! scatters back into an image (col2im).
//!
//! Loops are blocked as in BLIS: `NC` columns x `MC` rows of C are kept in a scratch buffer while
//! the reduction axis goes by in blocks of `KC`, each block of A and B packed once. The register tile
//! is `MR x NR` = 6 x 16 floats (twelve 8-lane accumulators with AVX2). Each element of C is summed
//! over the reduction axis in order, in one accumulator that is saved and reloaded exactly between
//! blocks, so its value depends on neither the blocking nor the thread count.

use crate::arith::{Arith, Plain};
use crate::parallel::split;
use crate::scratch::with_scratch;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) const MR: usize = 6;
pub(crate) const NR: usize = 16;
/// Reduction block: a packed A panel (6 KiB) and B strip (16 KiB) stay in L1.
const KC: usize = 256;
/// Rows of C per block (packed A: 64 panels of `KC` x `MR`).
const MC: usize = 64 * MR;
/// Columns of C per block (packed B: 1 MiB, in L2).
const NC: usize = 1024;
/// Multiply-adds below which one more thread costs more (spawn and join) than it saves. Tests use
/// 1 so that their small products do run split between threads.
#[cfg(not(test))]
const WORK_PER_THREAD: usize = 1 << 22;
#[cfg(test)]
const WORK_PER_THREAD: usize = 1;
/// Chunks of work per thread (see `gemm`).
const CHUNKS_PER_THREAD: usize = 4;

/// The left operand: `m` rows over a reduction axis of `k`.
pub(crate) trait PackA: Sync {
    /// Writes rows `i0..i0 + mr` (`mr <= MR`) at reduction indices `k0..k0 + kc` to
    /// `out[(k - k0) * MR + i]`; rows from `mr` on are 0.
    fn pack(&self, i0: usize, mr: usize, k0: usize, kc: usize, out: &mut [f32]);
}

/// The right operand: `n` columns over the reduction axis.
pub(crate) trait PackB: Sync {
    /// Writes columns `j0..j0 + nr` (`nr <= NR`) at reduction indices `k0..k0 + kc` to
    /// `out[(k - k0) * NR + j]`; columns from `nr` on are 0.
    fn pack(&self, j0: usize, nr: usize, k0: usize, kc: usize, out: &mut [f32]);

    /// For an operand already laid out as rows of `NR` consecutive columns: the slice starting at
    /// `(k0, j0)` and its row stride, read in place instead of packed when the product has a single
    /// panel of rows (acting on one observation), where copying a big weight matrix would cost more
    /// than the product. With more rows packing wins: a strip read in place at a large power-of-two
    /// stride falls into a few L1 sets and is evicted between panels.
    fn direct(&self, _j0: usize, _k0: usize) -> Option<(&[f32], usize)> {
        None
    }
}

/// Where finished tiles go.
pub(crate) trait Sink: Sync {
    /// What `store` needs to know about a panel of rows, computed once per panel.
    type Rows: Copy;
    fn rows(&self, i0: usize, mr: usize) -> Self::Rows;
    /// Receives `C[i0 + i][j0 + j] = tile[i * NR + j]` for `i < mr`, `j < nr`. Concurrent calls
    /// get disjoint tiles, from row and column ranges the `Split` allowed.
    fn store(&self, rows: Self::Rows, i0: usize, mr: usize, j0: usize, nr: usize, tile: &[f32]);
}

/// How the driver may share one product between threads.
#[derive(Clone, Copy)]
pub(crate) struct Split {
    /// Whether threads may own different columns (false when two columns write the same memory,
    /// as in col2im).
    pub columns: bool,
    /// Row ranges of different threads start at multiples of this.
    pub row_align: usize,
}

/// `C (m x n) = A (m x k) · B (k x n)`, on up to `threads` threads.
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemm<A: PackA, B: PackB, C: Sink>(
    m: usize,
    n: usize,
    k: usize,
    a: &A,
    b: &B,
    c: &C,
    threads: usize,
    split_rule: Split,
) {
    if m == 0 || n == 0 {
        return;
    }
    let work = m.saturating_mul(n).saturating_mul(k.max(1));
    // wasm32-unknown-unknown has no threads: spawning would panic.
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { threads.min(work / WORK_PER_THREAD + 1).max(1) };
    if threads == 1 {
        run(a, b, c, k, 0..m, 0..n);
        return;
    }
    // A few chunks per thread, taken from a shared counter: on a machine whose other cores are
    // busy, a thread that is descheduled delays only its current chunk, not half of the product.
    // Each chunk packs its own copy of the operand it does not split (B for a range of rows, A
    // for a range of columns), so split the longer side.
    let chunks = threads * CHUNKS_PER_THREAD;
    let parts: Vec<(Range<usize>, Range<usize>)> = if split_rule.columns && n >= m {
        split(n, chunks, NR).into_iter().map(|cols| (0..m, cols)).collect()
    } else {
        let align = if split_rule.row_align > 1 { split_rule.row_align } else { MR };
        split(m, chunks, align).into_iter().map(|rows| (rows, 0..n)).collect()
    };
    let next = AtomicUsize::new(0);
    let worker = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        match parts.get(i) {
            Some((rows, cols)) => run(a, b, c, k, rows.clone(), cols.clone()),
            None => break,
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads.min(parts.len()) {
            s.spawn(worker);
        }
        worker();
    });
}

/// Picks the AVX2+FMA build of the loops when this CPU has it.
fn run<A: PackA, B: PackB, C: Sink>(a: &A, b: &B, c: &C, k: usize, rows: Range<usize>, cols: Range<usize>) {
    #[cfg(target_arch = "x86_64")]
    {
        if crate::arith::has_avx2_fma() {
            // SAFETY: the CPU supports the features the function is compiled with.
            unsafe { run_avx2_fma(a, b, c, k, rows, cols) };
            return;
        }
    }
    run_with::<Plain, A, B, C>(a, b, c, k, rows, cols);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2_fma<A: PackA, B: PackB, C: Sink>(
    a: &A,
    b: &B,
    c: &C,
    k: usize,
    rows: Range<usize>,
    cols: Range<usize>,
) {
    run_with::<crate::arith::Fused, A, B, C>(a, b, c, k, rows, cols);
}

/// The blocked loops over one thread's rows and columns.
#[inline(always)]
fn run_with<F: Arith, A: PackA, B: PackB, C: Sink>(
    a: &A,
    b: &B,
    c: &C,
    k: usize,
    rows: Range<usize>,
    cols: Range<usize>,
) {
    const TILE: usize = MR * NR;
    let in_place = rows.len() <= MR;
    let (a_len, b_len) = (MC * KC, NC * KC);
    with_scratch(a_len + b_len + MC * NC, |buf| {
        let (apack, rest) = buf.split_at_mut(a_len);
        let (bpack, cbuf) = rest.split_at_mut(b_len);
        let mut j0 = cols.start;
        while j0 < cols.end {
            let jn = NC.min(cols.end - j0);
            let strips = (jn + NR - 1) / NR;
            let mut i0 = rows.start;
            while i0 < rows.end {
                let im = MC.min(rows.end - i0);
                let panels = (im + MR - 1) / MR;
                let tiles = &mut cbuf[..panels * strips * TILE];
                for v in tiles.iter_mut() {
                    *v = 0.0;
                }
                let mut k0 = 0;
                while k0 < k {
                    let kc = KC.min(k - k0);
                    for s in 0..strips {
                        let j = j0 + s * NR;
                        let nr = NR.min(j0 + jn - j);
                        if nr < NR || !in_place || b.direct(j, k0).is_none() {
                            b.pack(j, nr, k0, kc, &mut bpack[s * kc * NR..(s + 1) * kc * NR]);
                        }
                    }
                    for p in 0..panels {
                        let i = i0 + p * MR;
                        a.pack(i, MR.min(i0 + im - i), k0, kc, &mut apack[p * kc * MR..(p + 1) * kc * MR]);
                    }
                    for p in 0..panels {
                        let apanel = &apack[p * kc * MR..(p + 1) * kc * MR];
                        for s in 0..strips {
                            let tile = &mut tiles[(p * strips + s) * TILE..(p * strips + s + 1) * TILE];
                            let j = j0 + s * NR;
                            match b.direct(j, k0) {
                                Some((rows, ldb)) if in_place && j + NR <= j0 + jn => {
                                    micro_strided::<F>(apanel, rows, ldb, tile)
                                }
                                _ => micro::<F>(apanel, &bpack[s * kc * NR..(s + 1) * kc * NR], tile),
                            }
                        }
                    }
                    k0 += kc;
                }
                for p in 0..panels {
                    let i = i0 + p * MR;
                    let mr = MR.min(i0 + im - i);
                    let row_info = c.rows(i, mr);
                    for s in 0..strips {
                        let j = j0 + s * NR;
                        let tile = &tiles[(p * strips + s) * TILE..(p * strips + s + 1) * TILE];
                        c.store(row_info, i, mr, j, NR.min(j0 + jn - j), tile);
                    }
                }
                i0 += im;
            }
            j0 += jn;
        }
    });
}

/// The register tile: `tile[i][j] += sum over k of a[k][i] * b[k][j]`, in order of k.
#[inline(always)]
fn micro<F: Arith>(a: &[f32], b: &[f32], tile: &mut [f32]) {
    let mut acc = [[0f32; NR]; MR];
    for (row, src) in acc.iter_mut().zip(tile.chunks_exact(NR)) {
        row.copy_from_slice(src);
    }
    for (ak, bk) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        for i in 0..MR {
            let x = ak[i];
            let row = &mut acc[i];
            for j in 0..NR {
                row[j] = F::fma(x, bk[j], row[j]);
            }
        }
    }
    for (row, dst) in acc.iter().zip(tile.chunks_exact_mut(NR)) {
        dst.copy_from_slice(row);
    }
}

/// `micro` with B read in place: row `k` of the strip is `b[k * ldb..k * ldb + NR]`.
#[inline(always)]
fn micro_strided<F: Arith>(a: &[f32], b: &[f32], ldb: usize, tile: &mut [f32]) {
    let mut acc = [[0f32; NR]; MR];
    for (row, src) in acc.iter_mut().zip(tile.chunks_exact(NR)) {
        row.copy_from_slice(src);
    }
    for (ak, brow) in a.chunks_exact(MR).zip(b.chunks(ldb)) {
        let bk = &brow[..NR];
        for i in 0..MR {
            let x = ak[i];
            let row = &mut acc[i];
            for j in 0..NR {
                row[j] = F::fma(x, bk[j], row[j]);
            }
        }
    }
    for (row, dst) in acc.iter().zip(tile.chunks_exact_mut(NR)) {
        dst.copy_from_slice(row);
    }
}

/// A dense row-major matrix as the left operand: `m x k`, or stored `k x m` when `transposed`.
pub(crate) struct MatA<'a> {
    pub data: &'a [f32],
    pub m: usize,
    pub k: usize,
    pub transposed: bool,
}

impl PackA for MatA<'_> {
    fn pack(&self, i0: usize, mr: usize, k0: usize, kc: usize, out: &mut [f32]) {
        let out = &mut out[..kc * MR];
        if self.transposed {
            for (kk, o) in out.chunks_exact_mut(MR).enumerate() {
                let at = (k0 + kk) * self.m + i0;
                o[..mr].copy_from_slice(&self.data[at..at + mr]);
                for v in &mut o[mr..] {
                    *v = 0.0;
                }
            }
        } else {
            if mr < MR {
                for v in out.iter_mut() {
                    *v = 0.0;
                }
            }
            for i in 0..mr {
                let at = (i0 + i) * self.k + k0;
                for (kk, &v) in self.data[at..at + kc].iter().enumerate() {
                    out[kk * MR + i] = v;
                }
            }
        }
    }
}

/// A dense row-major matrix as the right operand: `k x n`, or stored `n x k` when `transposed`.
pub(crate) struct MatB<'a> {
    pub data: &'a [f32],
    pub k: usize,
    pub n: usize,
    pub transposed: bool,
}

impl PackB for MatB<'_> {
    fn direct(&self, j0: usize, k0: usize) -> Option<(&[f32], usize)> {
        if self.transposed || j0 + NR > self.n {
            None
        } else {
            Some((&self.data[k0 * self.n + j0..], self.n))
        }
    }

    fn pack(&self, j0: usize, nr: usize, k0: usize, kc: usize, out: &mut [f32]) {
        let out = &mut out[..kc * NR];
        if self.transposed {
            if nr < NR {
                for v in out.iter_mut() {
                    *v = 0.0;
                }
            }
            for j in 0..nr {
                let at = (j0 + j) * self.k + k0;
                for (kk, &v) in self.data[at..at + kc].iter().enumerate() {
                    out[kk * NR + j] = v;
                }
            }
        } else {
            for (kk, o) in out.chunks_exact_mut(NR).enumerate() {
                let at = (k0 + kk) * self.n + j0;
                o[..nr].copy_from_slice(&self.data[at..at + nr]);
                for v in &mut o[nr..] {
                    *v = 0.0;
                }
            }
        }
    }
}

/// A dense row-major `m x n` output, with a per-column bias and an activation applied on store.
pub(crate) struct MatSink<'a> {
    pub out: crate::sync_ptr::SyncPtr,
    pub n: usize,
    /// Empty, or one value per column.
    pub bias: &'a [f32],
    pub activation: crate::Activation,
}

impl Sink for MatSink<'_> {
    type Rows = ();
    fn rows(&self, _i0: usize, _mr: usize) {}
    fn store(&self, _rows: (), i0: usize, mr: usize, j0: usize, nr: usize, tile: &[f32]) {
        for (i, row) in tile.chunks_exact(NR).enumerate().take(mr) {
            // SAFETY: the caller sized `out` for m x n; this tile's elements belong to this call.
            let dst = unsafe { std::slice::from_raw_parts_mut(self.out.0.add((i0 + i) * self.n + j0), nr) };
            if self.bias.is_empty() {
                for (d, &v) in dst.iter_mut().zip(row) {
                    *d = self.activation.apply(v);
                }
            } else {
                for ((d, &v), &b) in dst.iter_mut().zip(row).zip(&self.bias[j0..j0 + nr]) {
                    *d = self.activation.apply(v + b);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{matmul_ref, Rng};
    use crate::sync_ptr::SyncPtr;
    use crate::Activation;

    fn product(m: usize, n: usize, k: usize, ta: bool, tb: bool, threads: usize, seed: u64) {
        let mut rng = Rng::new(seed);
        let a = rng.vec(m * k);
        let b = rng.vec(k * n);
        let mut c = vec![f32::NAN; m * n];
        let sink = MatSink { out: SyncPtr(c.as_mut_ptr()), n, bias: &[], activation: Activation::Linear };
        gemm(
            m,
            n,
            k,
            &MatA { data: &a, m, k, transposed: ta },
            &MatB { data: &b, k, n, transposed: tb },
            &sink,
            threads,
            Split { columns: true, row_align: 1 },
        );
        let want = matmul_ref(&a, &b, m, k, n, ta, tb);
        for (idx, (&got, &w)) in c.iter().zip(&want).enumerate() {
            assert!((got - w).abs() <= 1e-4 * (1.0 + w.abs()), "m{m} n{n} k{k} ta{ta} tb{tb} at {idx}: {got} vs {w}");
        }
    }

    #[test]
    fn matches_the_naive_product_for_every_transpose_and_tail() {
        let mut seed = 1;
        for &(m, n, k) in
            &[(1, 1, 1), (3, 5, 7), (4, 16, 8), (5, 17, 9), (13, 33, 1), (9, 40, 0), (32, 6, 300), (2, 40, 600)]
        {
            for &ta in &[false, true] {
                for &tb in &[false, true] {
                    product(m, n, k, ta, tb, 1, seed);
                    seed += 1;
                }
            }
        }
    }

    #[test]
    fn threads_split_rows_or_columns_without_changing_a_bit() {
        // Large enough that the driver does use several threads.
        let (m, n, k) = (64, 300, 400);
        let mut rng = Rng::new(7);
        let a = rng.vec(m * k);
        let b = rng.vec(k * n);
        let run = |threads: usize, columns: bool| {
            let mut c = vec![0f32; m * n];
            let sink = MatSink { out: SyncPtr(c.as_mut_ptr()), n, bias: &[], activation: Activation::Linear };
            gemm(
                m,
                n,
                k,
                &MatA { data: &a, m, k, transposed: false },
                &MatB { data: &b, k, n, transposed: false },
                &sink,
                threads,
                Split { columns, row_align: 4 },
            );
            c
        };
        let one = run(1, true);
        assert_eq!(one, run(3, true));
        assert_eq!(one, run(2, false));
        product(m, n, k, false, false, 2, 11);
    }
}
