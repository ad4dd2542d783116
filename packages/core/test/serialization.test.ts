import { describe, expect, it } from 'vitest';
import { jsonDecode, jsonEncode } from '../src/index.js';

describe('jsonEncode / jsonDecode', () => {
  it('keeps what JSON loses: non-finite numbers, -0 and typed arrays', () => {
    const value = {
      maxAbsReward: Number.POSITIVE_INFINITY,
      low: Number.NEGATIVE_INFINITY,
      missing: Number.NaN,
      negativeZero: -0,
      schedule: [1, 0.5, Number.POSITIVE_INFINITY],
      weights: new Float32Array([1.5, -2, Number.NaN, 3e-39]),
      counts: new Int32Array([-7, 2 ** 31 - 1]),
      bytes: new Uint8Array([0, 1, 254, 255, 7]),
      state: new Uint32Array([0xdeadbeef, 1, 2, 3]),
      nested: { a: [{ b: new Float64Array([Math.PI]) }] },
    };
    const back = jsonDecode(jsonEncode(value)) as typeof value;
    expect(back.maxAbsReward).toBe(Number.POSITIVE_INFINITY);
    expect(back.low).toBe(Number.NEGATIVE_INFINITY);
    expect(back.missing).toBeNaN();
    expect(Object.is(back.negativeZero, -0)).toBe(true);
    expect(back.schedule).toEqual([1, 0.5, Number.POSITIVE_INFINITY]);
    expect(back.weights).toBeInstanceOf(Float32Array);
    expect(Array.from(back.weights)).toEqual(Array.from(value.weights));
    expect(back.counts).toEqual(value.counts);
    expect(back.bytes).toEqual(value.bytes);
    expect(back.state).toEqual(value.state);
    expect(back.nested.a[0]!.b).toEqual(new Float64Array([Math.PI]));
    // Base64 of every tail length (0, 1 and 2 bytes past a multiple of 3).
    for (let n = 0; n < 8; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      expect(jsonDecode(jsonEncode(bytes))).toEqual(bytes);
    }
  });

  it('escapes data that looks like an encoding', () => {
    const tricky = { $number: 'Infinity', other: { $typed: 'Float32Array', base64: 'AAAA' }, $spec: 'x' };
    expect(jsonDecode(jsonEncode(tricky))).toEqual(tricky);
  });

  it('is plain JSON for plain values, indented on request', () => {
    expect(jsonEncode({ a: 1, b: 'x', c: [true, null] })).toBe('{"a":1,"b":"x","c":[true,null]}');
    expect(jsonEncode({ a: 1 }, { indent: 2 })).toBe('{\n  "a": 1\n}');
  });

  it('refuses what it cannot bring back, naming where it is', () => {
    expect(() => jsonEncode({ when: new Date(0) })).toThrow('$.when is a Date');
    expect(() => jsonEncode({ m: [new Map()] })).toThrow('$.m[0] is a Map');
  });

  it('names the source and the place of damage', () => {
    expect(() => jsonDecode('{"a": 1', 'runs/x/run.json')).toThrow(/^runs\/x\/run\.json: not valid JSON/);
    expect(() => jsonDecode('{"a": {"$number": "lots"}}', 'f.json')).toThrow(
      'f.json: $.a holds an unknown $number',
    );
    expect(() => jsonDecode('{"w": {"$typed": "Float32Array", "base64": "AAA"}}', 'f.json')).toThrow(
      'f.json: $.w has invalid base64',
    );
    expect(() => jsonDecode('{"w": {"$typed": "Float32Array", "base64": "AAAA"}}', 'f.json')).toThrow(
      /3 bytes, not a whole number of Float32Array elements/,
    );
  });
});
