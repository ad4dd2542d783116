use acme_common::{ArgError, Result};

/// The shape of one NHWC convolution, as TensorFlow.js's `computeConv2DInfo` describes it:
/// `x [batch, inHeight, inWidth, inChannels]`, `filter [filterHeight, filterWidth, inChannels,
/// outChannels]`, `y [batch, outHeight, outWidth, outChannels]`. Output pixel `(oy, ox)` reads input
/// row `oy * strideHeight + ky * dilationHeight - padTop` (columns alike); rows and columns outside
/// the input are zeros, so bottom and right padding need no field of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2dGeometry {
    pub batch: usize,
    pub in_height: usize,
    pub in_width: usize,
    pub in_channels: usize,
    pub out_height: usize,
    pub out_width: usize,
    pub out_channels: usize,
    pub filter_height: usize,
    pub filter_width: usize,
    pub stride_height: usize,
    pub stride_width: usize,
    pub dilation_height: usize,
    pub dilation_width: usize,
    pub pad_top: usize,
    pub pad_left: usize,
}

/// The field names, in the order the bindings pass them.
pub const FIELDS: [&str; 15] = [
    "batch",
    "inHeight",
    "inWidth",
    "inChannels",
    "outHeight",
    "outWidth",
    "outChannels",
    "filterHeight",
    "filterWidth",
    "strideHeight",
    "strideWidth",
    "dilationHeight",
    "dilationWidth",
    "padTop",
    "padLeft",
];

/// The largest element count or coordinate a geometry may describe (i32::MAX, as in tfjs).
const LIMIT: u64 = i32::MAX as u64;

/// Fields that must be at least 1 (filter sizes, strides, dilations); the rest may be 0.
const POSITIVE: [bool; 15] =
    [false, false, false, false, false, false, false, true, true, true, true, true, true, false, false];

impl Conv2dGeometry {
    /// Reads the 15 fields in `FIELDS` order, checking that each is a sane size and that every tensor
    /// it describes fits in memory.
    pub fn from_fields(values: &[i32]) -> Result<Self> {
        ArgError::check_len("geometry", values.len(), FIELDS.len())?;
        let mut v = [0usize; 15];
        for (i, &raw) in values.iter().enumerate() {
            let min = if POSITIVE[i] { 1 } else { 0 };
            if raw < min {
                return Err(ArgError::range(format!("geometry.{} must be at least {min}, got {raw}", FIELDS[i])));
            }
            v[i] = raw as usize;
        }
        let g = Conv2dGeometry {
            batch: v[0],
            in_height: v[1],
            in_width: v[2],
            in_channels: v[3],
            out_height: v[4],
            out_width: v[5],
            out_channels: v[6],
            filter_height: v[7],
            filter_width: v[8],
            stride_height: v[9],
            stride_width: v[10],
            dilation_height: v[11],
            dilation_width: v[12],
            pad_top: v[13],
            pad_left: v[14],
        };
        // Every count and coordinate the kernels compute must fit in an i32 on both binaries (in
        // u64 here): with a 32-bit usize (wasm) a larger one would wrap and index out of bounds,
        // while napi would compute it; both now refuse it alike before any work.
        let sizes = [
            ("x", [g.batch, g.in_height, g.in_width, g.in_channels]),
            ("y", [g.batch, g.out_height, g.out_width, g.out_channels]),
            ("filter", [g.filter_height, g.filter_width, g.in_channels, g.out_channels]),
            // The im2col matrix: output pixels by patch elements.
            ("im2col", [g.batch, g.out_height, g.out_width, g.filter_height * g.filter_width * g.in_channels]),
        ];
        for (tensor, dims) in &sizes {
            let elements = dims.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d as u64));
            if elements.map_or(true, |e| e > LIMIT) {
                return Err(ArgError::range(format!(
                    "geometry describes a {tensor} of more than {LIMIT} elements: {dims:?}"
                )));
            }
        }
        let axes = [
            ("Height", g.out_height, g.stride_height, g.filter_height, g.dilation_height),
            ("Width", g.out_width, g.stride_width, g.filter_width, g.dilation_width),
        ];
        for (axis, out, stride, filter, dilation) in axes {
            // The last input row (column) a window reaches, before padding is subtracted.
            let reach = (out.max(1) as u64 - 1) * stride as u64 + (filter as u64 - 1) * dilation as u64;
            if reach > LIMIT {
                return Err(ArgError::range(format!(
                    "geometry.stride{axis} = {stride} with out{axis} = {out}, filter{axis} = {filter} and \
                     dilation{axis} = {dilation} reaches input position {reach}, beyond {LIMIT}"
                )));
            }
        }
        Ok(g)
    }

    /// Elements of `x`.
    pub fn input_len(&self) -> usize {
        self.batch * self.in_height * self.in_width * self.in_channels
    }

    /// Elements of `y` (and of `dy`).
    pub fn output_len(&self) -> usize {
        self.batch * self.out_height * self.out_width * self.out_channels
    }

    /// Elements of the filter.
    pub fn filter_len(&self) -> usize {
        self.filter_height * self.filter_width * self.in_channels * self.out_channels
    }

    /// Output pixels over the whole batch: the rows of the im2col matrix.
    pub(crate) fn pixels(&self) -> usize {
        self.batch * self.out_height * self.out_width
    }

    /// Length of one im2col row: `filterHeight * filterWidth * inChannels`.
    pub(crate) fn patch_len(&self) -> usize {
        self.filter_height * self.filter_width * self.in_channels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acme_common::ErrorKind;

    const NATURE_CONV1: [i32; 15] = [32, 84, 84, 4, 20, 20, 32, 8, 8, 4, 4, 1, 1, 0, 0];

    #[test]
    fn reads_the_fields_in_order() {
        let g = Conv2dGeometry::from_fields(&NATURE_CONV1).unwrap();
        assert_eq!(g.input_len(), 32 * 84 * 84 * 4);
        assert_eq!(g.output_len(), 32 * 20 * 20 * 32);
        assert_eq!(g.filter_len(), 8 * 8 * 4 * 32);
        assert_eq!(g.patch_len(), 256);
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let err = Conv2dGeometry::from_fields(&NATURE_CONV1[..14]).unwrap_err();
        assert_eq!(err.message, "geometry must have length 15, got 14");
        let mut bad = NATURE_CONV1;
        bad[9] = 0;
        let err = Conv2dGeometry::from_fields(&bad).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Range);
        assert_eq!(err.message, "geometry.strideHeight must be at least 1, got 0");
        bad = NATURE_CONV1;
        bad[13] = -1;
        assert_eq!(
            Conv2dGeometry::from_fields(&bad).unwrap_err().message,
            "geometry.padTop must be at least 0, got -1"
        );
        bad = NATURE_CONV1;
        bad[0] = i32::MAX;
        bad[1] = i32::MAX;
        bad[2] = i32::MAX;
        assert!(Conv2dGeometry::from_fields(&bad).unwrap_err().message.starts_with("geometry describes a x of more"));
    }

    #[test]
    fn refuses_strides_that_reach_past_an_i32_on_every_platform() {
        // One output column and a huge stride is fine (the stride is never applied)...
        let mut g = [1, 4, 4, 1, 1, 1, 1, 1, 1, 1, i32::MAX, 1, 1, 0, 0];
        assert!(Conv2dGeometry::from_fields(&g).is_ok());
        // ...three are not: column 2 would start at 2 * (2^31 - 1), which wraps a 32-bit usize.
        g[5] = 3;
        let err = Conv2dGeometry::from_fields(&g).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Range);
        assert!(err.message.starts_with("geometry.strideWidth = 2147483647 with outWidth = 3"), "{}", err.message);
    }
}
