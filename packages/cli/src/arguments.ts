/**
 * Reading the `acme` command line: options through node's parseArgs, numbers in one syntax,
 * `--set key=value` through the agent's config schema. Every mistake becomes a UsageError that
 * names the argument, the value and what is allowed, before any work starts.
 *
 * Numbers are written as JSON writes them (decimal, optional sign, fraction and exponent: `50000`,
 * `5e4`, `-1`), on options and in `--set` values alike; `0x10`, `1_000` or an empty value are not
 * numbers. An integer option takes such a number whose value is a whole number.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AgentDefinition } from '@acme-ts/agents';

/** A mistake on the command line: the bin prints it with a pointer to `acme help` and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** What parseArgs would take for an option (`-5`) but is a negative number, the option's value. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity$)/;

type Options = NonNullable<ParseArgsConfig['options']>;
/** What parseArgs returns for these options (named through parseArgs: its result type is not exported). */
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>
>;

/**
 * parseArgs with negative numbers allowed as the values of string options: `--seed -1` means
 * `--seed=-1` (parseArgs alone calls it ambiguous), so the range check can say what is wrong.
 */
export function parseCommandLine<T extends Options>(
  args: string[],
  options: T,
  allowPositionals = false,
): Parsed<T> {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      Object.hasOwn(options, name) &&
      options[name]!.type === 'string' &&
      next !== undefined &&
      NEGATIVE_NUMBER.test(next)
    ) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else {
      joined.push(arg);
    }
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals, strict: true });
  } catch (err) {
    // parseArgs's own messages name the option; as UsageErrors they get the same exit code and hint.
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((err as Error).message);
    throw err;
  }
}

/** `--name`'s value as an integer >= min, `fallback` when absent. */
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
): number;
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  fallback: undefined,
  min: number,
): number | undefined;
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
  min: number,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && JSON_NUMBER.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= min)) {
    throw new UsageError(
      `--${name} must be an integer >= ${min} in decimal (such as 50000 or 5e4), got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

/**
 * A `--set` value: JSON (numbers, true/false, null, arrays, objects), `Infinity`, or else the
 * text itself, which the schema then rejects by name (`dueling must be true or false, got "maybe"`).
 */
function setValue(raw: string): unknown {
  if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
  if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
  // JSON.parse tolerates surrounding spaces; a number is written exactly, as on options.
  if (/^\s*-?\d/.test(raw) && !JSON_NUMBER.test(raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * `--set key=value` pairs as config overrides, each checked against the agent's config schema
 * (`--set evalEvery=-5: evalEvery must be an integer >= 0, got -5`). The whole config, preset and
 * overrides together, is checked once more when it is made.
 */
export function parseOverrides(pairs: string[], agent: AgentDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    if (!agent.configKeys.includes(key)) {
      throw new UsageError(`--set ${key}: unknown config field; fields: ${agent.configKeys.join(', ')}`);
    }
    try {
      Object.assign(out, agent.parseOverrides({ [key]: setValue(pair.slice(eq + 1)) }, `--set ${pair}`));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return out;
}
