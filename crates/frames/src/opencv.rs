//! The OpenCV semantics this crate reproduces, written out plainly. The fast kernels elsewhere are
//! checked against these functions, and fall back to them where rounding could go either way.
//!
//! Matched against OpenCV 4.x (`modules/imgproc/src`), as verified bit-exact with cv2 4.6/5.0 on x86-64:
//! - `cvtColor(COLOR_RGB2GRAY)` for 8-bit (`color_rgb.simd.hpp`, `RGB2Gray<uchar>`): fixed point with
//!   `RY15 = 9798, GY15 = 19235, BY15 = 3735` (sum 2^15) and `gray_shift = 15`, rounded by adding
//!   2^14 before the shift. (The 14-bit `R2Y = 4899 ...` constants are OpenCV 3's; they disagree
//!   with 4.x on 43,864 of the 2^24 colours.)
//! - `resize(INTER_AREA)` when both scale factors are integers (`resizeAreaFast_`): the mean of each
//!   `kx x ky` block; for 2x2 it is `(a + b + c + d + 2) >> 2`, otherwise
//!   `saturate_cast<uchar>(float(sum) * (1.f / (kx * ky)))`.
//! - otherwise (`resizeArea_<uchar, float>` with the tables of `computeResizeAreaTab`): per output
//!   pixel the area-weighted mean of the covered input pixels, with separable float weights. The
//!   arithmetic is float32 in a fixed order: for each source row of the output row's footprint
//!   (in order), `buf = sum over the row's taps of (src * alpha)` accumulated left to right from 0,
//!   then `sum = beta * buf` for the first row and `sum = sum + beta * buf` after; the result is
//!   `saturate_cast<uchar>(sum)`, i.e. rounded half to even (`cvRound`) and clamped.

/// RGB to gray, exactly as OpenCV's 8-bit `COLOR_RGB2GRAY`.
#[inline(always)]
pub fn gray(r: u8, g: u8, b: u8) -> u8 {
    ((9798 * r as u32 + 19235 * g as u32 + 3735 * b as u32 + 16384) >> 15) as u8
}

/// `cvRound` then `saturate_cast<uchar>`: round half to even, clamp to [0, 255].
#[inline(always)]
pub fn round_u8(x: f32) -> u8 {
    let r = round_half_even(x);
    if r <= 0.0 {
        0
    } else if r >= 255.0 {
        255
    } else {
        r as u8
    }
}

/// Round half to even for |x| < 2^22 (f32::round_ties_even needs Rust 1.77): adding and removing
/// 1.5 * 2^23 leaves no fraction bits, so the default rounding mode (nearest, ties to even) decides.
#[inline(always)]
pub fn round_half_even(x: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    (x + MAGIC) - MAGIC
}

/// OpenCV's scale factor for one axis: `1. / inv_scale` with `inv_scale = dsize / ssize`, in f64.
/// (Not `ssize / dsize`: the two can differ in the last bit, and the tables depend on it.)
pub fn scale_of(ssize: usize, dsize: usize) -> f64 {
    1.0 / (dsize as f64 / ssize as f64)
}

/// `resizeAreaFast_` applies when both scales are integers (`|scale - int| < DBL_EPSILON`).
pub fn integer_scale(ssize: usize, dsize: usize) -> Option<usize> {
    let scale = scale_of(ssize, dsize);
    let k = scale.round();
    if (scale - k).abs() < f64::EPSILON {
        Some(k as usize)
    } else {
        None
    }
}

/// One axis of `computeResizeAreaTab`, grouped per output index: output `d` takes the taps
/// `start[d]..start[d + 1]` of `src`/`weight`, in OpenCV's order (increasing source index).
#[derive(Clone, Debug)]
pub struct AreaAxis {
    pub start: Vec<usize>,
    pub src: Vec<usize>,
    pub weight: Vec<f32>,
}

impl AreaAxis {
    pub fn new(ssize: usize, dsize: usize) -> Self {
        let scale = scale_of(ssize, dsize);
        let last = ssize as i64 - 1;
        let mut axis = AreaAxis { start: Vec::with_capacity(dsize + 1), src: Vec::new(), weight: Vec::new() };
        for d in 0..dsize {
            axis.start.push(axis.src.len());
            let fsx1 = d as f64 * scale;
            let fsx2 = fsx1 + scale;
            let cell = scale.min(ssize as f64 - fsx1);
            let sx2 = (fsx2.floor() as i64).min(last);
            let sx1 = (fsx1.ceil() as i64).min(sx2);
            if sx1 as f64 - fsx1 > 1e-3 {
                axis.push(sx1 - 1, ((sx1 as f64 - fsx1) / cell) as f32);
            }
            for sx in sx1..sx2 {
                axis.push(sx, (1.0 / cell) as f32);
            }
            if fsx2 - sx2 as f64 > 1e-3 {
                axis.push(sx2, ((fsx2 - sx2 as f64).min(1.0).min(cell) / cell) as f32);
            }
        }
        axis.start.push(axis.src.len());
        axis
    }

    fn push(&mut self, src: i64, weight: f32) {
        self.src.push(src as usize);
        self.weight.push(weight);
    }

    pub fn taps(&self, d: usize) -> std::ops::Range<usize> {
        self.start[d]..self.start[d + 1]
    }

    /// The most taps any output index has.
    pub fn max_taps(&self) -> usize {
        self.start.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
    }
}

/// One output value of `resizeArea_<uchar, float>` on a plane of exact integers stored as f32
/// (`row(sy)` is source row `sy`), with OpenCV's float32 operations in OpenCV's order.
pub fn area_value<'a>(row: impl Fn(usize) -> &'a [f32], x: &AreaAxis, y: &AreaAxis, dy: usize, dx: usize) -> u8 {
    let mut sum = 0f32;
    for j in y.taps(dy) {
        let row = row(y.src[j]);
        let mut buf = 0f32;
        for k in x.taps(dx) {
            buf += row[x.src[k]] * x.weight[k];
        }
        let term = y.weight[j] * buf;
        sum = if j == y.start[dy] { term } else { sum + term };
    }
    round_u8(sum)
}

/// One output value of `resizeAreaFast_` for integer factors `kx x ky`.
pub fn block_value(plane: &[f32], stride: usize, kx: usize, ky: usize, dy: usize, dx: usize) -> u8 {
    let mut sum = 0u32;
    for row in plane[dy * ky * stride..].chunks(stride).take(ky) {
        for &v in &row[dx * kx..dx * kx + kx] {
            sum += v as u32;
        }
    }
    if kx == 2 && ky == 2 {
        ((sum + 2) >> 2) as u8
    } else {
        round_u8(sum as f32 * (1.0f32 / (kx * ky) as f32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gray_matches_opencv_on_known_colours() {
        assert_eq!(gray(0, 0, 0), 0);
        assert_eq!(gray(255, 255, 255), 255);
        // Breakout's brick rows (reference table of ALE palette grays, equal to cv2's).
        assert_eq!(gray(200, 72, 72), 110);
        assert_eq!(gray(198, 108, 58), 129);
        // A colour where the old 14-bit constants round the other way: 14-bit gives 1, 15-bit 0.
        assert_eq!((4899 + 8192) >> 14, 0);
        assert_eq!(gray(1, 0, 0), 0);
        assert_eq!(gray(0, 1, 0), 1); // 19235 + 16384 >= 32768
    }

    #[test]
    fn rounds_half_to_even_and_saturates() {
        let cases = [(0.5, 0), (1.5, 2), (2.5, 2), (2.4999, 2), (2.5001, 3), (254.5, 254), (255.4, 255), (-0.3, 0)];
        for (x, want) in cases {
            assert_eq!(round_u8(x), want, "round_u8({x})");
        }
        assert_eq!(round_u8(300.0), 255);
    }

    #[test]
    fn atari_tables_are_the_documented_ones() {
        // 160 -> 84: scale 40/21, first outputs src0*0.525 + src1*0.475, src1*0.05 + src2*0.525 + src3*0.425.
        let x = AreaAxis::new(160, 84);
        assert_eq!(&x.src[x.taps(0)], &[0, 1]);
        assert_eq!(&x.weight[x.taps(0)], &[0.525f32, 0.475f32]);
        assert_eq!(&x.src[x.taps(1)], &[1, 2, 3]);
        let w1 = &x.weight[x.taps(1)];
        assert!((w1[0] - 0.05).abs() < 1e-6 && w1[1] == 0.525 && (w1[2] - 0.425).abs() < 1e-6, "{w1:?}");
        assert_eq!(x.max_taps(), 3);
        // 210 -> 84: scale 2.5, rows 5k: 0.4 0.4 0.2 and 5k+2: 0.2 0.4 0.4.
        let y = AreaAxis::new(210, 84);
        assert_eq!(&y.src[y.taps(0)], &[0, 1, 2]);
        assert_eq!(&y.weight[y.taps(0)], &[0.4f32, 0.4f32, 0.2f32]);
        assert_eq!(&y.src[y.taps(1)], &[2, 3, 4]);
        assert_eq!(&y.weight[y.taps(1)], &[0.2f32, 0.4f32, 0.4f32]);
        assert_eq!(y.start.len(), 85);
        assert_eq!(*y.src.last().unwrap(), 209);
    }

    #[test]
    fn every_output_takes_consecutive_sources_and_weights_sum_to_one() {
        for (s, d) in [(160, 84), (210, 84), (7, 3), (100, 99), (5, 1), (1000, 7), (3, 3)] {
            let axis = AreaAxis::new(s, d);
            for o in 0..d {
                let taps = axis.taps(o);
                let src = &axis.src[taps.clone()];
                assert!(src.windows(2).all(|w| w[1] == w[0] + 1), "{s}->{d} output {o}: {src:?}");
                let total: f64 = axis.weight[taps].iter().map(|&w| w as f64).sum();
                assert!((total - 1.0).abs() < 1e-5, "{s}->{d} output {o}: weights sum {total}");
            }
        }
    }

    #[test]
    fn integer_factors_are_detected_like_opencv() {
        assert_eq!(integer_scale(168, 84), Some(2));
        assert_eq!(integer_scale(84, 84), Some(1));
        assert_eq!(integer_scale(252, 84), Some(3));
        assert_eq!(integer_scale(210, 84), None);
        assert_eq!(integer_scale(160, 84), None);
    }

    #[test]
    fn block_means_round_like_opencv() {
        // 2x2 rounds half up ((sum + 2) >> 2): 1+2+1+2 = 6 -> 2 (1.5 up), 2+3+2+3 = 10 -> 3 (2.5 up).
        let plane = [1.0, 2.0, 2.0, 3.0, 1.0, 2.0, 2.0, 3.0];
        assert_eq!(block_value(&plane, 4, 2, 2, 0, 0), 2);
        assert_eq!(block_value(&plane, 4, 2, 2, 0, 1), 3);
        // Other factors round half to even: 1+2 = 3 over 2 -> 1.5 -> 2; 2+3 = 5 -> 2.5 -> 2.
        assert_eq!(block_value(&plane, 4, 2, 1, 0, 0), 2);
        assert_eq!(block_value(&plane, 4, 2, 1, 0, 1), 2);
    }
}
