import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConfig } from '@acme-ts/agents';
import { jsonEncode } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { runRecordOf } from '../src/commands/train.js';

function runFolder(record: unknown, text?: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'run-record-')), 'run');
  mkdirSync(dir);
  writeFileSync(join(dir, 'run.json'), text ?? jsonEncode(record, { indent: 2 }));
  return dir;
}

const good = {
  agent: 'dqn',
  env: 'cartpole',
  seed: 0,
  preset: 'cartpole',
  steps: 1000,
  evalEpisodes: 2,
  checkpointEvery: 500,
  config: makeConfig('cartpole'),
};

describe('run.json', () => {
  it('keeps Infinity in the config through its round trip', () => {
    expect(good.config.maxAbsReward).toBe(Number.POSITIVE_INFINITY);
    expect((runRecordOf(runFolder(good)).config as { maxAbsReward: number }).maxAbsReward).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('names the file and the damage when it is corrupt', () => {
    const bad = runFolder(undefined, '{"agent": "dqn", "env": ');
    expect(() => runRecordOf(bad)).toThrow(new RegExp(`^${join(bad, 'run.json')}: not valid JSON`));
    const negative = runFolder({ ...good, steps: -5 });
    expect(() => runRecordOf(negative)).toThrow(/run\.json: steps .* \(got -5\)/);
    // A record written by plain JSON.stringify: Infinity came back as null.
    const nulled = runFolder(undefined, JSON.stringify(good));
    expect(() => runRecordOf(nulled)).toThrow(
      /run\.json \(config\): maxAbsReward must be a number > 0, or Infinity/,
    );
    const unknownEnv = runFolder({ ...good, env: 'pong' });
    expect(() => runRecordOf(unknownEnv)).toThrow('unknown environment "pong"');
  });
});
