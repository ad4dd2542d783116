/**
 * The WebAssembly binding: one module instance, with each core's exports bound by its own file.
 */
import type { Binding } from '../binding.js';
import { bindFrames } from './frames.js';
import { bindKernels } from './kernels.js';
import { WasmModule } from './module.js';
import { bindReplay } from './replay.js';
import { bindStats } from './stats.js';

export function bindWasm(wasm: WasmModule): Binding {
  return { kind: 'wasm', ...bindFrames(wasm), ...bindStats(wasm), ...bindKernels(wasm), ...bindReplay(wasm) };
}

/** Compiles the module shipped beside this package (Node), synchronously. */
export function loadWasmFromDisk(): Binding {
  const proc = globalThis.process;
  if (!proc?.versions?.node) {
    throw new Error('in a browser, call initWasm(source) with the acme_native.wasm bytes or URL first');
  }
  const { readFileSync } = proc.getBuiltinModule('node:fs') as typeof import('node:fs');
  const bytes = readFileSync(new URL('../../binaries/acme_native.wasm', import.meta.url));
  return bindWasm(new WasmModule(new WebAssembly.Module(bytes)));
}

/** Compiles the module from bytes, a Response or a URL (any environment with WebAssembly). */
export async function compileWasm(source: BufferSource | Response | URL | string): Promise<Binding> {
  let module: WebAssembly.Module;
  if (source instanceof URL || typeof source === 'string') {
    module = await WebAssembly.compileStreaming(fetch(source));
  } else if (typeof Response !== 'undefined' && source instanceof Response) {
    module = await WebAssembly.compileStreaming(source);
  } else {
    module = await WebAssembly.compile(source as BufferSource);
  }
  return bindWasm(new WasmModule(module));
}
