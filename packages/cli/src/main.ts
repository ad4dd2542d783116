/** Argument parsing and dispatch of the `acme` command. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '@acme-ts/agents';
import { runCheck } from './commands/check.js';
import { evaluateRun } from './commands/evaluate.js';
import { play } from './commands/play.js';
import { train } from './commands/train.js';
import { ENVIRONMENTS, environmentChoices, environmentEntry } from './environments.js';

const ENV_NAMES = Object.keys(ENVIRONMENTS).join('|');

const USAGE = `usage: acme <command> [options]

commands:
  train dqn --env ${ENV_NAMES} (or a registry id: CartPole-v1, ...)
            train DQN; options: --steps N  --seed S (default 0)  --preset cartpole|catch|atari
            --out DIR (default runs/dqn-<env>-s<seed>-<time>)
            --resume (continue the run in --out from its newest usable checkpoint; fails without one)
            --resume-or-start (the same, or start the run in --out from step 0)
            --eval-episodes N  --checkpoint-every N  --no-progress
            --set key=value (repeatable) overrides a field of the preset's DQN config
  evaluate RUN_DIR [--episodes N] [--seed S]
            greedy return of a trained run's saved model
  play RUN_DIR [--episodes N] [--render] [--frames-out DIR] [--max-frames N]
            plays greedy episodes; --render writes PNG frames (Breakout) or prints text (Catch)
  check     build sanity check: runs the Rust kernels over N-API and wasm against TypeScript
            options: --seed S (default 0)  --size N rows (default 100000)  --out DIR
  help      show this message`;

export class UsageError extends Error {}

function integerOption(values: Record<string, unknown>, name: string, fallback: number, min: number): number;
function integerOption(
  values: Record<string, unknown>,
  name: string,
  fallback: undefined,
  min: number,
): number | undefined;
function integerOption(
  values: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
  min: number,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** `--set key=value` pairs: values are JSON (numbers, arrays, objects) or plain strings. */
function parseOverrides(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (!(key in DEFAULT_CONFIG)) {
      throw new UsageError(
        `--set ${key}: unknown config field; fields: ${Object.keys(DEFAULT_CONFIG).join(', ')}`,
      );
    }
    try {
      out[key] = JSON.parse(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

function positional(args: string[], what: string): string {
  const value = args[0];
  if (value === undefined) throw new UsageError(`missing ${what}`);
  return value;
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'train': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          env: { type: 'string' },
          steps: { type: 'string' },
          seed: { type: 'string' },
          preset: { type: 'string' },
          out: { type: 'string' },
          resume: { type: 'boolean' },
          'resume-or-start': { type: 'boolean' },
          'eval-episodes': { type: 'string' },
          'checkpoint-every': { type: 'string' },
          'no-progress': { type: 'boolean' },
          set: { type: 'string', multiple: true },
        },
        strict: true,
      });
      const agent = positional(positionals, 'agent: acme train dqn --env NAME');
      if (agent !== 'dqn') throw new UsageError(`unknown agent "${agent}"; choose one of: dqn`);
      if (!values.resume && !values['resume-or-start'] && values.env === undefined) {
        throw new UsageError(`--env is required; choose one of: ${environmentChoices().join(', ')}`);
      }
      if (values.env !== undefined) {
        try {
          environmentEntry(values.env);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      const summary = await train({
        agent: 'dqn',
        env: values.env ?? '',
        steps: integerOption(values, 'steps', undefined, 1),
        seed: integerOption(values, 'seed', 0, 0),
        preset: values.preset,
        out: values.out,
        resume: values['resume-or-start'] ? 'or-start' : (values.resume ?? false),
        evalEpisodes: integerOption(values, 'eval-episodes', undefined, 1),
        checkpointEvery: integerOption(values, 'checkpoint-every', undefined, 1),
        progress: values['no-progress'] ? null : undefined,
        config: parseOverrides(values.set ?? []),
        log,
      });
      return Number.isFinite(summary.evalReturnMean) ? 0 : 1;
    }
    case 'evaluate': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { episodes: { type: 'string' }, seed: { type: 'string' } },
        strict: true,
      });
      await evaluateRun(positional(positionals, 'RUN_DIR: acme evaluate RUN_DIR'), {
        episodes: integerOption(values, 'episodes', undefined, 1),
        seed: integerOption(values, 'seed', 0, 0),
        log,
      });
      return 0;
    }
    case 'play': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          episodes: { type: 'string' },
          render: { type: 'boolean' },
          'frames-out': { type: 'string' },
          'max-frames': { type: 'string' },
        },
        strict: true,
      });
      await play(positional(positionals, 'RUN_DIR: acme play RUN_DIR'), {
        episodes: integerOption(values, 'episodes', 1, 1),
        render: values.render ?? false,
        out: values['frames-out'],
        maxFrames: integerOption(values, 'max-frames', 2000, 1),
        log,
      });
      return 0;
    }
    case 'check': {
      const { values } = parseArgs({
        args: rest,
        options: { seed: { type: 'string' }, size: { type: 'string' }, out: { type: 'string' } },
        strict: true,
      });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const summary = await runCheck({
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
      throw new UsageError(`unknown command "${command}"; choose one of: train, evaluate, play, check, help`);
  }
}
