/**
 * How a `ReplayEngine` stores items: fixed-shape columns of float32, int32 or uint8 declared up
 * front, and frame-stack columns whose rows are ids of frames kept once in a ring (Atari:
 * observation and next observation share their frames) and rebuilt into stacks when gathered.
 *
 * Batches are column-major: one buffer per element type, in which each column holds all rows of
 * the batch back to back. A column of a batch is therefore one contiguous view, ready to become a
 * tensor of shape `[batch, ...shape]` without a copy. `ReplayBatch` allocates such buffers once
 * and names the views.
 */
import { describe, MAX_BATCH } from './args.js';

export type ColumnDtype = 'float32' | 'int32' | 'uint8';

export interface DataColumnSpec {
  readonly name: string;
  readonly dtype: ColumnDtype;
  /** Shape of one row; `[]` (the default) is a scalar. */
  readonly shape?: readonly number[];
}

/** A stack of the last `frames.stack` frames of an episode, stored as one frame id per row. */
export interface FrameStackColumnSpec {
  readonly name: string;
  readonly frameStack: true;
}

export type ColumnSpec = DataColumnSpec | FrameStackColumnSpec;

export interface FramesOptions {
  /** Shape of one frame, e.g. `[84, 84]`. */
  readonly shape: readonly number[];
  /**
   * Frames kept. When a frame leaves the ring, items whose stacks use it are deleted, so keep a
   * few more frames than items: the default, maxSize + maxSize/32 + 64, covers the extra first
   * frame of every episode for episodes longer than about 32 steps. A ring that is too small
   * only makes the oldest items leave a little early; no item ever sees an overwritten frame.
   */
  readonly capacity?: number;
  /** Frames per stack (default 4). */
  readonly stack?: number;
  /**
   * What stands for frames before an episode's first frame, as the frame stacker's option of the
   * same name: `'zeros'` (default; Acme's FrameStacker, SB3's VecFrameStack) or `'first'`
   * (copies of the first frame: Gymnasium's FrameStackObservation, OpenAI baselines).
   */
  readonly resetFill?: 'zeros' | 'first';
  /** `'last'` (default): a stack is `[...shape, stack]` (Acme, channels-last); `'first'`: `[stack, ...shape]`. */
  readonly axis?: 'last' | 'first';
}

export interface ColumnLayout {
  readonly name: string;
  readonly kind: ColumnDtype | 'frameStack';
  /** Shape of one gathered row. */
  readonly shape: readonly number[];
  /** Elements of one gathered row. */
  readonly size: number;
  /** Position, in elements of one row, inside its buffer (`stacks` for frame stacks). */
  readonly offset: number;
  /** For frame stacks: which frame-id column (0, 1, ...). */
  readonly stackIndex: number;
}

export interface ResolvedFrames {
  readonly shape: readonly number[];
  readonly frameSize: number;
  readonly capacity: number;
  readonly stack: number;
  readonly resetFill: 'zeros' | 'first';
  readonly axis: 'last' | 'first';
}

function positiveIntegers(shape: unknown, name: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number')) {
    throw new TypeError(`${name} must be an array of numbers`);
  }
  for (const d of shape as number[]) {
    if (!(Number.isInteger(d) && d >= 1))
      throw new RangeError(`${name} must hold integers >= 1, got ${describe(shape)}`);
  }
  return [...(shape as number[])];
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Where every column lives in rows and batches; shared by an engine and its batches. */
export class ReplayLayout {
  readonly columns: readonly ColumnLayout[];
  readonly frames: ResolvedFrames | undefined;
  /** Elements of one row per buffer. */
  readonly float32Row: number;
  readonly int32Row: number;
  readonly uint8Row: number;
  /** Bytes of one row of gathered stacks (all frame-stack columns). */
  readonly stackRow: number;
  readonly stackColumns: number;
  readonly #byName: Map<string, ColumnLayout>;

  constructor(columns: readonly ColumnSpec[], frames: FramesOptions | undefined, maxSize: number) {
    if (!Array.isArray(columns)) throw new TypeError('columns must be an array');
    this.frames = frames === undefined ? undefined : resolveFrames(frames, maxSize);
    const rows = { float32: 0, int32: 0, uint8: 0 };
    let stackIndex = 0;
    const out: ColumnLayout[] = [];
    this.#byName = new Map();
    columns.forEach((c, i) => {
      if (typeof c?.name !== 'string' || c.name === '') {
        throw new TypeError(`columns[${i}].name must be a non-empty string`);
      }
      if (this.#byName.has(c.name)) throw new RangeError(`columns[${i}].name "${c.name}" is used twice`);
      let layout: ColumnLayout;
      if ('frameStack' in c && c.frameStack === true) {
        const f = this.frames;
        if (!f)
          throw new RangeError(
            `columns[${i}] ("${c.name}") is a frame stack, so the frames option is required`,
          );
        const shape = f.axis === 'last' ? [...f.shape, f.stack] : [f.stack, ...f.shape];
        const size = f.frameSize * f.stack;
        layout = { name: c.name, kind: 'frameStack', shape, size, offset: stackIndex * size, stackIndex };
        stackIndex++;
      } else {
        const dtype = (c as DataColumnSpec).dtype;
        if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'uint8') {
          throw new TypeError(
            `columns[${i}].dtype must be 'float32', 'int32' or 'uint8', got ${describe(dtype)}`,
          );
        }
        const shape = positiveIntegers((c as DataColumnSpec).shape ?? [], `columns[${i}].shape`);
        const size = product(shape);
        layout = { name: c.name, kind: dtype, shape, size, offset: rows[dtype], stackIndex: -1 };
        rows[dtype] += size;
      }
      out.push(layout);
      this.#byName.set(c.name, layout);
    });
    this.columns = out;
    this.float32Row = rows.float32;
    this.int32Row = rows.int32;
    this.uint8Row = rows.uint8;
    this.stackColumns = stackIndex;
    this.stackRow = this.frames ? stackIndex * this.frames.frameSize * this.frames.stack : 0;
  }

  column(name: string): ColumnLayout {
    const c = typeof name === 'string' ? this.#byName.get(name) : undefined;
    if (!c) {
      const names = this.columns.map((col) => JSON.stringify(col.name)).join(', ');
      throw new RangeError(`name must be one of the columns (${names}), got ${describe(name)}`);
    }
    return c;
  }

  /** `[kind code, size]` per column, as the core decodes them. */
  encodeColumns(): number[] {
    const codes = { float32: 0, int32: 1, uint8: 2, frameStack: 3 } as const;
    // A frame-stack column stores one frame id per row.
    return this.columns.flatMap((c) => [codes[c.kind], c.kind === 'frameStack' ? 1 : c.size]);
  }
}

function resolveFrames(frames: FramesOptions, maxSize: number): ResolvedFrames {
  if (typeof frames !== 'object' || frames === null) throw new TypeError('frames must be an object');
  const shape = positiveIntegers(frames.shape, 'frames.shape');
  if (shape.length === 0) throw new RangeError('frames.shape must have at least one dimension');
  if (frames.capacity === undefined && typeof maxSize !== 'number') {
    throw new TypeError(
      `maxSize must be a number (frames.capacity defaults from it), got ${describe(maxSize)}`,
    );
  }
  const capacity = frames.capacity ?? maxSize + Math.ceil(maxSize / 32) + 64;
  const stack = frames.stack ?? 4;
  if (typeof capacity !== 'number') throw new TypeError('frames.capacity must be a number');
  if (typeof stack !== 'number') throw new TypeError('frames.stack must be a number');
  const resetFill = frames.resetFill ?? 'zeros';
  if (resetFill !== 'zeros' && resetFill !== 'first') {
    throw new RangeError(`frames.resetFill must be 'zeros' or 'first', got ${describe(resetFill)}`);
  }
  const axis = frames.axis ?? 'last';
  if (axis !== 'last' && axis !== 'first')
    throw new RangeError(`frames.axis must be 'last' or 'first', got ${describe(axis)}`);
  return { shape, frameSize: product(shape), capacity, stack, resetFill, axis };
}

export type ColumnArray = Float32Array | Int32Array | Uint8Array;

/**
 * Preallocated buffers for `size` rows, with a named view per column. Fill the views and insert
 * the batch, or gather into it and read the views; reuse it for every step.
 */
export class ReplayBatch {
  readonly size: number;
  readonly float32: Float32Array;
  readonly int32: Int32Array;
  readonly uint8: Uint8Array;
  /** Gathered frame stacks (output only). */
  readonly stacks: Uint8Array;
  /** Newest frame id of each row's stack, per frame-stack column (input only). */
  readonly frameIds: Float64Array;
  /** Per column: its rows (for frame stacks, the gathered stacks). */
  readonly columns: Readonly<Record<string, ColumnArray>>;
  /** Per frame-stack column: the frame ids to insert. */
  readonly frameIdColumns: Readonly<Record<string, Float64Array>>;

  constructor(
    readonly layout: ReplayLayout,
    size: number,
  ) {
    if (!(layout instanceof ReplayLayout)) {
      throw new TypeError(`layout must be a ReplayLayout (an engine's layout), got ${describe(layout)}`);
    }
    if (!(Number.isInteger(size) && size >= 0 && size <= MAX_BATCH))
      throw new RangeError(`size must be an integer in [0, ${MAX_BATCH}], got ${describe(size)}`);
    this.size = size;
    try {
      this.float32 = new Float32Array(layout.float32Row * size);
      this.int32 = new Int32Array(layout.int32Row * size);
      this.uint8 = new Uint8Array(layout.uint8Row * size);
      this.stacks = new Uint8Array(layout.stackRow * size);
      this.frameIds = new Float64Array(layout.stackColumns * size);
    } catch (err) {
      // V8 says "Invalid typed array length" or "Array buffer allocation failed": name the cause.
      const bytes =
        (4 * layout.float32Row +
          4 * layout.int32Row +
          layout.uint8Row +
          layout.stackRow +
          8 * layout.stackColumns) *
        size;
      throw new RangeError(
        `size = ${size} needs ${bytes} bytes of buffers, more than can be allocated (${(err as Error).message})`,
      );
    }
    const columns: Record<string, ColumnArray> = {};
    const frameIdColumns: Record<string, Float64Array> = {};
    for (const c of layout.columns) {
      const range = [c.offset * size, (c.offset + c.size) * size] as const;
      if (c.kind === 'frameStack') {
        columns[c.name] = this.stacks.subarray(...range);
        frameIdColumns[c.name] = this.frameIds.subarray(c.stackIndex * size, (c.stackIndex + 1) * size);
      } else {
        columns[c.name] = (
          c.kind === 'float32' ? this.float32 : c.kind === 'int32' ? this.int32 : this.uint8
        ).subarray(...range);
      }
    }
    this.columns = columns;
    this.frameIdColumns = frameIdColumns;
  }

  /** Row `i` of column `name` (a view, no copy). */
  row(name: string, i: number): ColumnArray {
    const c = this.layout.column(name);
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) {
      throw new RangeError(`i must be a row index, an integer in [0, ${this.size}), got ${describe(i)}`);
    }
    return this.columns[name]!.subarray(i * c.size, (i + 1) * c.size);
  }
}
