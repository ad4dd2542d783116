import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, EnvironmentLoop, makeEnvironmentSpec, NoOpLogger, Random } from '@acme-ts/core';
import { Catch } from '@acme-ts/envs';
import { selectBackend } from '@acme-ts/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, makeConfig, makeDQN, saveCheckpoint } from '../src/index.js';

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', log: false });
});

describe('DQN checkpoints', () => {
  it('restore the learner, optimizer, replay and actor exactly: training continues identically', async () => {
    const config = makeConfig('catch', { minReplaySize: 100 });
    const spec = makeEnvironmentSpec(new Catch());
    const original = makeDQN(spec, config, 7);
    const counter = new Counter();
    new EnvironmentLoop(new Catch({ seed: 1 }), original.agent, { counter, logger: new NoOpLogger() }).run({
      episodes: 40,
    });
    expect(original.learner.steps).toBeGreaterThan(10);

    const dir = join(mkdtempSync(join(tmpdir(), 'dqn-ckpt-')), 'checkpoint');
    await saveCheckpoint(
      dir,
      {
        learner: await original.learner.snapshot(),
        actorSteps: original.actor.steps,
        observations: original.agent.observations,
        actorRandom: original.actor.random.save(),
        counter: counter.save(),
        extra: { note: 'x' },
        arrays: { best: Float32Array.of(1, 2, 3) },
      },
      original.table,
    );
    const loaded = await loadCheckpoint(dir);
    expect(loaded?.generation).toBe(1);
    expect(loaded?.warnings).toEqual([]);
    const { checkpoint, table } = loaded!.value;
    expect(checkpoint.extra).toEqual({ note: 'x' });
    expect(checkpoint.arrays.best).toEqual(Float32Array.of(1, 2, 3));
    expect(table.size).toBe(original.table.size);

    const restored = makeDQN(spec, config, 7, {
      table,
      actorSteps: checkpoint.actorSteps,
      observations: checkpoint.observations,
      actorRandom: Random.fromState(checkpoint.actorRandom),
    });
    await restored.learner.restoreSnapshot(checkpoint.learner);
    restored.actor.update(true);
    expect(restored.learner.getVariables()[0]).toEqual(original.learner.getVariables()[0]);

    // Both continue on the same episodes: same actions, same samples, same Adam moments => same weights.
    for (const parts of [original, restored]) {
      new EnvironmentLoop(new Catch({ seed: 2 }), parts.agent, { logger: new NoOpLogger() }).run({
        episodes: 10,
      });
    }
    expect(restored.learner.steps).toBe(original.learner.steps);
    expect(restored.learner.getVariables()[0]).toEqual(original.learner.getVariables()[0]);
  });

  it('a folder without checkpoints gives undefined, and the caller decides', async () => {
    expect(await loadCheckpoint('/nonexistent/checkpoint')).toBeUndefined();
  });
});
