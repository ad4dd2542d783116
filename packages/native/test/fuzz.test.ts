// The short form of `pnpm fuzz` (fuzz/run.ts): a few hundred seeded calls on the binary this
// project runs (see vitest.config.ts), in process. The full run uses child processes to see aborts
// and hangs; here an abort would kill the test worker, which fails the run just as well.
import { describe, expect, it } from 'vitest';
import { makeCall, Pool } from '../fuzz/calls.js';
import { coverage } from '../fuzz/surface.js';
import * as api from '../src/index.js';

describe(`fuzz (${process.env.ACME_NATIVE})`, () => {
  it('calls every export of the package', () => {
    expect(coverage(api)).toEqual([]);
  });

  it('600 malformed calls: every failure is an Error naming an argument (or the state), none is a trap or a Rust panic', async () => {
    const pool = new Pool(api);
    const bad: string[] = [];
    let named = 0;
    for (let i = 0; i < 600; i++) {
      const o = await makeCall(pool, 7, i);
      if (
        o.verdict === 'non-error' ||
        o.verdict === 'unnamed' ||
        o.detail.includes('Rust panic') ||
        o.detail.includes('RuntimeError')
      ) {
        bad.push(`#${i} ${o.target} (${o.verdict}): ${o.detail}`);
      }
      if (o.verdict === 'named') named++;
    }
    expect(bad).toEqual([]);
    // The calls do fail: a fuzzer whose calls all succeeded would prove nothing.
    expect(named).toBeGreaterThan(100);
  });
});
