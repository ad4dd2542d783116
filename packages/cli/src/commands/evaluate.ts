/**
 * `acme evaluate RUN_DIR`: loads the run's saved model and reports its greedy return over fresh
 * episodes (seeded apart from training and from the run's own final evaluation).
 */
import { join, resolve } from 'node:path';
import { agentDefinition, type EvaluationResult, evaluateActor } from '@acme-ts/agents';
import { jsonEncode, makeEnvironmentSpec, writeTextAtomic } from '@acme-ts/core';
import { selectBackend } from '@acme-ts/tf';
import { environmentEntry, evaluationProtocol } from '../environments.js';
import { runRecordOf } from './train.js';

/** The run's saved model as a greedy actor in a fresh environment seeded `seedOffset` from the run's. */
export async function loadPolicy(runDir: string, seedOffset: number) {
  const record = runRecordOf(runDir);
  const entry = environmentEntry(record.env);
  const agent = agentDefinition(record.agent);
  if (!agent.loadActor) throw new Error(`agent ${record.agent} keeps no model to play with`);
  await selectBackend({ log: false });
  const env = entry.make(record.seed + seedOffset);
  const spec = makeEnvironmentSpec(env);
  const loaded = await agent.loadActor(record.config, spec, join(runDir, 'model'));
  return { record, entry, env, actor: loaded.actor, policy: loaded, spec };
}

export async function evaluateRun(
  runDir: string,
  options: { episodes?: number; seed?: number; log: (line: string) => void },
): Promise<EvaluationResult> {
  const dir = resolve(runDir);
  const { record, entry, env, policy, actor } = await loadPolicy(dir, 2_000_003 + (options.seed ?? 0));
  const episodes = options.episodes ?? entry.evalEpisodes;
  const result = evaluateActor(env, actor, episodes, evaluationProtocol(entry, options.seed ?? 0));
  policy.dispose();
  options.log(
    `${record.env}: greedy return over ${episodes} episodes ${result.mean.toFixed(2)} ± ${result.std.toFixed(2)} ` +
      `(min ${Math.min(...result.returns)}, max ${Math.max(...result.returns)})`,
  );
  await writeTextAtomic(
    join(dir, 'evaluation.json'),
    `${jsonEncode({ env: record.env, ...result }, { indent: 2 })}\n`,
  );
  return result;
}
