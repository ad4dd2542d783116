/**
 * The one JSON serializer of acme-ts: every file the project writes (run records, checkpoint state,
 * summaries, table headers) goes through it, so no value changes on its round trip. Plain
 * `JSON.stringify` turns Infinity and NaN into `null` (a preset's `maxAbsReward: Infinity` once came
 * back as `null` and clipped every reward to 0) and typed arrays into index-keyed objects.
 *
 * Encoding, inside otherwise ordinary JSON:
 * - Infinity, -Infinity, NaN and -0 → `{"$number": "Infinity"}` (and "-Infinity", "NaN", "-0");
 * - a typed array → `{"$typed": "Float32Array", "base64": "..."}` (its bytes, little-endian);
 * - an object with a key that starts with `$` is escaped as `{"$object": {...}}`, so data can never
 *   be mistaken for an encoded value.
 * `undefined`, functions and symbols are dropped as JSON.stringify drops them; a Map, Set, Date or
 * class instance other than a typed array is refused rather than silently flattened.
 */
import { TYPED_ARRAY, type TypedArrayConstructor } from './specs/dtype.js';

const TYPED_CONSTRUCTORS: Record<string, TypedArrayConstructor> = {};
for (const ctor of Object.values(TYPED_ARRAY)) TYPED_CONSTRUCTORS[ctor.name] = ctor;

export interface JsonEncodeOptions {
  /** Indentation for people reading the file (default: none). */
  indent?: number;
}

/** `value` as text that `jsonDecode` turns back into an equal value. */
export function jsonEncode(value: unknown, options: JsonEncodeOptions = {}): string {
  return JSON.stringify(encode(value, '$'), null, options.indent);
}

/**
 * Parses `jsonEncode`'s text. `source` (a file name) is named in the error when the text is not
 * valid, so a damaged file is reported as that file, not as a bare parse error.
 */
export function jsonDecode(text: string, source = 'input'): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SyntaxError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return decode(raw, source, '$');
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function encode(value: unknown, path: string): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $number: Object.is(value, -0) ? '-0' : String(value) };
  }
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView)
      throw new TypeError(`jsonEncode: ${path} is a DataView; use a typed array`);
    const name = value.constructor.name;
    if (!(name in TYPED_CONSTRUCTORS)) throw new TypeError(`jsonEncode: ${path} is a ${name}, not supported`);
    if (!isLittleEndian()) throw new Error('jsonEncode: typed arrays need a little-endian machine');
    return {
      $typed: name,
      base64: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)),
    };
  }
  if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : encode(v, `${path}[${i}]`)));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as object).constructor?.name ?? 'object';
    throw new TypeError(
      `jsonEncode: ${path} is a ${kind}; only plain objects, arrays and typed arrays are kept`,
    );
  }
  const out: Record<string, unknown> = {};
  let escaped = false;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (k.startsWith('$')) escaped = true;
    out[k] = encode(v, `${path}.${k}`);
  }
  return escaped ? { $object: out } : out;
}

function decode(value: unknown, source: string, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => decode(v, source, `${path}[${i}]`));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const bad = (why: string): never => {
    throw new TypeError(`${source}: ${path} ${why}`);
  };
  if (keys.length === 1 && keys[0] === '$number') {
    const text = obj.$number;
    if (text === 'Infinity') return Number.POSITIVE_INFINITY;
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (text === 'NaN') return Number.NaN;
    if (text === '-0') return -0;
    return bad(`holds an unknown $number ${JSON.stringify(text)}`);
  }
  if (keys.length === 2 && '$typed' in obj && 'base64' in obj) {
    const ctor = typeof obj.$typed === 'string' ? TYPED_CONSTRUCTORS[obj.$typed] : undefined;
    if (!ctor) return bad(`holds an unknown $typed ${JSON.stringify(obj.$typed)}`);
    if (typeof obj.base64 !== 'string') return bad('has a base64 that is not a string');
    const bytes = fromBase64(obj.base64, () => bad('has invalid base64'));
    if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) {
      return bad(`holds ${bytes.byteLength} bytes, not a whole number of ${obj.$typed} elements`);
    }
    return new (ctor as unknown as new (buffer: ArrayBuffer) => unknown)(bytes.buffer as ArrayBuffer);
  }
  if (keys.length === 1 && keys[0] === '$object') {
    const inner = obj.$object;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
      return bad('has an invalid $object');
    return decodeObject(inner as Record<string, unknown>, source, path);
  }
  // Other `$` keys are plain data (older files wrote them unescaped; only the exact encodings above
  // could be confused with values, and jsonEncode escapes those).
  return decodeObject(obj, source, path);
}

function decodeObject(obj: Record<string, unknown>, source: string, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = decode(v, source, `${path}.${k}`);
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

// Base64 by hand (a dozen lines): Node's Buffer is absent in browsers, and btoa works on strings.
function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`;
  }
  return out;
}

function fromBase64(text: string, fail: () => never): Uint8Array {
  if (text.length % 4 !== 0) fail();
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const isPad = c === 61 && i + j >= text.length - pad;
      const v = isPad ? 0 : c < 128 ? LOOKUP[c]! : -1;
      if (v < 0) fail();
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
