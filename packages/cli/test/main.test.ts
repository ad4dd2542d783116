import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
      new UsageError('unknown command "fly"; choose one of: train, evaluate, play, check, help'),
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
      '--steps must be an integer >= 1, got "0"',
    );
    await expect(main(['check', '--size', '0'])).rejects.toThrow('--size must be an integer >= 1, got "0"');
    await expect(main(['check', '--bogus'])).rejects.toThrow(/bogus/);
    await expect(main(['evaluate'])).rejects.toThrow('missing RUN_DIR: acme evaluate RUN_DIR');
  });
});
