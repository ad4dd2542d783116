import { defineConfig } from 'vitest/config';

// The same suite runs once per binary: the contract is that both behave identically.
export default defineConfig({
  test: {
    // The oracle comparisons run plain-TypeScript references over many frames: slow on a busy machine.
    testTimeout: 60_000,
    projects: (['napi', 'wasm'] as const).map((kind) => ({
      extends: true,
      test: { name: kind, env: { ACME_NATIVE: kind }, include: ['test/**/*.test.ts'] },
    })),
  },
});
