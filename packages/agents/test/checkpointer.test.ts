import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, Checkpointer, MANIFEST } from '../src/index.js';

const FILES = ['a.bin', 'b.json'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'checkpointer-')), 'checkpoint');
}

/** Saves generation contents `tag` (two files whose bytes depend on it). */
async function saveTagged(checkpointer: Checkpointer, tag: number): Promise<void> {
  await checkpointer.save(
    async (folder) => {
      writeFileSync(
        join(folder, 'a.bin'),
        Uint8Array.from({ length: 1000 }, (_, i) => (i * tag) & 255),
      );
      writeFileSync(join(folder, 'b.json'), JSON.stringify({ tag }));
    },
    { steps: tag * 100 },
  );
}

/** Loads a generation: reads both files and returns the tag, rejecting inconsistent contents. */
async function loadTag(folder: string): Promise<number> {
  const { tag } = JSON.parse(readFileSync(join(folder, 'b.json'), 'utf8')) as { tag: number };
  const a = readFileSync(join(folder, 'a.bin'));
  if (a[3] !== ((3 * tag) & 255)) throw new Error('a.bin does not belong to b.json');
  return tag;
}

const DAMAGE: Record<string, (path: string) => void> = {
  truncated: (path) => truncateSync(path, Math.floor(readFileSync(path).length / 2)),
  'bit-flipped': (path) => {
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1]! ^= 0x10;
    writeFileSync(path, bytes);
  },
  deleted: (path) => unlinkSync(path),
};

describe('Checkpointer', () => {
  it('restores the newest generation and keeps the newest `keep`', async () => {
    const dir = freshDir();
    const checkpointer = new Checkpointer(dir, { keep: 2 });
    expect(await checkpointer.restore(loadTag)).toBeUndefined();
    for (const tag of [1, 2, 3]) await saveTagged(checkpointer, tag);
    expect(await checkpointer.generations()).toEqual([2, 3]);
    const restored = await checkpointer.restore(loadTag);
    expect(restored).toMatchObject({ value: 3, generation: 3, warnings: [] });
    expect(restored?.manifest.counters).toEqual({ steps: 300 });
    expect(restored?.manifest.files.map((f) => f.name)).toEqual(FILES);
  });

  for (const file of [...FILES, MANIFEST]) {
    for (const [how, damage] of Object.entries(DAMAGE)) {
      it(`falls back to the previous generation, with a warning, when ${file} is ${how}`, async () => {
        const dir = freshDir();
        const checkpointer = new Checkpointer(dir);
        await saveTagged(checkpointer, 1);
        await saveTagged(checkpointer, 2);
        damage(join(dir, 'gen-000000002', file));
        const restored = await checkpointer.restore(loadTag);
        expect(restored?.value).toBe(1);
        expect(restored?.warnings).toHaveLength(1);
        expect(restored?.warnings[0]).toContain(join(dir, 'gen-000000002'));
        expect(restored?.warnings[0]).toContain(file);
        // The damaged generation is set aside: the next save neither counts it nor reuses its number.
        expect(readdirSync(dir).sort()).toEqual(['gen-000000001', 'gen-000000002.damaged']);
        await saveTagged(checkpointer, 3);
        expect(await checkpointer.generations()).toEqual([1, 3]);
        expect((await checkpointer.restore(loadTag))?.value).toBe(3);
      });

      it(`fails naming every generation's damage when ${file} is ${how} in all of them`, async () => {
        const dir = freshDir();
        const checkpointer = new Checkpointer(dir);
        await saveTagged(checkpointer, 1);
        await saveTagged(checkpointer, 2);
        for (const g of ['gen-000000001', 'gen-000000002']) damage(join(dir, g, file));
        const error = await checkpointer.restore(loadTag).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CheckpointError);
        expect((error as Error).message).toContain(`${join(dir, 'gen-000000001')}: `);
        expect((error as Error).message).toContain(`${join(dir, 'gen-000000002')}: `);
        expect((error as Error).message).toContain(file);
      });
    }
  }

  it("falls back when the caller's loader rejects a generation whose files verify", async () => {
    const dir = freshDir();
    const checkpointer = new Checkpointer(dir);
    await saveTagged(checkpointer, 1);
    await saveTagged(checkpointer, 2);
    const restored = await checkpointer.restore(async (folder) => {
      const tag = await loadTag(folder);
      if (tag === 2) throw new Error('state.json: counter.counts.steps must be >= 0 (got -5)');
      return tag;
    });
    expect(restored?.value).toBe(1);
    expect(restored?.warnings[0]).toMatch(/gen-000000002: state\.json: counter\.counts\.steps/);
  });

  it('a save that dies at any point leaves the earlier generations complete', async () => {
    const dir = freshDir();
    const checkpointer = new Checkpointer(dir);
    await saveTagged(checkpointer, 1);
    // A crash while the files are written: the folder is still gen-N.tmp, which readers ignore.
    mkdirSync(join(dir, 'gen-000000002.tmp'));
    writeFileSync(join(dir, 'gen-000000002.tmp', 'a.bin'), 'half');
    expect(await checkpointer.restore(loadTag)).toMatchObject({ value: 1, warnings: [] });
    // A write that throws removes its folder and leaves the previous generation alone.
    await expect(
      checkpointer.save(async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(existsSync(join(dir, 'gen-000000002.tmp'))).toBe(false);
    expect(await checkpointer.generations()).toEqual([1]);
    // A crash after the rename, before older generations are pruned: one generation too many.
    await saveTagged(checkpointer, 4);
    expect((await checkpointer.restore(loadTag))?.value).toBe(4);
  });

  it('refuses folders, its own manifest name and bad options', async () => {
    const checkpointer = new Checkpointer(freshDir());
    await expect(checkpointer.save(async (f) => mkdirSync(join(f, 'sub')))).rejects.toThrow(
      'sub is not a plain file',
    );
    await expect(checkpointer.save(async (f) => writeFileSync(join(f, MANIFEST), '{}'))).rejects.toThrow(
      "MANIFEST.json is the checkpointer's own file",
    );
    expect(() => new Checkpointer('x', { keep: 0 })).toThrow('keep must be an integer >= 1, got 0');
  });

  it('a manifest rewritten by hand, its own checksum included, still has to match the files', async () => {
    const dir = freshDir();
    const checkpointer = new Checkpointer(dir);
    await saveTagged(checkpointer, 1);
    const path = join(dir, 'gen-000000001', MANIFEST);
    const content = JSON.parse(readFileSync(path, 'utf8'));
    content.manifest.files[0].sha256 = sha256('something else');
    writeFileSync(path, JSON.stringify(content));
    await expect(checkpointer.restore(loadTag)).rejects.toThrow(
      /MANIFEST\.json does not match its own checksum/,
    );
    content.sha256 = sha256(JSON.stringify(content.manifest));
    writeFileSync(path, JSON.stringify(content));
    await expect(checkpointer.restore(loadTag)).rejects.toThrow(/a\.bin does not match its checksum/);
  });
});
