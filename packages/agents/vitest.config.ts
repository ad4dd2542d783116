import { defineConfig } from 'vitest/config';

// Learning tests train real agents: give them room on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
