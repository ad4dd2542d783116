import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

/** `acme train dqn --env cartpole` for `steps` steps into a new folder. */
function args(steps: number, prefix: string): string[] {
  const out = join(mkdtempSync(join(tmpdir(), prefix)), 'run');
  return [
    'train',
    'dqn',
    '--env',
    'cartpole',
    '--steps',
    String(steps),
    '--eval-episodes',
    '2',
    '--no-progress',
    '--out',
    out,
  ];
}

const summaryOf = (argv: string[]) => JSON.parse(readFileSync(join(argv.at(-1)!, 'summary.json'), 'utf8'));

describe('a run too short to learn', () => {
  it('warns in the terminal and in summary.json', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    // The cartpole preset starts learning after 1,000 observations: 1,100 steps give a few updates.
    const short = args(1100, 'acme-short-');
    expect(await main(short, (l) => lines.push(l))).toBe(0);
    const summary = summaryOf(short);
    expect(summary.learnerSteps).toBeLessThan(100);
    expect(summary.warnings).toEqual([expect.stringMatching(/^only \d+ learner steps in \d+ actor steps/)]);
    expect(lines.some((l) => /^warning: only \d+ learner steps/.test(l))).toBe(true);
    // Long enough to learn: no warning.
    const long = args(1500, 'acme-long-');
    expect(await main(long, () => {})).toBe(0);
    expect(summaryOf(long).warnings).toBeUndefined();
  });
});
