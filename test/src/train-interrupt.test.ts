// Ctrl-C during `acme train` loses nothing: the process finishes its episode, writes a checkpoint,
// the model, the curve and a summary marked interrupted, exits 130; `acme evaluate` accepts the run
// and `--resume` continues it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/dist/bin.js');

function acme(args: string[], onOutput?: (text: string, child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d: Buffer) => {
      output += d;
      onOutput?.(output, child);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('acme train and Ctrl-C', () => {
  it('leaves a run that evaluate accepts and --resume continues', { timeout: 240_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acme-sigint-')), 'run');
    let sent = false;
    // The progress bar prints to stderr as plain lines when it is not a terminal: stop once
    // training is under way.
    const stopped = await acme(
      ['train', 'dqn', '--env', 'cartpole', '--steps', '40000', '--checkpoint-every', '20000', '--out', out],
      (text, child) => {
        if (!sent && /\d+\/40000 steps/.test(text) && existsSync(join(out, 'episodes.jsonl'))) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(stopped.output).toContain('SIGINT: stopping after this episode');
    expect(stopped.code).toBe(130);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.interrupted).toBe(true);
    expect(summary.envSteps).toBeLessThan(40000);
    expect(existsSync(join(out, 'model', 'model.json'))).toBe(true);
    expect(existsSync(join(out, 'learning_curve.svg'))).toBe(true);
    expect(readdirSync(join(out, 'checkpoint')).some((n) => /^gen-\d{9}$/.test(n))).toBe(true);

    const evaluated = await acme(['evaluate', out, '--episodes', '3']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.output).toMatch(/greedy return over 3 episodes/);

    const resumed = await acme([
      'train',
      'dqn',
      '--resume',
      '--steps',
      String(summary.envSteps + 500),
      '--out',
      out,
      '--no-progress',
      '--eval-episodes',
      '2',
    ]);
    expect(resumed.code).toBe(0);
    expect(resumed.output).toContain(`resumed ${out} at ${summary.envSteps} steps`);
  });
});
