import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

/**
 * A replacement for a kernel the wasm backend already has: ours runs when `accept` returns true
 * for the call, the backend's own otherwise (NCHW data, an activation we do not fuse, ...). The
 * backend's `setupFunc` is kept, because the engine runs it when the backend initialises.
 */
export function replacing(
  kernelName: string,
  original: KernelConfig | undefined,
  ours: (args: Parameters<KernelFunc>[0]) => ReturnType<KernelFunc> | undefined,
): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const result = ours(args);
    if (result !== undefined) return result;
    if (!original) {
      throw new Error(
        `${kernelName}: these arguments need the wasm backend's own kernel, which is not registered`,
      );
    }
    return original.kernelFunc(args);
  };
  const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc };
  if (original?.setupFunc) config.setupFunc = original.setupFunc;
  if (original?.disposeFunc) config.disposeFunc = original.disposeFunc;
  return config;
}
