use acme_common::{ArgError, Result};

/// `out[s] = sum of data[r] over the rows r whose segment_ids[r] == s` (TensorFlow's
/// `UnsortedSegmentSum`, the gradient of `gather`). `data` is `segment_ids.len()` rows of equal
/// length, `out` is `num_segments` rows of that length. As in TensorFlow, rows with a negative id
/// are dropped and an id at or past `num_segments` is an error; it is found before anything is
/// written.
pub fn unsorted_segment_sum(data: &[f32], segment_ids: &[i32], num_segments: usize, out: &mut [f32]) -> Result<()> {
    let inner = if segment_ids.is_empty() {
        if !data.is_empty() {
            return Err(ArgError::range(format!("data must be empty when segmentIds is, got {} elements", data.len())));
        }
        out.len().checked_div(num_segments).unwrap_or(0)
    } else {
        if data.len() % segment_ids.len() != 0 {
            return Err(ArgError::range(format!(
                "data length ({}) must be a multiple of segmentIds length ({})",
                data.len(),
                segment_ids.len()
            )));
        }
        data.len() / segment_ids.len()
    };
    ArgError::check_len("out", out.len(), num_segments * inner)?;
    if let Some((i, &id)) = segment_ids.iter().enumerate().find(|(_, &id)| id >= 0 && id as usize >= num_segments) {
        return Err(ArgError::range(format!("segmentIds[{i}] = {id} is out of range [0, {num_segments})")));
    }
    for v in out.iter_mut() {
        *v = 0.0;
    }
    if inner == 0 {
        return Ok(());
    }
    for (row, &id) in data.chunks_exact(inner).zip(segment_ids) {
        if id < 0 {
            continue;
        }
        let dst = &mut out[id as usize * inner..(id as usize + 1) * inner];
        for (d, &v) in dst.iter_mut().zip(row) {
            *d += v;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_rows_into_their_segments_and_drops_negative_ids() {
        let data = [1.0, 2.0, 10.0, 20.0, 100.0, 200.0, 5.0, 5.0];
        let mut out = [9f32; 6];
        unsorted_segment_sum(&data, &[2, 0, 2, -1], 3, &mut out).unwrap();
        assert_eq!(out, [10.0, 20.0, 0.0, 0.0, 101.0, 202.0]);
    }

    #[test]
    fn refuses_out_of_range_ids_and_bad_lengths_before_writing() {
        let mut out = [9f32; 2];
        let err = unsorted_segment_sum(&[1.0, 2.0], &[0, 2], 2, &mut out).unwrap_err();
        assert_eq!(err.message, "segmentIds[1] = 2 is out of range [0, 2)");
        assert_eq!(out, [9.0, 9.0]);
        let err = unsorted_segment_sum(&[1.0, 2.0, 3.0], &[0, 1], 2, &mut out).unwrap_err();
        assert_eq!(err.message, "data length (3) must be a multiple of segmentIds length (2)");
        let err = unsorted_segment_sum(&[1.0, 2.0], &[0, 1], 3, &mut out).unwrap_err();
        assert_eq!(err.message, "out must have length 3, got 2");
        unsorted_segment_sum(&[], &[], 2, &mut out).unwrap();
        assert_eq!(out, [0.0, 0.0]);
    }
}
