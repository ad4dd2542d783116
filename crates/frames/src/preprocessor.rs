//! `FramePreprocessor`: one environment's frames in, stacked observations out.

use crate::kernels::Kernels;
use crate::options::FrameOptions;
use crate::pipeline::Pipeline;
use crate::stack::FrameStack;
use acme_common::{ArgError, Result};

/// Turns raw RGB frames into stacked observations (the SB3 `WarpFrame` / baselines order):
/// element-wise max of the last two frames, OpenCV RGB->gray, OpenCV INTER_AREA resize, then a
/// stack of the last `k` results. Every method validates its arguments before changing anything.
pub struct FramePreprocessor {
    pipeline: Pipeline,
    stack: FrameStack,
}

impl FramePreprocessor {
    pub fn new(options: &FrameOptions) -> Result<Self> {
        Self::with_kernels(options, Kernels::best())
    }

    pub(crate) fn with_kernels(options: &FrameOptions, kernels: Kernels) -> Result<Self> {
        options.validate()?;
        options.check_memory("numStackedFrames", options.stack, 1)?;
        Ok(FramePreprocessor {
            pipeline: Pipeline::new(options, kernels),
            stack: FrameStack::new(options.processed_len(), options.stack),
        })
    }

    pub fn options(&self) -> &FrameOptions {
        &self.pipeline.options
    }

    /// Which kernel set runs ("avx512", "avx2", "simd128" or "scalar").
    pub fn kernel_name(&self) -> &'static str {
        self.pipeline.kernel_name()
    }

    pub fn heap_bytes(&self) -> usize {
        self.pipeline.heap_bytes() + self.stack.heap_bytes()
    }

    /// Starts an episode from its first frame (never pooled: there is no frame before it) and fills
    /// the rest of the stack as `options.reset_fill` says.
    pub fn reset(&mut self, frame: &[u8]) -> Result<()> {
        ArgError::check_len("frame", frame.len(), self.options().frame_len())?;
        self.pipeline.process(None, frame, self.stack.next_slot());
        self.stack.commit_push();
        self.stack.fill_others(self.options().reset_fill);
        Ok(())
    }

    /// Pushes the next observation: `latest`, max-pooled with `previous` when `pooledFrames` is 2
    /// (`previous` must then be given, and must be `None` when it is 1).
    pub fn step(&mut self, previous: Option<&[u8]>, latest: &[u8]) -> Result<()> {
        check_step(self.options(), previous, latest, 1)?;
        self.pipeline.process(previous, latest, self.stack.next_slot());
        self.stack.commit_push();
        Ok(())
    }

    /// `step`, then `read_u8` (one call from JavaScript instead of two); `out` is checked first,
    /// so a wrong one steps nothing.
    pub fn step_read_u8(&mut self, previous: Option<&[u8]>, latest: &[u8], out: &mut [u8]) -> Result<()> {
        ArgError::check_len("out", out.len(), self.options().observation_len())?;
        self.step(previous, latest)?;
        self.read_u8(out)
    }

    /// `step`, then `read_f32` (see `step_read_u8`).
    pub fn step_read_f32(&mut self, previous: Option<&[u8]>, latest: &[u8], out: &mut [f32]) -> Result<()> {
        ArgError::check_len("out", out.len(), self.options().observation_len())?;
        self.step(previous, latest)?;
        self.read_f32(out)
    }

    /// Writes the stacked observation (`height x width [x 3] x k`, oldest frame first).
    pub fn read_u8(&self, out: &mut [u8]) -> Result<()> {
        ArgError::check_len("out", out.len(), self.options().observation_len())?;
        self.stack.read_u8(&self.pipeline_kernels(), out);
        Ok(())
    }

    /// As `read_u8`, divided by 255.
    pub fn read_f32(&self, out: &mut [f32]) -> Result<()> {
        ArgError::check_len("out", out.len(), self.options().observation_len())?;
        self.stack.read_f32(out);
        Ok(())
    }

    fn pipeline_kernels(&self) -> Kernels {
        self.pipeline.kernels()
    }
}

/// The checks `step` makes, shared with the batched form (`count` frames per buffer).
pub(crate) fn check_step(o: &FrameOptions, previous: Option<&[u8]>, latest: &[u8], count: usize) -> Result<()> {
    match (o.pooled_frames, previous) {
        (2, None) => return Err(ArgError::type_error("previous must be a Uint8Array when pooledFrames is 2")),
        (1, Some(_)) => return Err(ArgError::type_error("previous must be null when pooledFrames is 1")),
        (_, Some(p)) => ArgError::check_len("previous", p.len(), o.frame_len() * count)?,
        _ => {}
    }
    ArgError::check_len("latest", latest.len(), o.frame_len() * count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ResetFill;

    fn frame(o: &FrameOptions, value: u8) -> Vec<u8> {
        vec![value; o.frame_len()]
    }

    /// Gray of a flat RGB value v is v, and a flat frame resizes to itself: handy to track frames.
    fn observation(p: &FramePreprocessor) -> Vec<u8> {
        let mut out = vec![0; p.options().observation_len()];
        p.read_u8(&mut out).unwrap();
        out
    }

    #[test]
    fn reset_fills_then_steps_push_oldest_first() {
        let o = FrameOptions { stack: 3, ..FrameOptions::default() };
        let mut p = FramePreprocessor::new(&o).unwrap();
        p.reset(&frame(&o, 10)).unwrap();
        assert_eq!(&observation(&p)[..3], &[0, 0, 10]);
        p.step(Some(&frame(&o, 20)), &frame(&o, 5)).unwrap(); // max-pooled: 20
        p.step(Some(&frame(&o, 1)), &frame(&o, 30)).unwrap();
        let obs = observation(&p);
        assert_eq!(&obs[..3], &[10, 20, 30]);
        assert!(obs.chunks(3).all(|c| c == [10, 20, 30]));
        // The fused forms step and read in one.
        let mut fused = vec![0u8; o.observation_len()];
        p.step_read_u8(Some(&frame(&o, 50)), &frame(&o, 2), &mut fused).unwrap();
        assert!(fused.chunks(3).all(|c| c == [20, 30, 50]));
        let mut floats = vec![0f32; o.observation_len()];
        p.step_read_f32(None, &frame(&o, 0), &mut floats).unwrap_err();
        p.step_read_f32(Some(&frame(&o, 0)), &frame(&o, 255), &mut floats).unwrap();
        assert!(floats.chunks(3).all(|c| c == [30.0 / 255.0, 50.0 / 255.0, 1.0]));
        p.step(Some(&frame(&o, 20)), &frame(&o, 5)).unwrap();
        p.step(Some(&frame(&o, 1)), &frame(&o, 30)).unwrap();
        p.step(Some(&frame(&o, 10)), &frame(&o, 10)).unwrap();
        let obs = observation(&p);
        assert!(obs.chunks(3).all(|c| c == [20, 30, 10]));
        let first = FrameOptions { reset_fill: ResetFill::First, ..o.clone() };
        let mut q = FramePreprocessor::new(&first).unwrap();
        q.step(Some(&frame(&o, 7)), &frame(&o, 7)).unwrap();
        q.reset(&frame(&o, 40)).unwrap();
        assert_eq!(&observation(&q)[..3], &[40, 40, 40]);
    }

    #[test]
    fn bad_arguments_are_refused_and_change_nothing() {
        let o = FrameOptions::default();
        let mut p = FramePreprocessor::new(&o).unwrap();
        p.reset(&frame(&o, 9)).unwrap();
        let before = observation(&p);
        let short = vec![0u8; 5];
        assert_eq!(p.reset(&short).unwrap_err().message, "frame must have length 100800, got 5");
        assert_eq!(p.step(Some(&short), &frame(&o, 1)).unwrap_err().message, "previous must have length 100800, got 5");
        assert_eq!(p.step(Some(&frame(&o, 1)), &short).unwrap_err().message, "latest must have length 100800, got 5");
        assert_eq!(
            p.step(None, &frame(&o, 1)).unwrap_err().message,
            "previous must be a Uint8Array when pooledFrames is 2"
        );
        assert_eq!(p.read_u8(&mut [0u8; 3]).unwrap_err().message, "out must have length 28224, got 3");
        assert_eq!(p.read_f32(&mut [0f32; 3]).unwrap_err().message, "out must have length 28224, got 3");
        let err = p.step_read_u8(Some(&frame(&o, 1)), &frame(&o, 1), &mut [0u8; 3]).unwrap_err();
        assert_eq!(err.message, "out must have length 28224, got 3");
        let err = p.step_read_f32(Some(&frame(&o, 1)), &frame(&o, 1), &mut [0f32; 3]).unwrap_err();
        assert_eq!(err.message, "out must have length 28224, got 3");
        assert_eq!(observation(&p), before);
        let single = FramePreprocessor::new(&FrameOptions { pooled_frames: 1, ..o.clone() });
        let mut single = single.unwrap();
        let err = single.step(Some(&frame(&o, 1)), &frame(&o, 1)).unwrap_err();
        assert_eq!(err.message, "previous must be null when pooledFrames is 1");
        assert!(FramePreprocessor::new(&FrameOptions { out_width: 161, ..o }).is_err());
    }
}
