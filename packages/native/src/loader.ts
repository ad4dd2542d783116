/**
 * Which binary runs: the N-API addon in Node, the WebAssembly module when the addon is missing or
 * fails to load, or the one `ACME_NATIVE=napi|wasm` forces; `initWasm()` installs a wasm module
 * compiled from bytes (browsers). Its own module so that the cores' wrappers can import it without
 * importing the package index that re-exports them.
 */
import { describe } from './args.js';
import type { BackendKind, Binding } from './binding.js';
import { loadNapi } from './napi.js';
import { compileWasm, loadWasmFromDisk } from './wasm/index.js';

export interface BackendInfo {
  kind: BackendKind;
  /** Why this backend: forced by ACME_NATIVE, the default, or the fallback (with the error). */
  reason: string;
}

let current: { binding: Binding; info: BackendInfo } | undefined;
const loaded = new Map<BackendKind, Binding>();

/** Loads (once) and returns a specific binary; throws if it cannot be loaded. */
export function loadBinding(kind: BackendKind): Binding {
  if (kind !== 'napi' && kind !== 'wasm') {
    throw new RangeError(`kind must be 'napi' or 'wasm', got ${describe(kind)}`);
  }
  let binding = loaded.get(kind);
  if (!binding) {
    binding = kind === 'napi' ? loadNapi() : loadWasmFromDisk();
    loaded.set(kind, binding);
  }
  return binding;
}

function forcedKind(): BackendKind | undefined {
  const value = globalThis.process?.env?.ACME_NATIVE;
  if (value === undefined || value === '') return undefined;
  if (value === 'napi' || value === 'wasm') return value;
  throw new Error(`ACME_NATIVE must be "napi" or "wasm", got "${value}"`);
}

function select(): { binding: Binding; info: BackendInfo } {
  const forced = forcedKind();
  if (forced) {
    try {
      return { binding: loadBinding(forced), info: { kind: forced, reason: 'forced by ACME_NATIVE' } };
    } catch (err) {
      throw new Error(
        `ACME_NATIVE=${forced} but the ${forced} binary failed to load: ${(err as Error).message}`,
      );
    }
  }
  try {
    return { binding: loadBinding('napi'), info: { kind: 'napi', reason: 'default: N-API addon loaded' } };
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    return {
      binding: loadBinding('wasm'),
      info: { kind: 'wasm', reason: `fallback: N-API addon unavailable (${why})` },
    };
  }
}

/** The binary in use, loaded on first use. */
export function native(): Binding {
  current ??= select();
  return current.binding;
}

/** Which binary is in use and why. */
export function backendInfo(): BackendInfo {
  current ??= select();
  return current.info;
}

/**
 * For browsers and other hosts without the filesystem: compiles the wasm module from its bytes,
 * a `Response` or a URL and makes it the binary in use.
 */
export async function initWasm(source: BufferSource | Response | URL | string): Promise<Binding> {
  let binding: Binding;
  try {
    binding = await compileWasm(source);
  } catch (err) {
    // WebAssembly's own messages ("expected magic word") do not say which argument was wrong.
    const why = err instanceof Error ? err.message : String(err);
    throw new TypeError(`source must be the acme_native.wasm module (bytes, a Response or a URL): ${why}`);
  }
  loaded.set('wasm', binding);
  current = { binding, info: { kind: 'wasm', reason: 'initialised by initWasm()' } };
  return binding;
}
