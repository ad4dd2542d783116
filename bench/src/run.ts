/**
 * `pnpm bench [suite...]`: runs the named suites (all when none is named), prints their tables
 * and writes bench/results/<suite>.json.
 */
import { printTable, type Suite, writeResults } from './harness.js';
import { bridge } from './suites/bridge.js';
import { dqnSuite } from './suites/dqn.js';
import { envsSuite } from './suites/envs.js';
import { frames } from './suites/frames.js';
import { replay } from './suites/replay.js';
import { replayTable } from './suites/replay-table.js';
import { tfSuite } from './suites/tf.js';

const suites: Suite[] = [bridge, envsSuite, replay, tfSuite, frames, replayTable, dqnSuite];

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !suites.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.join(', ')}; choose from: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const results = new URL('../results/', import.meta.url);
for (const suite of suites.filter((s) => requested.length === 0 || requested.includes(s.name))) {
  const rows = await suite.run();
  printTable(suite, rows);
  console.log(`wrote ${writeResults(results, suite.name, rows)}`);
}
