/**
 * Value and key formatting shared by the text loggers. Acme formats floats with 3 decimals and
 * prints ints as they are; JavaScript has one number type, so integral numbers print as ints.
 */

/** Python's `str.title()`: a letter after a non-letter is upper-cased, every other letter lower-cased. */
export function pythonTitle(text: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const cased = lower !== upper;
    out += cased ? (previousCased ? lower : upper) : ch;
    previousCased = cased;
  }
  return out;
}

/** Acme's terminal key format: snake_case split into words, title-cased. */
export function formatKey(key: string): string {
  return pythonTitle(key.replaceAll('_', ' '));
}

function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

/** Acme's terminal value format: floats with 3 decimals; arrays element-wise in brackets. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (ArrayBuffer.isView(value) && 'length' in value) {
    return `[${Array.from(value as unknown as ArrayLike<number>, (x) => formatValue(x)).join(' ')}]`;
  }
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(toPlain(value));
  return String(value);
}

/** Typed arrays become plain arrays and NaN/±Infinity strings, so JSON can carry any log value. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && 'length' in value) {
    return Array.from(value as unknown as ArrayLike<number>, (x) => toPlain(x));
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

/** Acme's `serialize`: `Key = value` pairs sorted by key, joined by ' | '. */
export function serialize(values: Record<string, unknown>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${formatKey(k)} = ${formatValue(values[k])}`)
    .join(' | ');
}
