//! Test oracles: the definitions, as plain loops accumulating in float64.
use crate::Conv2dGeometry;

/// splitmix64, so that every failure reproduces.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    pub fn vec(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0).collect()
    }
}

pub fn assert_close(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= 1e-4 * (1.0 + w.abs()), "{what}: element {i} is {g}, want {w}");
    }
}

pub fn matmul_ref(a: &[f32], b: &[f32], m: usize, k: usize, n: usize, ta: bool, tb: bool) -> Vec<f32> {
    let mut out = vec![0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut s = 0f64;
            for kk in 0..k {
                let av = if ta { a[kk * m + i] } else { a[i * k + kk] };
                let bv = if tb { b[j * k + kk] } else { b[kk * n + j] };
                s += av as f64 * bv as f64;
            }
            out[i * n + j] = s as f32;
        }
    }
    out
}

/// Calls `f(x_index, y_index, w_index)` for every multiply-add of the convolution.
fn for_each_tap(g: &Conv2dGeometry, mut f: impl FnMut(usize, usize, usize)) {
    for b in 0..g.batch {
        for oy in 0..g.out_height {
            for ox in 0..g.out_width {
                for ky in 0..g.filter_height {
                    let iy = (oy * g.stride_height + ky * g.dilation_height) as isize - g.pad_top as isize;
                    if iy < 0 || iy >= g.in_height as isize {
                        continue;
                    }
                    for kx in 0..g.filter_width {
                        let ix = (ox * g.stride_width + kx * g.dilation_width) as isize - g.pad_left as isize;
                        if ix < 0 || ix >= g.in_width as isize {
                            continue;
                        }
                        for ic in 0..g.in_channels {
                            for oc in 0..g.out_channels {
                                let xi =
                                    ((b * g.in_height + iy as usize) * g.in_width + ix as usize) * g.in_channels + ic;
                                let yi = ((b * g.out_height + oy) * g.out_width + ox) * g.out_channels + oc;
                                let wi = ((ky * g.filter_width + kx) * g.in_channels + ic) * g.out_channels + oc;
                                f(xi, yi, wi);
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn conv2d_ref(g: &Conv2dGeometry, x: &[f32], w: &[f32]) -> Vec<f32> {
    let mut y = vec![0f64; g.output_len()];
    for_each_tap(g, |xi, yi, wi| y[yi] += x[xi] as f64 * w[wi] as f64);
    y.into_iter().map(|v| v as f32).collect()
}

pub fn conv2d_backprop_filter_ref(g: &Conv2dGeometry, x: &[f32], dy: &[f32]) -> Vec<f32> {
    let mut dw = vec![0f64; g.filter_len()];
    for_each_tap(g, |xi, yi, wi| dw[wi] += x[xi] as f64 * dy[yi] as f64);
    dw.into_iter().map(|v| v as f32).collect()
}

pub fn conv2d_backprop_input_ref(g: &Conv2dGeometry, dy: &[f32], w: &[f32]) -> Vec<f32> {
    let mut dx = vec![0f64; g.input_len()];
    for_each_tap(g, |xi, yi, wi| dx[xi] += dy[yi] as f64 * w[wi] as f64);
    dx.into_iter().map(|v| v as f32).collect()
}

/// Small geometries covering what the networks use (the Nature CNN's filters and strides, scaled
/// down), 'same' padding at every border, dilation, tails of the 6 x 16 register tile, 1 x 1, and
/// sizes past the blocks of the GEMM.
pub fn geometries() -> Vec<Conv2dGeometry> {
    let f = |v: [i32; 15]| Conv2dGeometry::from_fields(&v).unwrap();
    vec![
        // batch, inH, inW, inC, outH, outW, outC, fH, fW, sH, sW, dH, dW, padTop, padLeft
        f([2, 20, 20, 4, 4, 4, 8, 8, 8, 4, 4, 1, 1, 0, 0]),
        f([3, 9, 9, 8, 3, 3, 16, 4, 4, 2, 2, 1, 1, 0, 0]),
        f([2, 7, 7, 16, 5, 5, 20, 3, 3, 1, 1, 1, 1, 0, 0]),
        f([2, 7, 6, 3, 7, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1]),
        f([1, 8, 8, 2, 4, 4, 17, 4, 4, 2, 2, 1, 1, 1, 1]),
        f([2, 9, 10, 3, 5, 6, 4, 3, 3, 1, 1, 2, 2, 0, 0]),
        f([2, 9, 9, 5, 5, 5, 6, 3, 2, 2, 2, 2, 1, 2, 1]),
        f([3, 5, 5, 7, 5, 5, 9, 1, 1, 1, 1, 1, 1, 0, 0]),
        // A patch longer than one reduction block, and more pixels than one block of rows.
        f([1, 7, 7, 40, 5, 5, 3, 3, 3, 1, 1, 1, 1, 0, 0]),
        f([2, 20, 20, 3, 18, 18, 5, 3, 3, 1, 1, 1, 1, 0, 0]),
    ]
}
