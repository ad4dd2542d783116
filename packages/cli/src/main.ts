/** Argument parsing and dispatch of the `acme` command. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentDefinition, agentDefinition } from '@acme-ts/agents';
import { integerOption, parseCommandLine, parseOverrides, UsageError } from './arguments.js';
import { runCheck } from './commands/check.js';
import { evaluateRun } from './commands/evaluate.js';
import { play } from './commands/play.js';
import { presetFor, train } from './commands/train.js';
import { ENVIRONMENTS, environmentChoices, environmentEntry } from './environments.js';

export { UsageError };

const ENV_NAMES = Object.keys(ENVIRONMENTS).join('|');

const USAGE = `usage: acme <command> [options]

commands:
  train dqn --env ${ENV_NAMES} (or a registry id: CartPole-v1, ...)
            train DQN; options: --steps N  --seed S (default 0)  --preset cartpole|catch|atari
            --out DIR (default runs/dqn-<env>-s<seed>-<time>)
            --resume (continue the run in --out from its newest usable checkpoint; fails without one)
            --resume-or-start (the same, or start the run in --out from step 0)
            --eval-episodes N  --checkpoint-every N  --no-progress
            --set key=value (repeatable) overrides a field of the preset's DQN config; the value
            is JSON (5e-4, true, [64,64], {"start":1,"end":0.05,"decaySteps":5000}) or Infinity
  evaluate RUN_DIR [--episodes N] [--seed S]
            greedy return of a trained run's saved model
  play RUN_DIR [--episodes N] [--render] [--frames-out DIR] [--max-frames N]
            plays greedy episodes; --render writes PNG frames (Breakout) or prints text (Catch)
  check     build sanity check: runs the Rust kernels over N-API and wasm against TypeScript
            options: --seed S (default 0)  --size N rows (default 100000)  --out DIR
  help      show this message (COMMAND --help: that command's part)
  version   the version of acme-ts (also --version)

numbers are decimal, as JSON writes them (50000, 5e4, -1); hexadecimal and the like are refused`;

/**
 * The config a new run would start with (the preset, the environment's by default, and the
 * `--set` overrides), checked now, so that keys that clash (minReplaySize above maxReplaySize) are
 * reported as the arguments that made them, before anything loads. (A resumed run keeps the
 * config in its run.json.)
 */
function checkNewRunConfig(
  definition: AgentDefinition,
  env: string,
  presetOfEnv: string | undefined,
  preset: string | undefined,
  pairs: string[],
  overrides: ReturnType<typeof parseOverrides>,
): void {
  const name = preset ?? presetOfEnv;
  if (name === undefined || !definition.presets.includes(name)) return;
  const source = [
    preset === undefined ? `--env ${env} (preset ${name})` : `--preset ${name}`,
    ...pairs.map((p) => `--set ${p}`),
  ].join(' ');
  try {
    definition.makeConfig(name, overrides, source);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function positional(args: string[], what: string): string {
  const value = args[0];
  if (value === undefined) throw new UsageError(`missing ${what}`);
  return value;
}

/** The usage of one command: its lines of USAGE (the command line and those indented under it). */
export function commandUsage(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${command} `) || l === `  ${command}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && lines[end]!.startsWith('            ')) end++;
  return `usage: acme ${lines
    .slice(start, end)
    .map((l) => l.trim())
    .join('\n  ')}`;
}

/** This package's version, from its package.json (one source for `acme --version`). */
export function version(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const [command = 'help', ...rest] = argv;
  // `acme train --help`: that command's part of the usage, whatever else is on the line.
  if ((rest.includes('--help') || rest.includes('-h')) && commandUsage(command)) {
    log(commandUsage(command)!);
    return 0;
  }
  switch (command) {
    case '--version':
    case '-v':
    case 'version':
      log(`acme-ts ${version()}`);
      return 0;
    case 'train': {
      const { values, positionals } = parseCommandLine(
        rest,
        {
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
        true,
      );
      const agent = positional(positionals, 'agent: acme train dqn --env NAME');
      let definition: AgentDefinition;
      try {
        definition = agentDefinition(agent);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (!values.resume && !values['resume-or-start'] && values.env === undefined) {
        throw new UsageError(`--env is required; choose one of: ${environmentChoices().join(', ')}`);
      }
      let presetOfEnv: string | undefined;
      if (values.env !== undefined) {
        try {
          presetOfEnv = presetFor(definition, environmentEntry(values.env));
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
      }
      const steps = integerOption(values, 'steps', undefined, 1);
      const seed = integerOption(values, 'seed', 0, 0);
      const evalEpisodes = integerOption(values, 'eval-episodes', undefined, 1);
      const checkpointEvery = integerOption(values, 'checkpoint-every', undefined, 1);
      const overrides = parseOverrides(values.set ?? [], definition);
      if (values.preset !== undefined && !definition.presets.includes(values.preset)) {
        throw new UsageError(
          `unknown preset "${values.preset}"; choose one of: ${definition.presets.join(', ')}`,
        );
      }
      if (values.env !== undefined) {
        checkNewRunConfig(definition, values.env, presetOfEnv, values.preset, values.set ?? [], overrides);
      }
      const summary = await train({
        agent,
        env: values.env ?? '',
        steps,
        seed,
        preset: values.preset,
        out: values.out,
        resume: values['resume-or-start'] ? 'or-start' : (values.resume ?? false),
        evalEpisodes,
        checkpointEvery,
        progress: values['no-progress'] ? null : undefined,
        config: overrides,
        log,
      });
      // 130: stopped by Ctrl-C, as shells report it (the run folder is complete and resumable).
      if (summary.interrupted) return 130;
      return Number.isFinite(summary.evalReturnMean) ? 0 : 1;
    }
    case 'evaluate': {
      const { values, positionals } = parseCommandLine(
        rest,
        { episodes: { type: 'string' }, seed: { type: 'string' } },
        true,
      );
      await evaluateRun(positional(positionals, 'RUN_DIR: acme evaluate RUN_DIR'), {
        episodes: integerOption(values, 'episodes', undefined, 1),
        seed: integerOption(values, 'seed', 0, 0),
        log,
      });
      return 0;
    }
    case 'play': {
      const { values, positionals } = parseCommandLine(
        rest,
        {
          episodes: { type: 'string' },
          render: { type: 'boolean' },
          'frames-out': { type: 'string' },
          'max-frames': { type: 'string' },
        },
        true,
      );
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
      const { values } = parseCommandLine(rest, {
        seed: { type: 'string' },
        size: { type: 'string' },
        out: { type: 'string' },
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
      throw new UsageError(
        `unknown command "${command}"; choose one of: train, evaluate, play, check, help, version`,
      );
  }
}
