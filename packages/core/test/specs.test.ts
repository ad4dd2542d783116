import { describe, expect, it } from 'vitest';
import { ArraySpec, BoundedArray, DiscreteArray, specs } from '../src/index.js';
import {
  generateNestedValue,
  mapSpec,
  nestedSpecsEqual,
  validateNested,
  zerosLike,
} from '../src/specs/nested.js';

describe('ArraySpec', () => {
  const spec = new ArraySpec([2, 3], 'float32', 'obs');

  it('is dm_env specs.Array', () => {
    expect(specs.Array).toBe(ArraySpec);
    expect(spec.size).toBe(6);
    expect(String(spec)).toBe('Array(name="obs", shape=[2, 3], dtype=float32)');
  });

  it('validates exact dtype and length, naming the spec in errors', () => {
    const ok = new Float32Array(6);
    expect(spec.validate(ok)).toBe(ok);
    expect(() => spec.validate(new Float64Array(6))).toThrow(TypeError);
    expect(() => spec.validate(new Float64Array(6))).toThrow(/"obs".*dtype float64 differs from float32/);
    expect(() => spec.validate(new Float32Array(5))).toThrow(RangeError);
    expect(() => spec.validate([0, 0, 0, 0, 0, 0])).toThrow(/expected a Float32Array/);
    expect(() => spec.validate(1)).toThrow(TypeError);
  });

  it('scalars are numbers the dtype can hold exactly', () => {
    expect(new ArraySpec([], 'float64').validate(0.1)).toBe(0.1);
    expect(() => new ArraySpec([], 'float32', 'r').validate(0.1)).toThrow(
      /"r".*not exactly representable as float32/,
    );
    expect(new ArraySpec([], 'float32').validate(Math.fround(0.1))).toBe(Math.fround(0.1));
    expect(() => new ArraySpec([], 'int32').validate(1.5)).toThrow(RangeError);
    expect(() => new ArraySpec([], 'uint8').validate(256)).toThrow(RangeError);
    expect(() => new ArraySpec([], 'int32').validate(Number.NaN)).toThrow(/NaN/);
    expect(() => new ArraySpec([], 'float64').validate(new Float64Array(1))).toThrow(TypeError);
  });

  it('generates zeros; equality ignores the name; replace copies', () => {
    expect(spec.generateValue()).toEqual(new Float32Array(6));
    expect(new ArraySpec([], 'int32').generateValue()).toBe(0);
    expect(spec.equals(new ArraySpec([2, 3], 'float32', 'other'))).toBe(true);
    expect(spec.equals(new ArraySpec([3, 2], 'float32'))).toBe(false);
    expect(spec.equals(new ArraySpec([2, 3], 'float64'))).toBe(false);
    expect(spec.equals(new BoundedArray([2, 3], 'float32', 0, 1))).toBe(false);
    const replaced = spec.replace({ dtype: 'uint8' });
    expect(replaced.dtype).toBe('uint8');
    expect(replaced.shape).toEqual([2, 3]);
    expect(replaced.name).toBe('obs');
  });

  it('rejects bad constructor arguments', () => {
    expect(() => new ArraySpec([-1], 'float32')).toThrow(/shape/);
    expect(() => new ArraySpec([1.5], 'float32')).toThrow(TypeError);
    expect(() => new ArraySpec([1], 'float16' as never)).toThrow(/dtype/);
  });
});

describe('BoundedArray', () => {
  it('bounds are inclusive and broadcast from a scalar', () => {
    const spec = new BoundedArray([3], 'float64', -1, 1, 'action');
    expect(spec.validate(Float64Array.of(-1, 0, 1))).toBeInstanceOf(Float64Array);
    expect(() => spec.validate(Float64Array.of(-1, 0, 1.5))).toThrow(
      /"action".*element 2 = 1.5 is outside \[-1, 1\]/,
    );
    expect(() => spec.validate(Float64Array.of(0, Number.NaN, 0))).toThrow(RangeError);
    expect(spec.generateValue()).toEqual(Float64Array.of(-1, -1, -1));
  });

  it('per-element bounds, with infinite ones allowed', () => {
    const spec = new BoundedArray(
      [2],
      'float32',
      [0, Number.NEGATIVE_INFINITY],
      [1, Number.POSITIVE_INFINITY],
    );
    expect(() => spec.validate(Float32Array.of(0.5, -1e30))).not.toThrow();
    expect(() => spec.validate(Float32Array.of(-0.5, 0))).toThrow(/element 0/);
    expect(spec.generateValue()).toEqual(Float32Array.of(0, Number.NEGATIVE_INFINITY));
  });

  it('stores bounds rounded to the dtype', () => {
    const spec = new BoundedArray([], 'float32', 0, 0.41887903);
    expect(spec.maximum[0]).toBe(Math.fround(0.41887903));
    expect(spec.validate(Math.fround(0.41887903))).toBe(Math.fround(0.41887903));
  });

  it('rejects min > max, bad lengths and NaN bounds', () => {
    expect(() => new BoundedArray([2], 'float32', 1, 0)).toThrow(/exceeds maximum/);
    expect(() => new BoundedArray([2], 'float32', [0, 0, 0], 1)).toThrow(/3 elements/);
    expect(() => new BoundedArray([2], 'float32', Number.NaN, 1)).toThrow(TypeError);
    expect(() => new BoundedArray([], 'uint8', -1, 3)).toThrow(/not a uint8/);
  });

  it('equality compares the bounds', () => {
    const a = new BoundedArray([2], 'float32', 0, 1);
    expect(a.equals(new BoundedArray([2], 'float32', 0, 1, 'x'))).toBe(true);
    expect(a.equals(new BoundedArray([2], 'float32', 0, 2))).toBe(false);
    expect(a.replace({ maximum: 5 }).maximum).toEqual(Float64Array.of(5, 5));
  });
});

describe('DiscreteArray', () => {
  const spec = new DiscreteArray(3, 'int32', 'action');

  it('is a scalar in [0, numValues - 1]', () => {
    expect(spec.shape).toEqual([]);
    expect(spec.minimum[0]).toBe(0);
    expect(spec.maximum[0]).toBe(2);
    expect(spec.validate(2)).toBe(2);
    expect(spec.generateValue()).toBe(0);
    expect(String(spec)).toBe('DiscreteArray(name="action", dtype=int32, numValues=3)');
  });

  it('rejects out-of-range, fractional and non-number actions naming the spec', () => {
    expect(() => spec.validate(3)).toThrow(RangeError);
    expect(() => spec.validate(3)).toThrow(/"action".*rejects 3.*\[0, 2\]/);
    expect(() => spec.validate(-1)).toThrow(RangeError);
    expect(() => spec.validate(1.5)).toThrow(RangeError);
    expect(() => spec.validate('1')).toThrow(TypeError);
    expect(() => spec.validate(Int32Array.of(1))).toThrow(TypeError);
  });

  it('needs a positive count and an integer dtype big enough', () => {
    expect(() => new DiscreteArray(0)).toThrow(RangeError);
    expect(() => new DiscreteArray(2, 'float32')).toThrow(TypeError);
    expect(() => new DiscreteArray(300, 'uint8')).toThrow(/does not fit/);
    expect(new DiscreteArray(256, 'uint8').numValues).toBe(256);
    expect(spec.replace({ numValues: 5 }).numValues).toBe(5);
    expect(() => spec.replace({ shape: [2] })).toThrow(TypeError);
  });
});

describe('nested specs', () => {
  const tree = {
    observation: new ArraySpec([2], 'float32', 'observation'),
    action: new DiscreteArray(2, 'int32', 'action'),
    more: [new ArraySpec([], 'float64', 'reward')],
  };

  it('validates structure and leaves, naming the path', () => {
    const value = { observation: new Float32Array(2), action: 1, more: [0.5] };
    expect(validateNested(tree, value)).toBe(value);
    expect(() => validateNested(tree, { ...value, action: 2 })).toThrow(/"action"/);
    expect(() => validateNested(tree, { observation: new Float32Array(2), action: 1 })).toThrow(/keys/);
    expect(() => validateNested(tree, { ...value, more: [] })).toThrow(/at more: expected an array of 1/);
  });

  it('maps, generates and compares', () => {
    expect(mapSpec(tree, (leaf, path) => `${path}:${leaf.dtype}`)).toEqual({
      observation: 'observation:float32',
      action: 'action:int32',
      more: ['more[0]:float64'],
    });
    expect(generateNestedValue(tree)).toEqual({ observation: new Float32Array(2), action: 0, more: [0] });
    expect(zerosLike(new BoundedArray([], 'float64', 0, 1))).toBe(0);
    expect(nestedSpecsEqual(tree, { ...tree })).toBe(true);
    expect(nestedSpecsEqual(tree, { ...tree, more: [] })).toBe(false);
  });
});
