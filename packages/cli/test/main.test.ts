import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dqnDefinition } from '@acme-ts/agents';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseOverrides } from '../src/arguments.js';
import { main, UsageError } from '../src/main.js';

describe('acme command line', () => {
  it('check runs both binaries, agrees with TypeScript and writes summary.json', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acme-check-')), 'run');
    const lines: string[] = [];
    expect(await main(['check', '--size', '2000', '--seed', '3', '--out', out], (l) => lines.push(l))).toBe(
      0,
    );
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ job: 'check', seed: 3, size: 2000, ok: true });
    expect(summary.binaries.map((b: { kind: string }) => b.kind)).toEqual(['napi', 'wasm']);
    expect(lines.at(-1)).toMatch(/all checks passed/);
  });

  it('explains bad arguments with the valid choices', async () => {
    await expect(main(['fly'])).rejects.toThrow(
      new UsageError('unknown command "fly"; choose one of: train, evaluate, play, check, help, version'),
    );
    await expect(main(['train', 'ppo', '--env', 'cartpole'])).rejects.toThrow(
      'unknown agent "ppo"; choose one of: dqn',
    );
    await expect(main(['train', 'dqn', '--env', 'pong'])).rejects.toThrow(
      /^unknown environment "pong"; choose one of: cartpole, catch, acrobot, mountaincar, breakout, Acrobot-v1, Breakout, CartPole-v1/,
    );
    await expect(main(['train', 'dqn'])).rejects.toThrow(/--env is required; choose one of: cartpole/);
    await expect(main(['train', 'dqn', '--env', 'Pendulum-v1'])).rejects.toThrow(
      /^DQN needs discrete actions; Pendulum-v1 has BoundedArray actions/,
    );
    await expect(main(['train', 'dqn', '--env', 'cartpole', '--steps', '0'])).rejects.toThrow(
      '--steps must be an integer >= 1 in decimal (such as 50000 or 5e4), got "0"',
    );
    await expect(main(['check', '--size', '0'])).rejects.toThrow(
      '--size must be an integer >= 1 in decimal (such as 50000 or 5e4), got "0"',
    );
    await expect(main(['check', '--bogus'])).rejects.toThrow(/bogus/);
    await expect(main(['evaluate'])).rejects.toThrow('missing RUN_DIR: acme evaluate RUN_DIR');
  });

  /** The UsageError `argv` is rejected with (each case must reject before any training starts). */
  async function usageError(argv: string[]): Promise<UsageError> {
    const err = await main(argv, () => {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }

  const train = (...args: string[]) => ['train', 'dqn', '--env', 'cartpole', ...args];

  it('takes integers in decimal only, and negative numbers as values rather than options', async () => {
    for (const steps of ['0x10', '0b1', '1_000', '', ' 5', '2.5', '1e400', 'Infinity']) {
      expect((await usageError(train('--steps', steps))).message).toBe(
        `--steps must be an integer >= 1 in decimal (such as 50000 or 5e4), got ${JSON.stringify(steps)}`,
      );
    }
    // Not "argument is ambiguous": the value is read and its range named.
    expect((await usageError(train('--seed', '-1'))).message).toBe(
      '--seed must be an integer >= 0 in decimal (such as 50000 or 5e4), got "-1"',
    );
    expect((await usageError(['evaluate', 'runs/x', '--episodes', '-3'])).message).toMatch(
      /^--episodes must be an integer >= 1 .*got "-3"$/,
    );
    const { values, positionals } = parseCommandLine(
      ['--seed', '-7', '--size', '5e4', '--', '-x'],
      { seed: { type: 'string' }, size: { type: 'string' } },
      true,
    );
    expect(values).toEqual({ seed: '-7', size: '5e4' });
    expect(positionals).toEqual(['-x']);
  });

  it('checks --set values against the agent config schema, naming key, value and what is allowed', async () => {
    const cases: [string, string][] = [
      ['evalEvery=-5', '--set evalEvery=-5: evalEvery must be an integer >= 0, got -5'],
      [
        'importanceSamplingExponent=x',
        '--set importanceSamplingExponent=x: importanceSamplingExponent must be a number in [0, 1], got "x"',
      ],
      [
        'maxGradientNorm=0',
        '--set maxGradientNorm=0: maxGradientNorm must be a number > 0, or Infinity (no clipping), got 0',
      ],
      ['dueling=maybe', '--set dueling=maybe: dueling must be true or false, got "maybe"'],
      ['batchSize=0x10', '--set batchSize=0x10: batchSize must be an integer >= 1, got "0x10"'],
      ['batchSize=1.5', '--set batchSize=1.5: batchSize must be an integer >= 1, got 1.5'],
      [
        'hiddenSizes=[64,-1]',
        '--set hiddenSizes=[64,-1]: hiddenSizes must be a non-empty array of integers >= 1, got [64,-1]',
      ],
    ];
    for (const [pair, message] of cases) {
      expect((await usageError(train('--set', pair))).message).toBe(message);
    }
    expect((await usageError(train('--set', 'epsilon=null'))).message).toMatch(
      /^--set epsilon=null: epsilon must be a number in \[0, 1\] or a schedule .*, got null$/,
    );
    expect((await usageError(train('--set', 'toString=1'))).message).toMatch(
      /^--set toString: unknown config field; fields: learningRate, /,
    );
  });

  it('checks the preset and the --set overrides together before training', async () => {
    expect((await usageError(train('--set', 'minReplaySize=60000'))).message).toBe(
      '--env cartpole (preset cartpole) --set minReplaySize=60000: minReplaySize (60000) must not exceed maxReplaySize (50000)',
    );
    expect((await usageError(train('--preset', 'catch', '--set', 'evalEvery=100'))).message).toMatch(
      /^--preset catch --set evalEvery=100: evalEpisodes must be an integer >= 1 when evalEvery > 0/,
    );
    expect((await usageError(train('--preset', 'pong'))).message).toBe(
      'unknown preset "pong"; choose one of: cartpole, catch, atari',
    );
    expect((await usageError(train('--bogus'))).message).toMatch(/bogus/);
  });

  it('reads --set values as JSON, Infinity included', () => {
    expect(
      parseOverrides(
        [
          'maxGradientNorm=Infinity',
          'evalEvery=0',
          'learningRate=5e-4',
          'hiddenSizes=[32,32]',
          'dueling=true',
          'epsilon={"start":1,"end":0.1,"decaySteps":1000}',
        ],
        dqnDefinition,
      ),
    ).toEqual({
      maxGradientNorm: Number.POSITIVE_INFINITY,
      evalEvery: 0,
      learningRate: 5e-4,
      hiddenSizes: [32, 32],
      dueling: true,
      epsilon: { start: 1, end: 0.1, decaySteps: 1000 },
    });
  });

  it('the acme bin exits 2 and prints the message for a bad argument', () => {
    const bin = join(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
    const run = spawnSync(process.execPath, [bin, ...train('--set', 'evalEvery=-5')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('acme: --set evalEvery=-5: evalEvery must be an integer >= 0, got -5');
    expect(run.stderr).toContain('run "acme help"');
  });
});
