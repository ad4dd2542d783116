/** dm_env's `specs` module; `specs.Array` is `ArraySpec`. */
export { ArraySpec as Array, ArraySpec, type ArraySpecChanges, describeValue } from './array.js';
export { type Bound, BoundedArray, type BoundedArrayChanges } from './bounded_array.js';
export { DiscreteArray, type DiscreteArrayChanges } from './discrete_array.js';
export {
  type ArrayValue,
  castScalar,
  type DType,
  dtypeOf,
  integerRange,
  isDType,
  isFloatDType,
  TYPED_ARRAY,
  type TypedArray,
  type TypedArrayConstructor,
} from './dtype.js';
export { type EnvironmentSpec, makeEnvironmentSpec } from './environment_spec.js';
export {
  flattenSpec,
  generateNestedValue,
  mapSpec,
  type Nested,
  type NestedSpec,
  nestedSpecsEqual,
  validateNested,
  zerosLike,
} from './nested.js';
