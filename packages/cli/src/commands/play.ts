/**
 * `acme play RUN_DIR [--render]`: plays greedy episodes with the run's saved model. With
 * `--render`, every frame is written as a PNG (environments that draw pictures) or shown as text in
 * the terminal (those that draw text); otherwise it prints each episode's return.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@acme-ts/core';
import { evaluationOptions } from '../environments.js';
import { loadPolicy } from './evaluate.js';

export async function play(
  runDir: string,
  options: {
    episodes: number;
    render: boolean;
    out?: string;
    maxFrames: number;
    log: (line: string) => void;
  },
): Promise<number[]> {
  const dir = resolve(runDir);
  const { record, entry, env, policy, spec } = await loadPolicy(dir, 3_000_003);
  // Plays as evaluation does (Atari: epsilon 0.05 and at most 5 minutes per episode).
  const rule = evaluationOptions(entry, spec, 3);
  const maxSteps = rule.maxSteps ?? Number.POSITIVE_INFINITY;
  const framesDir = resolve(options.out ?? join(dir, 'play'));
  if (options.render && !entry.render) {
    options.log(`${record.env} cannot draw itself; playing without pictures`);
  }
  const returns: number[] = [];
  let frame = 0;
  const draw = async () => {
    if (!options.render || !entry.render || frame >= options.maxFrames) return;
    const picture = entry.render(env);
    if (picture.png) {
      mkdirSync(framesDir, { recursive: true });
      await writeFileAtomic(join(framesDir, `frame_${String(frame).padStart(5, '0')}.png`), [picture.png]);
    } else if (picture.text) {
      options.log(`\n${picture.text}`);
    }
    frame++;
  };
  for (let e = 0; e < options.episodes; e++) {
    let timestep = env.reset();
    await draw();
    let total = 0;
    for (let t = 0; !timestep.last() && t < maxSteps; t++) {
      const explore = rule.random !== undefined && rule.random.float() < (rule.epsilon ?? 0);
      const action = explore ? rule.random!.int(rule.numActions!) : policy.greedyAction(timestep.observation);
      timestep = env.step(action);
      total += timestep.reward ?? 0;
      await draw();
    }
    returns.push(total);
    options.log(`episode ${e + 1}: return ${total}`);
  }
  policy.dispose();
  if (options.render && frame > 0 && entry.render?.(env).png)
    options.log(`${frame} frames written to ${framesDir}`);
  return returns;
}
