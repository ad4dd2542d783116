import { defineConfig } from 'vitest/config';

// Everything runs with the N-API addon (the default in Node); the kernel checks run a second time
// through the addon's portable WebAssembly twin, which copies tensors in and out.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'napi', env: { ACME_NATIVE: 'napi' }, include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'wasm', env: { ACME_NATIVE: 'wasm' }, include: ['test/kernels.test.ts'] },
      },
    ],
  },
});
