// A process killed (SIGKILL) in the middle of writing a table checkpoint: the previous checkpoint
// must still be there, byte for byte, restore, and sample as it did. The child is the built
// @acme-ts/replay writing through a file system that kills the process once half the bytes are out.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArraySpec } from '@acme-ts/core';
import { RateLimiters, Selectors, Table } from '@acme-ts/replay';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'acme-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHILD = `
import * as fsp from 'node:fs/promises';
import { ArraySpec } from '@acme-ts/core';
import { RateLimiters, Selectors, Table } from '@acme-ts/replay';
const path = process.argv[1];
const table = new Table({
  name: 'big', sampler: Selectors.uniform(), remover: Selectors.fifo(), maxSize: 4000,
  rateLimiter: RateLimiters.minSize(1), signature: { x: new ArraySpec([1000], 'float32') },
});
for (let i = 0; i < 4000; i++) table.tryInsert({ x: new Float32Array(1000).fill(i) }, 1);
let written = 0;
const half = 8_000_000;
const fs = {
  async open(p, flags, mode) {
    const h = await fsp.open(p, flags, mode);
    return {
      async write(buffer, offset, length, position) {
        if (written + length > half) {
          await h.write(buffer, offset, half - written, position);
          process.kill(process.pid, 'SIGKILL');
        }
        written += length;
        return h.write(buffer, offset, length, position);
      },
      sync: () => h.sync(),
      close: () => h.close(),
    };
  },
  rename: (a, b) => fsp.rename(a, b),
  rm: (p, o) => fsp.rm(p, o),
};
await table.checkpoint(path, { fs });
console.log('not killed');
`;

function small(): Table {
  const t = new Table({
    name: 'small',
    sampler: Selectors.prioritized(1),
    remover: Selectors.fifo(),
    maxSize: 100,
    rateLimiter: RateLimiters.minSize(1),
    signature: { x: new ArraySpec([2], 'float32') },
    seed: 11,
  });
  for (let i = 0; i < 30; i++) t.tryInsert({ x: Float32Array.of(i, -i) }, 1 + (i % 4));
  return t;
}

describe('table checkpoint and a crash mid-write', () => {
  it('leaves the previous checkpoint intact and restorable after SIGKILL during the next write', async () => {
    const path = join(dir, 'replay.ckpt');
    const original = small();
    await original.checkpoint(path);
    const before = readFileSync(path);

    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, path], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stdout).not.toContain('not killed');

    // The cut write left its temporary file behind, half written; the checkpoint is untouched.
    const leftovers = readdirSync(dir).filter((f) => f.includes('.tmp-'));
    expect(leftovers.length).toBe(1);
    expect(statSync(join(dir, leftovers[0]!)).size).toBe(8_000_000);
    expect(readFileSync(path).equals(before)).toBe(true);

    const restored = await Table.restore(path);
    expect(restored.size).toBe(30);
    const a = original.trySample(16)!;
    const b = restored.trySample(16)!;
    expect(Array.from(b.keys)).toEqual(Array.from(a.keys));
    expect(Array.from(b.column('x'))).toEqual(Array.from(a.column('x')));
  });
});
