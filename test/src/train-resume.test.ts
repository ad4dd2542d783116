// A training process killed mid-run resumes from its last checkpoint: counters continue, replay
// and weights are the checkpoint's, and training goes on to the end.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table } from '@acme-ts/replay';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/dist/bin.js');
const trainArgs = (out: string) => [
  bin,
  'train',
  'dqn',
  '--env',
  'cartpole',
  '--steps',
  '5000',
  '--checkpoint-every',
  '1500',
  '--eval-episodes',
  '2',
  '--no-progress',
  '--set',
  'evalEvery=0',
  '--out',
  out,
];

function waitFor(condition: () => boolean, child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`gave up waiting (exit code ${child.exitCode})`));
      }
    }, 20);
  });
}

describe('acme train --resume', () => {
  it('continues a killed run from its last checkpoint', { timeout: 240_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acme-resume-')), 'run');
    const generation = join(out, 'checkpoint', 'gen-000000001');
    const child = spawn(process.execPath, trainArgs(out), { stdio: 'ignore' });
    // Kill it once the first checkpoint (1,500 steps, learning under way) is complete.
    await waitFor(() => existsSync(generation), child, 120_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    const checkpoint = JSON.parse(readFileSync(join(generation, 'state.json'), 'utf8')).state;
    const savedSteps: number = checkpoint.counter.counts.steps;
    expect(savedSteps).toBeGreaterThanOrEqual(1500);
    expect(checkpoint.learner.steps).toBeGreaterThan(0);
    const savedTable = await Table.restore(join(generation, 'table.ckpt'));
    const savedSize = savedTable.size;
    savedTable.close();

    const output = execFileSync(process.execPath, [...trainArgs(out).slice(0, 3), '--resume', '--out', out], {
      encoding: 'utf8',
    });
    expect(output).toContain(
      `resumed ${out} at ${savedSteps} steps (replay ${savedSize} items, checkpoint generation 1)`,
    );
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.resumedFrom).toBe(savedSteps);
    expect(summary.envSteps).toBeGreaterThanOrEqual(5000);
    // Learner steps continued from the checkpoint's count rather than restarting at 0.
    expect(summary.learnerSteps).toBeGreaterThan(checkpoint.learner.steps);
    // The episode log holds no episode twice: steps rise strictly across the resume.
    const steps = readFileSync(join(out, 'episodes.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).steps as number);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
    expect(steps.at(-1)).toBe(summary.envSteps);
  });
});
