import type { Binding } from '@acme-ts/native';

let chosen: Binding | undefined;

/**
 * Options for every `@acme-ts/native` call of the kernels: the binary `registerWasmKernels`
 * was given, else none (then `native()` decides: the N-API addon in Node, else the wasm module).
 */
export function kernelOptions(): { binding?: Binding } {
  return chosen ? { binding: chosen } : {};
}

export function setKernelBinding(binding: Binding | undefined): void {
  chosen = binding;
}
