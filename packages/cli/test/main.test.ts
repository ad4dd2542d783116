import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, UsageError } from '../src/main.js';

describe('acme command line', () => {
  it('check runs both binaries, agrees with TypeScript and writes summary.json', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'acme-check-')), 'run');
    const lines: string[] = [];
    expect(main(['check', '--size', '2000', '--seed', '3', '--out', out], (l) => lines.push(l))).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ job: 'check', seed: 3, size: 2000, ok: true });
    expect(summary.binaries.map((b: { kind: string }) => b.kind)).toEqual(['napi', 'wasm']);
    expect(lines.at(-1)).toMatch(/all checks passed/);
  });

  it('explains bad arguments with the valid choices', () => {
    expect(() => main(['train'])).toThrow(
      new UsageError('unknown command "train"; choose one of: check, help'),
    );
    expect(() => main(['check', '--size', '0'])).toThrow('--size must be an integer >= 1, got "0"');
    expect(() => main(['check', '--bogus'])).toThrow(/bogus/);
  });
});
