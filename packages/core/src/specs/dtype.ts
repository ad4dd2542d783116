/**
 * Element types of spec'd values. A value of shape `[]` is a plain `number`; any other shape is a
 * flat, row-major typed array whose class is the dtype's (dm_env compares dtypes exactly, and so
 * do we: a Float64Array does not conform to a float32 spec).
 */
export type DType = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

/** A leaf value: a scalar for shape `[]`, a typed array otherwise. */
export type ArrayValue = number | TypedArray;

export interface TypedArrayConstructor {
  new (length: number): TypedArray;
  new (values: ArrayLike<number>): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
}

export const TYPED_ARRAY: Readonly<Record<DType, TypedArrayConstructor>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

const INTEGER_RANGE: Readonly<Partial<Record<DType, readonly [number, number]>>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(TYPED_ARRAY, value);
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** [min, max] representable by an integer dtype; undefined for float dtypes. */
export function integerRange(dtype: DType): readonly [number, number] | undefined {
  return INTEGER_RANGE[dtype];
}

/** The dtype of a typed array, or undefined for anything else (Uint8ClampedArray included). */
export function dtypeOf(value: unknown): DType | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const ctor = (value as TypedArray).constructor;
  for (const key in TYPED_ARRAY) {
    if (TYPED_ARRAY[key as DType] === ctor) return key as DType;
  }
  return undefined;
}

/** Rounds `x` to the nearest value representable in `dtype` the way a typed-array store would. */
export function castScalar(x: number, dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return x;
    case 'float32':
      return Math.fround(x);
    default: {
      const out = new TYPED_ARRAY[dtype](1);
      out[0] = x;
      return out[0]!;
    }
  }
}
