/**
 * What a call's outcome says about the boundary: it returned, it threw an Error that names one of
 * the call's arguments (good), an Error that names none (a finding), or something that is not an
 * Error at all (a finding).
 */

export type Verdict = 'ok' | 'named' | 'unnamed' | 'non-error';

/**
 * An Error names an argument when its message starts with one (`keys[3] must be ...`,
 * `geometry.strideWidth = ...`, `receiver must be ...`) or mentions one of three letters or more
 * as a whole word. Short names (`x`, `a`, `dy`) count only at the start: "must be a Float32Array"
 * does not name `a`. An error about the receiver's state starts with the method's name instead.
 */
export function judge(thrown: unknown, names: readonly string[], method?: string): Verdict {
  if (!(thrown instanceof Error)) return 'non-error';
  if (method !== undefined && isStateError(thrown.message, method)) return 'named';
  return namesAnArgument(thrown.message, names) ? 'named' : 'unnamed';
}

/**
 * A call refused for the receiver's state rather than an argument names the method and the state:
 * `sample: the table is empty`, `addFrame: this engine was made without the frames option`.
 */
export function isStateError(message: string, method: string): boolean {
  return message.startsWith(`${method}: `);
}

export function namesAnArgument(message: string, names: readonly string[]): boolean {
  const all = [...names, 'receiver'];
  const first = /^[A-Za-z_$][\w$]*/.exec(message)?.[0];
  if (first !== undefined && all.includes(first)) return true;
  return all.some(
    (name) => name.length >= 3 && new RegExp(`(^|[^\\w$])${escapeRegExp(name)}([^\\w$]|$)`).test(message),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
