import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentLoop, makeEnvironmentSpec, NoOpLogger } from '@acme-ts/core';
import { Catch } from '@acme-ts/envs';
import { selectBackend } from '@acme-ts/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { Checkpointer, makeConfig, makeDQN, readStateFiles, writeStateFiles } from '../src/index.js';

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', log: false });
});

describe('DQN through the checkpoint files', () => {
  it('restores the learner, optimizer, replay and actor exactly: training continues identically', async () => {
    const config = makeConfig('catch', { minReplaySize: 100 });
    const spec = makeEnvironmentSpec(new Catch());
    const original = makeDQN(spec, config, 7);
    new EnvironmentLoop(new Catch({ seed: 1 }), original.agent, { logger: new NoOpLogger() }).run({
      episodes: 40,
    });
    expect(original.learner.steps).toBeGreaterThan(10);

    const checkpointer = new Checkpointer(join(mkdtempSync(join(tmpdir(), 'dqn-ckpt-')), 'checkpoint'));
    const state = {
      learner: await original.learner.snapshot(),
      actor: original.actor.save(),
      observations: original.agent.observations,
      extra: { note: 'x', best: Float32Array.of(1, 2, 3) },
    };
    await checkpointer.save((folder) => writeStateFiles(folder, state, [original.table]));
    const loaded = await checkpointer.restore((folder) => readStateFiles(folder));
    expect(loaded?.warnings).toEqual([]);
    const back = loaded!.value.state as typeof state;
    expect(back.extra).toEqual({ note: 'x', best: Float32Array.of(1, 2, 3) });
    const [table] = loaded!.value.tables;
    expect(table!.size).toBe(original.table.size);

    const restored = makeDQN(spec, config, 7, { table: table!, observations: back.observations });
    await restored.learner.restoreSnapshot(back.learner);
    restored.actor.restore(back.actor);
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

  it('a learner state with the wrong sizes or counts is refused, naming what is wrong', async () => {
    const config = makeConfig('catch');
    const parts = makeDQN(makeEnvironmentSpec(new Catch()), config, 1);
    const good = await parts.learner.snapshot();
    await expect(parts.learner.restoreSnapshot({ ...good, steps: -5 })).rejects.toThrow(
      /learner state: steps/,
    );
    await expect(parts.learner.restoreSnapshot({ ...good, online: good.online.subarray(1) })).rejects.toThrow(
      /learner state: online holds \d+ weights, the network has \d+/,
    );
    expect(() => parts.actor.restore({ steps: -1, random: [1, 2, 3, 4] })).toThrow(
      'state.steps must be an integer >= 0, got -1',
    );
    parts.table.close();
  });
});
