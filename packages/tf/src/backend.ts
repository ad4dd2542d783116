/**
 * Picks the TensorFlow.js backend networks run on, in this order:
 *
 * 1. `tensorflow`: libtensorflow through `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`.
 *    Both are optional peer dependencies (their install downloads libtensorflow, which not every
 *    machine can), loaded only if installed.
 * 2. `wasm`: `@tensorflow/tfjs-backend-wasm`, with the Rust kernels of `@acme-ts/native`
 *    registered so that convolutions and gathers can train.
 * 3. `cpu`: plain JavaScript; correct everywhere, far too slow to train a convolutional network.
 *
 * `ACME_TF_BACKEND=tensorflow|wasm|cpu` or the `backend` option forces one (and fails if it cannot
 * start). The choice and the reason each earlier candidate was skipped are printed.
 */
import { backendInfo, kernelThreads } from '@acme-ts/native';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { env, getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import { registerWasmKernels } from './kernels/register.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The optional packages that provide the `tensorflow` backend, best first. */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface BackendSelection {
  backend: BackendName;
  /** What runs: the package, and for wasm its features and the kernels added. */
  detail: string;
  /** Why this one: the default order, or forced (by the option or ACME_TF_BACKEND). */
  reason: string;
  /** Each backend tried before it, with why it was not used. */
  skipped: { backend: BackendName; why: string }[];
  /** The lines printed. */
  report: string[];
}

export interface SelectBackendOptions {
  /** Force a backend (overrides ACME_TF_BACKEND); 'auto' or undefined follows the order. */
  backend?: BackendName | 'auto';
  /** Where the report goes; false prints nothing. Default: console.log. */
  log?: ((line: string) => void) | false;
  /** How optional packages are loaded (tests substitute it). Default: dynamic `import()`. */
  importer?: (name: string) => Promise<unknown>;
}

/** Why a dynamic import failed, in a few words. */
function importFailure(name: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = String(e?.message ?? err).split('\n')[0]!;
  const missing =
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && message.includes(name);
  return missing ? `${name} is not installed` : `${name} failed to load (${message})`;
}

function forcedBackend(option: SelectBackendOptions['backend']): BackendName | undefined {
  if (option !== undefined && option !== 'auto') {
    if (!BACKEND_ORDER.includes(option)) {
      throw new RangeError(
        `backend must be one of ${BACKEND_ORDER.join(', ')} or auto, got ${String(option)}`,
      );
    }
    return option;
  }
  const value = globalThis.process?.env?.ACME_TF_BACKEND;
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if (!BACKEND_ORDER.includes(value as BackendName)) {
    throw new RangeError(
      `ACME_TF_BACKEND must be one of ${BACKEND_ORDER.join(', ')} or auto, got "${value}"`,
    );
  }
  return value as BackendName;
}

/** Tries to start one backend; returns what runs, or throws why it cannot. */
async function start(name: BackendName, importer: (name: string) => Promise<unknown>): Promise<string> {
  if (name === 'tensorflow') {
    const failures: string[] = [];
    for (const pkg of TENSORFLOW_PACKAGES) {
      try {
        await importer(pkg);
      } catch (err) {
        failures.push(importFailure(pkg, err));
        continue;
      }
      try {
        if (await setBackend('tensorflow')) return pkg;
        failures.push(`${pkg} loaded but the tensorflow backend did not initialise`);
      } catch (err) {
        failures.push(`${pkg} loaded but the tensorflow backend did not start (${(err as Error).message})`);
      }
    }
    throw new Error(`${failures.join('; ')} (optional peer dependencies)`);
  }
  if (name === 'wasm') {
    const kernels = registerWasmKernels();
    if (!(await setBackend('wasm'))) throw new Error('@tensorflow/tfjs-backend-wasm did not initialise');
    const simd = (await env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
    const threads = getThreadsCount();
    const native = backendInfo();
    const rustThreads = kernelThreads();
    const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
    return (
      `@tensorflow/tfjs-backend-wasm (${simd}, ${plural(threads)}) + Rust kernels via ${native.kind} ` +
      `(${plural(rustThreads)}: ${kernels.join(', ')})`
    );
  }
  if (!(await setBackend('cpu'))) throw new Error('@tensorflow/tfjs-backend-cpu did not initialise');
  return '@tensorflow/tfjs-backend-cpu (plain JavaScript)';
}

/**
 * Selects and initialises the backend (see the module comment for the order), prints the choice
 * and why the backends before it were skipped, and returns the same as data.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const importer = options.importer ?? ((name: string) => import(name));
  const log = options.log === false ? () => {} : (options.log ?? ((line: string) => console.log(line)));
  const forced = forcedBackend(options.backend);
  const fromOption = options.backend !== undefined && options.backend !== 'auto';
  const candidates = forced ? [forced] : BACKEND_ORDER;
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of candidates) {
    let detail: string;
    try {
      detail = await start(backend, importer);
    } catch (err) {
      const why = (err as Error).message;
      if (forced) {
        const by = fromOption ? 'the backend option' : 'ACME_TF_BACKEND';
        throw new Error(`${by} asks for the ${backend} backend, which cannot start: ${why}`);
      }
      skipped.push({ backend, why });
      continue;
    }
    await ready();
    const reason = forced
      ? `forced by ${fromOption ? 'the backend option' : 'ACME_TF_BACKEND'}`
      : skipped.length === 0
        ? 'first in the order tensorflow -> wasm -> cpu'
        : `first of tensorflow -> wasm -> cpu that starts`;
    const report = [
      `@acme-ts/tf: backend ${backend} (${reason}): ${detail}`,
      ...skipped.map((s) => `@acme-ts/tf:   ${s.backend} not used: ${s.why}`),
    ];
    for (const line of report) log(line);
    return { backend, detail, reason, skipped, report };
  }
  throw new Error(
    `no TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.why}`).join('; ')}`,
  );
}

/** The backend TensorFlow.js is using now (after `selectBackend` or a manual `setBackend`). */
export function currentBackend(): string {
  return getBackend();
}
