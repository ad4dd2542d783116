/**
 * The fuzzer's child process: loads @acme-ts/native with the binary ACME_NATIVE names and makes
 * calls `start` .. `end - 1` of `seed`, reporting each outcome to the parent as soon as it has it,
 * so that when this process aborts or hangs the parent knows which call did it.
 *
 * argv: seed start end
 */
import { makeCall, type Outcome, Pool } from './calls.js';

const [seed, start, end] = process.argv.slice(2).map(Number) as [number, number, number];
// Resolved through the package's own name: the built API, exactly as a user imports it.
const api = await import('@acme-ts/native');
let pool = new Pool(api);
const send = (message: unknown) =>
  new Promise<void>((resolve, reject) =>
    process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())),
  );

for (let i = start; i < end; i++) {
  let outcome: Outcome;
  try {
    outcome = await makeCall(pool, seed, i);
  } catch {
    // The fixtures of a call failed: objects the pool held were lost (a wasm trap replaces the
    // instance they lived in). Start from new ones; a second failure is the fuzzer's own bug.
    pool = new Pool(api);
    outcome = await makeCall(pool, seed, i);
  }
  await send(outcome);
}
await send({ done: true });
process.exit(0);
