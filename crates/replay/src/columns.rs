//! Columnar item storage. Columns have a fixed element type and element count declared up front;
//! a row is stored per slot, one contiguous run per element type. Frame-stack columns hold a frame
//! id per row (see `frame_ring`), expanded into a stack of frames at gather time.
//!
//! Batch layout (both for insert input and for gather output): one buffer per element type;
//! inside it, the columns of that type follow each other in declared order, and each column holds
//! `batch` rows back to back. Column `c` of a batch of `n` is therefore the contiguous range
//! `[offset_c * n, (offset_c + size_c) * n)`, ready to become a tensor of shape `[n, ...shape]`
//! without a copy. A row (n = 1) is just the columns one after another.

use acme_common::{ArgError, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    F32,
    I32,
    U8,
    /// A frame id per row, gathered as a stack of `stack` frames.
    FrameStack,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    pub kind: ColumnKind,
    /// Elements per row (for frame stacks: frames per row, i.e. 1 id; the output size comes from
    /// the frame ring's frame size and stack depth).
    pub size: usize,
}

/// Where each column of each type lives within a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub columns: Vec<ColumnSpec>,
    /// (offset, size) of every column inside its type's row, in declared order per type.
    pub f32_columns: Vec<(usize, usize)>,
    pub i32_columns: Vec<(usize, usize)>,
    pub u8_columns: Vec<(usize, usize)>,
    pub f32_row: usize,
    pub i32_row: usize,
    pub u8_row: usize,
    /// Number of frame-stack columns (each stores one frame id per row).
    pub stack_columns: usize,
}

/// Limit on the elements of one column's row: keeps offsets and batch sizes far from overflow.
pub const MAX_COLUMN_SIZE: usize = 1 << 28;

impl Layout {
    pub fn new(columns: Vec<ColumnSpec>) -> Result<Layout> {
        let mut layout = Layout {
            columns: columns.clone(),
            f32_columns: Vec::new(),
            i32_columns: Vec::new(),
            u8_columns: Vec::new(),
            f32_row: 0,
            i32_row: 0,
            u8_row: 0,
            stack_columns: 0,
        };
        for (i, c) in columns.iter().enumerate() {
            if c.kind != ColumnKind::FrameStack && (c.size == 0 || c.size > MAX_COLUMN_SIZE) {
                return Err(ArgError::range(format!(
                    "columns[{i}].size must be an integer in [1, {MAX_COLUMN_SIZE}], got {}",
                    c.size
                )));
            }
            let (list, row) = match c.kind {
                ColumnKind::F32 => (&mut layout.f32_columns, &mut layout.f32_row),
                ColumnKind::I32 => (&mut layout.i32_columns, &mut layout.i32_row),
                ColumnKind::U8 => (&mut layout.u8_columns, &mut layout.u8_row),
                ColumnKind::FrameStack => {
                    layout.stack_columns += 1;
                    continue;
                }
            };
            list.push((*row, c.size));
            *row += c.size;
        }
        if layout.f32_row > MAX_COLUMN_SIZE || layout.i32_row > MAX_COLUMN_SIZE || layout.u8_row > MAX_COLUMN_SIZE {
            return Err(ArgError::range(format!(
                "the columns of one type may hold at most {MAX_COLUMN_SIZE} elements per row"
            )));
        }
        Ok(layout)
    }
}

/// Rows of one element type, one per slot, allocated as slots are first used.
#[derive(Clone, Debug, PartialEq)]
pub struct Rows<T: Copy + Default> {
    row: usize,
    capacity: usize,
    data: Vec<T>,
}

impl<T: Copy + Default> Rows<T> {
    pub fn new(row: usize, capacity: usize) -> Self {
        Rows { row, capacity, data: Vec::new() }
    }

    /// Makes sure `slot` has storage. Growth doubles (bounded by the capacity) so inserting is
    /// amortised O(row).
    #[inline]
    pub fn ensure(&mut self, slot: usize) {
        let needed = (slot + 1) * self.row;
        if needed > self.data.len() {
            let grown = (self.data.len() * 2).max(needed).max(64 * self.row).min(self.capacity * self.row);
            self.data.resize(grown, T::default());
        }
    }

    #[inline]
    pub fn row(&self, slot: usize) -> &[T] {
        &self.data[slot * self.row..(slot + 1) * self.row]
    }

    /// The row of `slot`, or an empty slice when rows of this type are empty.
    pub fn row_or_empty(&self, slot: usize) -> &[T] {
        if self.row == 0 {
            &[]
        } else {
            self.row(slot)
        }
    }

    #[inline]
    pub fn row_mut(&mut self, slot: usize) -> &mut [T] {
        &mut self.data[slot * self.row..(slot + 1) * self.row]
    }

    /// Copies row `i` of a column-major batch of `n` rows (see the module docs) into `slot`.
    pub fn write_from_batch(&mut self, slot: usize, columns: &[(usize, usize)], batch: &[T], n: usize, i: usize) {
        if self.row == 0 {
            return;
        }
        self.ensure(slot);
        let dst = self.row_mut(slot);
        for &(offset, size) in columns {
            let src = offset * n + i * size;
            dst[offset..offset + size].copy_from_slice(&batch[src..src + size]);
        }
    }

    /// Copies `slot` into row `i` of a column-major batch of `n` rows.
    pub fn read_into_batch(&self, slot: usize, columns: &[(usize, usize)], batch: &mut [T], n: usize, i: usize) {
        if self.row == 0 {
            return;
        }
        let src = self.row(slot);
        for &(offset, size) in columns {
            let dst = offset * n + i * size;
            batch[dst..dst + size].copy_from_slice(&src[offset..offset + size]);
        }
    }

    pub fn memory_bytes(&self) -> usize {
        self.data.capacity() * std::mem::size_of::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_groups_columns_by_type() {
        let l = Layout::new(vec![
            ColumnSpec { kind: ColumnKind::F32, size: 4 },
            ColumnSpec { kind: ColumnKind::I32, size: 1 },
            ColumnSpec { kind: ColumnKind::FrameStack, size: 1 },
            ColumnSpec { kind: ColumnKind::F32, size: 1 },
            ColumnSpec { kind: ColumnKind::U8, size: 3 },
        ])
        .unwrap();
        assert_eq!(l.f32_columns, vec![(0, 4), (4, 1)]);
        assert_eq!((l.f32_row, l.i32_row, l.u8_row, l.stack_columns), (5, 1, 3, 1));
        assert!(Layout::new(vec![ColumnSpec { kind: ColumnKind::U8, size: 0 }]).is_err());
    }

    #[test]
    fn batch_round_trip_is_column_major() {
        let columns = [(0usize, 2usize), (2, 1)];
        let mut rows = Rows::<f32>::new(3, 10);
        // Two rows: column 0 = [[1,2],[3,4]], column 1 = [[5],[6]].
        let batch = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        rows.write_from_batch(7, &columns, &batch, 2, 0);
        rows.write_from_batch(2, &columns, &batch, 2, 1);
        assert_eq!(rows.row(7), &[1.0, 2.0, 5.0]);
        assert_eq!(rows.row(2), &[3.0, 4.0, 6.0]);
        let mut out = [0f32; 6];
        rows.read_into_batch(2, &columns, &mut out, 2, 0);
        rows.read_into_batch(7, &columns, &mut out, 2, 1);
        assert_eq!(out, [3.0, 4.0, 1.0, 2.0, 6.0, 5.0]);
    }
}
