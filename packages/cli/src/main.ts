/** Argument parsing and dispatch of the `acme` command. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCheck } from './commands/check.js';

const USAGE = `usage: acme <command> [options]

commands:
  check     build sanity check: runs the Rust kernels over N-API and wasm against TypeScript
            options: --seed S (default 0)  --size N rows (default 100000)  --out DIR (default runs/check-<time>)
  help      show this message`;

export class UsageError extends Error {}

function integerOption(values: Record<string, unknown>, name: string, fallback: number, min: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** Runs the command line `argv` (without node and script); returns the exit code. */
export function main(argv: string[], log: (line: string) => void = console.log): number {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'check': {
      const { values } = parseArgs({
        args: rest,
        options: { seed: { type: 'string' }, size: { type: 'string' }, out: { type: 'string' } },
        strict: true,
      });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const summary = runCheck({
        seed: integerOption(values, 'seed', 0, 0),
        size: integerOption(values, 'size', 100_000, 1),
        out: values.out ?? join('runs', `check-${stamp}`),
        log,
      });
      return summary.ok ? 0 : 1;
    }
    case 'help':
    case '--help':
    case '-h':
      log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"; choose one of: check, help`);
  }
}
