import { afterEach, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../src/index.js';

const missing = (name: string) =>
  Object.assign(new Error(`Cannot find package '${name}' imported from /x/backend.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });

describe('selectBackend', () => {
  afterEach(() => {
    delete process.env.ACME_TF_BACKEND;
  });

  it('falls back to wasm when tfjs-node is not installed, and says why', async () => {
    // Here neither tfjs-node package is installed (their install downloads libtensorflow).
    const lines: string[] = [];
    const selection = await selectBackend({ log: (line) => lines.push(line) });
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.skipped).toEqual([
      {
        backend: 'tensorflow',
        why: '@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed (optional peer dependencies)',
      },
    ]);
    expect(selection.reason).toBe('first of tensorflow -> wasm -> cpu that starts');
    expect(selection.detail).toMatch(
      /\+ Rust kernels via napi \(\d+ threads?: Conv2DBackpropFilter, UnsortedSegmentSum, /,
    );
    expect(lines).toEqual(selection.report);
    expect(lines[0]).toMatch(
      /^@acme-ts\/tf: backend wasm \(first of tensorflow -> wasm -> cpu that starts\): /,
    );
    expect(lines[1]).toBe(
      '@acme-ts/tf:   tensorflow not used: @tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed (optional peer dependencies)',
    );
  });

  it('tells a package that is installed but broken from one that is missing', async () => {
    const importer = async (name: string) => {
      if (name === '@tensorflow/tfjs-node-gpu') throw missing(name);
      throw new Error('libtensorflow.so.2: cannot open shared object file\nat dlopen');
    };
    const selection = await selectBackend({ importer, log: false });
    expect(selection.backend).toBe('wasm');
    expect(selection.skipped[0]!.why).toBe(
      '@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node failed to load ' +
        '(libtensorflow.so.2: cannot open shared object file) (optional peer dependencies)',
    );
  });

  it('reports a package that loads without registering the tensorflow backend', async () => {
    const selection = await selectBackend({ importer: async () => ({}), log: false });
    expect(selection.backend).toBe('wasm');
    expect(selection.skipped[0]!.why).toContain(
      '@tensorflow/tfjs-node-gpu loaded but the tensorflow backend did not',
    );
  });

  it('ACME_TF_BACKEND forces a backend, and the option overrides it', async () => {
    process.env.ACME_TF_BACKEND = 'cpu';
    const lines: string[] = [];
    const forced = await selectBackend({ log: (l) => lines.push(l) });
    expect(forced.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(forced.skipped).toEqual([]);
    expect(lines).toEqual([
      '@acme-ts/tf: backend cpu (forced by ACME_TF_BACKEND): @tensorflow/tfjs-backend-cpu (plain JavaScript)',
    ]);
    const byOption = await selectBackend({ backend: 'wasm', log: false });
    expect(byOption.backend).toBe('wasm');
    expect(byOption.reason).toBe('forced by the backend option');
  });

  it('fails loudly when the forced backend cannot start, or the name is wrong', async () => {
    process.env.ACME_TF_BACKEND = 'tensorflow';
    await expect(selectBackend({ log: false })).rejects.toThrow(
      'ACME_TF_BACKEND asks for the tensorflow backend, which cannot start: @tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed',
    );
    process.env.ACME_TF_BACKEND = 'webgl';
    await expect(selectBackend({ log: false })).rejects.toThrow(
      new RangeError('ACME_TF_BACKEND must be one of tensorflow, wasm, cpu or auto, got "webgl"'),
    );
    await expect(selectBackend({ backend: 'gpu' as 'cpu', log: false })).rejects.toThrow(
      new RangeError('backend must be one of tensorflow, wasm, cpu or auto, got gpu'),
    );
  });
});
