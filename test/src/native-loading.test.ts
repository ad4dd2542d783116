// How @acme-ts/native picks its binary, tested on the built package as an application sees it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = dirname(createRequire(import.meta.url).resolve('@acme-ts/native/package.json'));

/** Runs a module snippet in a fresh Node process and returns what it printed. */
function node(code: string, env: Record<string, string | undefined> = {}): string {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    env: childEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const report = (entry: string) =>
  `import { backendInfo, sumF32 } from ${JSON.stringify(entry)};
   console.log(JSON.stringify({ ...backendInfo(), sum: sumF32(new Float32Array([1, 2, 3])) }));`;

describe('binary selection', () => {
  const entry = join(packageDir, 'dist/index.js');

  it('uses the N-API addon by default', () => {
    expect(JSON.parse(node(report(entry), { ACME_NATIVE: undefined }))).toEqual({
      kind: 'napi',
      reason: 'default: N-API addon loaded',
      sum: 6,
    });
  });

  it('falls back to wasm, saying why, when the addon is missing', () => {
    const copy = mkdtempSync(join(tmpdir(), 'acme-native-'));
    try {
      cpSync(join(packageDir, 'dist'), join(copy, 'dist'), { recursive: true });
      cpSync(join(packageDir, 'binaries/acme_native.wasm'), join(copy, 'binaries/acme_native.wasm'));
      const out = JSON.parse(node(report(join(copy, 'dist/index.js')), { ACME_NATIVE: undefined }));
      expect(out.kind).toBe('wasm');
      expect(out.reason).toMatch(/^fallback: N-API addon unavailable \(.*acme_native\.node/);
      expect(out.sum).toBe(6);
      // Forcing the missing binary is an error, not a silent fallback.
      expect(() => node(report(join(copy, 'dist/index.js')), { ACME_NATIVE: 'napi' })).toThrow(
        /ACME_NATIVE=napi but the napi binary failed to load/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('rejects an unknown ACME_NATIVE value naming the choices', () => {
    expect(() => node(report(entry), { ACME_NATIVE: 'gpu' })).toThrow(
      /ACME_NATIVE must be "napi" or "wasm", got "gpu"/,
    );
  });
});
