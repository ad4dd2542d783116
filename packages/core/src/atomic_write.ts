/**
 * Writing a file so that a crash at any moment leaves either the old file or the new one, never a
 * torn mix: the bytes go to a temporary file in the same directory, which is fsynced (its data is
 * on disk), renamed over the target (an atomic replacement on POSIX file systems), and then the
 * directory is fsynced (the rename itself is on disk). A write that fails removes its temporary
 * file; one cut short by a crash leaves a `*.tmp-*` file that readers never look at.
 */

/** The part of a `fs/promises` FileHandle the writer uses. */
export interface WritableHandle {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls the writer makes; tests inject failures through it. */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<WritableHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}

/** Node's file system, loaded on first use so that the package still loads in a browser. */
export async function nodeFs(): Promise<AtomicFs> {
  const fsp = await import('node:fs/promises');
  return {
    open: (path, flags, mode) => fsp.open(path, flags, mode),
    rename: (from, to) => fsp.rename(from, to),
    rm: (path, options) => fsp.rm(path, options),
  };
}

function splitPath(path: string): { dir: string; base: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? { dir: '.', base: path } : { dir: path.slice(0, cut) || '/', base: path.slice(cut + 1) };
}

/** Bytes per write call: large enough to be fast, small enough not to stall other I/O. */
const CHUNK = 8 << 20;

let counter = 0;

/** Writes `parts` one after another into `path`, atomically. */
export async function writeFileAtomic(
  path: string,
  parts: readonly Uint8Array[],
  fs?: AtomicFs,
): Promise<void> {
  fs ??= await nodeFs();
  const { dir, base } = splitPath(path);
  const pid = globalThis.process?.pid ?? 0;
  const tmp = `${dir}/.${base}.tmp-${pid}-${Date.now()}-${counter++}`;
  let handle: WritableHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', 0o644);
    let position = 0;
    for (const part of parts) {
      for (let offset = 0; offset < part.length; ) {
        const length = Math.min(CHUNK, part.length - offset);
        const { bytesWritten } = await handle.write(part, offset, length, position);
        if (!(bytesWritten > 0)) throw new Error(`writing ${tmp}: no bytes written`);
        offset += bytesWritten;
        position += bytesWritten;
      }
    }
    await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    await fs.rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await syncDirectory(dir, fs);
}

/** `text` as UTF-8 into `path`, atomically (run records, summaries, logs cut back on resume). */
export async function writeTextAtomic(path: string, text: string, fs?: AtomicFs): Promise<void> {
  await writeFileAtomic(path, [new TextEncoder().encode(text)], fs);
}

async function syncDirectory(dir: string, fs: AtomicFs): Promise<void> {
  let handle: WritableHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (err) {
    // Windows cannot open a directory; its rename is already durable enough there.
    if (globalThis.process?.platform === 'win32') return;
    throw err;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
