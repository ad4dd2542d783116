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
 * does not name `a`.
 */
export function judge(thrown: unknown, names: readonly string[]): Verdict {
  if (!(thrown instanceof Error)) return 'non-error';
  return namesAnArgument(thrown.message, names) ? 'named' : 'unnamed';
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
