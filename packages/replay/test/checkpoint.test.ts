/**
 * Table checkpoints: a restored table holds the same items and draws exactly the samples the
 * original draws; a write that fails halfway leaves the previous checkpoint intact and
 * restorable; corrupt files are refused with an error naming the file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArraySpec, type AtomicFs, DiscreteArray } from '@acme-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiters, Selectors, Table } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'acme-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIGNATURE = {
  observation: new ArraySpec([3], 'float32'),
  action: new DiscreteArray(4),
  reward: new ArraySpec([], 'float64'),
};

function filled(n: number, seed = 3): Table {
  const t = new Table({
    name: 'priority_table',
    sampler: Selectors.prioritized(0.6),
    remover: Selectors.fifo(),
    maxSize: 50,
    rateLimiter: RateLimiters.sampleToInsertRatio(2, 5, [-1000, 1000]),
    signature: SIGNATURE,
    seed,
  });
  for (let i = 0; i < n; i++) {
    t.tryInsert({ observation: Float32Array.of(i, i / 2, -i), action: i % 4, reward: i * 0.25 }, 1 + (i % 7));
  }
  return t;
}

/** Keys, probabilities and data of `rounds` batches of 8, with priority updates in between. */
function trace(t: Table, rounds: number): unknown[] {
  const out: unknown[] = [];
  const s = t.createSample(8);
  for (let r = 0; r < rounds; r++) {
    t.trySample(s);
    out.push([Array.from(s.keys), Array.from(s.probabilities), Array.from(s.column('observation'))]);
    t.updatePriorities(
      s.keys,
      Float64Array.from(s.keys, (k, i) => (k % 5) + i * 0.1),
    );
  }
  return out;
}

describe('Table checkpoints', () => {
  it('round-trips: same items, options, counters, and identical samples afterwards', async () => {
    const t = filled(60);
    trace(t, 3);
    const path = join(dir, 'table.ckpt');
    await t.checkpoint(path);
    const restored = await Table.restore(path);
    expect(restored.name).toBe('priority_table');
    // Memory differs (growable buffers are sized to what they hold); everything else is equal.
    const { memoryBytes: _a, ...restoredInfo } = restored.info();
    const { memoryBytes: _b, ...originalInfo } = t.info();
    expect(restoredInfo).toEqual(originalInfo);
    expect(restoredInfo.rateLimiter).toMatchObject({ inserts: 60, deletes: 10, samples: 24 });
    expect(trace(restored, 10)).toEqual(trace(t, 10));
    // Nothing but the checkpoint is left in the directory.
    expect(readdirSync(dir)).toEqual(['table.ckpt']);
    rmSync(path);
  });

  it('keeps the previous checkpoint intact when a write fails halfway', async () => {
    const path = join(dir, 'crash.ckpt');
    const before = filled(20);
    await before.checkpoint(path);
    const good = readFileSync(path);
    const expected = trace(before, 5);

    // The second checkpoint's write dies after half its bytes reach the temporary file.
    const after = filled(50, 9);
    const total = (await fsp.stat(path)).size * 2;
    let written = 0;
    const failing: AtomicFs = {
      async open(p, flags, mode) {
        const handle = await fsp.open(p, flags, mode);
        return {
          async write(buffer, offset, length, position) {
            if (written + length > total / 2) {
              const part = Math.max(0, Math.floor(total / 2) - written);
              await handle.write(buffer, offset, part, position);
              throw new Error('simulated crash: disk unplugged');
            }
            written += length;
            return handle.write(buffer, offset, length, position);
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
      rename: (a, b) => fsp.rename(a, b),
      rm: (p, o) => fsp.rm(p, o),
    };
    await expect(after.checkpoint(path, { fs: failing })).rejects.toThrow('simulated crash');
    expect(written).toBeGreaterThan(0);
    expect(readFileSync(path).equals(good)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('crash'))).toEqual(['crash.ckpt']);
    const restored = await Table.restore(path);
    expect(restored.size).toBe(20);
    expect(trace(restored, 5)).toEqual(expected);
  });

  it('refuses corrupt and truncated files, naming the file and what is wrong', async () => {
    const path = join(dir, 'corrupt.ckpt');
    await filled(10).checkpoint(path);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 7));
    await expect(Table.restore(path)).rejects.toThrow(
      new RegExp(`${path}: not a valid table checkpoint: expected \\d+ bytes`),
    );
    const flipped = Buffer.from(bytes);
    flipped[20] = flipped[20]! ^ 0xff; // inside the JSON header
    writeFileSync(path, flipped);
    await expect(Table.restore(path)).rejects.toThrow(/header checksum mismatch/);
    const engineFlip = Buffer.from(bytes);
    engineFlip[bytes.length - 40] = engineFlip[bytes.length - 40]! ^ 0x01; // inside the engine bytes
    writeFileSync(path, engineFlip);
    await expect(Table.restore(path)).rejects.toThrow(RangeError);
    writeFileSync(path, Buffer.from('not a checkpoint at all'));
    await expect(Table.restore(path)).rejects.toThrow(/wrong magic/);
  });

  it('round-trips frame tables and variable-length tables', async () => {
    const frames = new Table({
      name: 'atari',
      sampler: Selectors.uniform(),
      remover: Selectors.fifo(),
      maxSize: 8,
      rateLimiter: RateLimiters.minSize(1),
      signature: {
        observation: new ArraySpec([2, 2], 'uint8'),
        nextObservation: new ArraySpec([2, 2], 'uint8'),
      },
      frames: { shape: [2], stack: 2, fields: ['observation', 'nextObservation'] },
      seed: 5,
    });
    let previous = -1;
    for (let i = 0; i < 6; i++) {
      const id = frames.addFrame(Uint8Array.of(i, 10 + i), i % 3 === 0 ? -1 : previous);
      if (i % 3 !== 0) frames.tryInsert({ observation: previous, nextObservation: id }, 1);
      previous = id;
    }
    const path = join(dir, 'frames.ckpt');
    await frames.checkpoint(path);
    const restored = await Table.restore(path);
    const a = frames.trySample(6)!;
    const b = restored.trySample(6)!;
    expect(Array.from(b.column('observation'))).toEqual(Array.from(a.column('observation')));
    expect(restored.info().frames).toEqual(frames.info().frames);

    const episodes = new Table({
      name: 'episodes',
      sampler: Selectors.fifo(),
      remover: Selectors.fifo(),
      maxSize: 4,
      rateLimiter: RateLimiters.minSize(1),
      signature: { x: new ArraySpec([5], 'int16') },
      variableLength: true,
    });
    episodes.tryInsert({ x: Int16Array.of(1, 2) }, 1);
    await episodes.checkpoint(path);
    const back = await Table.restore(path);
    expect(back.trySample(1)!.item(0)).toEqual({ x: Int16Array.of(1, 2) });
  });
});
