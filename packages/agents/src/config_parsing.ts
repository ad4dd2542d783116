/**
 * How every agent's config is checked: one zod schema per agent, built from fields that each say
 * in words what they allow, so that an error reads `<source>: <key> must be <allowed>, got <value>`
 * whether the config came from a preset, a `--set` on the command line or a run's `run.json`.
 *
 * zod checks the types and ranges (a maintained library instead of hand-written checks that
 * drift); this module only turns its issues into messages a person can act on.
 */
import { z } from 'zod';

/** A config field: its schema and, in words, what it allows (the message after "must be"). */
export interface ConfigField {
  schema: z.ZodType;
  allowed: string;
}

/** Schemas for the value kinds configs use, each with its words. */
export const fields = {
  integer: (min: number): ConfigField => ({
    schema: z.number().int().min(min),
    allowed: `an integer >= ${min}`,
  }),
  /** zod 4 numbers are finite: Infinity and NaN are rejected here. */
  positive: (): ConfigField => ({ schema: z.number().positive(), allowed: 'a finite number > 0' }),
  nonNegative: (): ConfigField => ({ schema: z.number().min(0), allowed: 'a finite number >= 0' }),
  unit: (): ConfigField => ({ schema: z.number().min(0).max(1), allowed: 'a number in [0, 1]' }),
  /** A limit where Infinity means "no limit" (the one serializer keeps Infinity through JSON). */
  positiveOrInfinity: (meaning: string): ConfigField => ({
    schema: z.union([z.number().positive(), z.literal(Number.POSITIVE_INFINITY)]),
    allowed: `a number > 0, or Infinity (${meaning})`,
  }),
  boolean: (): ConfigField => ({ schema: z.boolean(), allowed: 'true or false' }),
};

/** The strict object schema of `fields` (unknown keys are errors: a typo must not pass unnoticed). */
export function objectSchema(fieldsByKey: Readonly<Record<string, ConfigField>>): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(fieldsByKey)) shape[key] = field.schema;
  return z.strictObject(shape);
}

/** The same object with every key optional: overrides of some keys of a complete config. */
export function partialSchema(fieldsByKey: Readonly<Record<string, ConfigField>>): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(fieldsByKey)) shape[key] = field.schema.optional();
  return z.strictObject(shape);
}

/**
 * The first problem zod found in `raw`, in words: where, what, and the value found there
 * (`steps Too small: expected number to be >=1 (got -5)`), for files checked by a schema.
 */
export function schemaProblem(error: z.ZodError, raw: unknown): string {
  const issue = error.issues[0]!;
  const got = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown>)?.[k as PropertyKey],
    raw,
  );
  const shown = ArrayBuffer.isView(got) ? `a ${got.constructor.name}` : showValue(got);
  return `${issue.path.join('.') || '(top level)'} ${issue.message} (got ${shown})`;
}

/** A value as a person would type it: numbers and words bare, strings quoted, the rest as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One message for each problem zod found, in terms of the config's keys and their words. */
function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  fieldsByKey: Readonly<Record<string, ConfigField>>,
  what: string,
): string {
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; keys: ${Object.keys(fieldsByKey).join(', ')}`;
  }
  const key = issue.path[0];
  if (typeof key !== 'string' || !Object.hasOwn(fieldsByKey, key)) {
    return `${what} must be an object of ${Object.keys(fieldsByKey).join(', ')}, got ${showValue(raw)}`;
  }
  const field = fieldsByKey[key]!;
  const value = valueAt(raw, [key]);
  if (value === undefined) return `${key} is missing; it must be ${field.allowed}`;
  return `${key} must be ${field.allowed}, got ${showValue(value)}`;
}

/**
 * Parses `raw` with `schema`; on failure throws a TypeError (only wrong types) or RangeError
 * whose message starts with `source` (where the values came from: a file, `--set key=value`, a
 * preset) and names each bad key, its value and what it allows.
 */
export function parseConfig<T>(
  schema: z.ZodType<T>,
  fieldsByKey: Readonly<Record<string, ConfigField>>,
  raw: unknown,
  source: string,
  what: string,
): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  // A key with several problems (a union's branches) is reported once.
  const messages = [...new Set(result.error.issues.map((i) => describeIssue(i, raw, fieldsByKey, what)))];
  const onlyTypes = result.error.issues.every((i) => i.code === 'invalid_type');
  const ErrorClass = onlyTypes ? TypeError : RangeError;
  throw new ErrorClass(`${source}: ${messages.join('; ')}`);
}
