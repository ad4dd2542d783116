/**
 * `acme play RUN_DIR [--render]`: plays greedy episodes with the run's saved model. With
 * `--render`, every frame is written as a PNG (environments that draw pictures) or shown as text in
 * the terminal (those that draw text); otherwise it prints each episode's return.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluateActor } from '@acme-ts/agents';
import { type EnvLoopObserver, writeFileAtomic } from '@acme-ts/core';
import { evaluationProtocol } from '../environments.js';
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
  const { record, entry, env, policy, actor } = await loadPolicy(dir, 3_000_003);
  const framesDir = resolve(options.out ?? join(dir, 'play'));
  if (options.render && !entry.render) {
    options.log(`${record.env} cannot draw itself; playing without pictures`);
  }
  // Pictures are taken as the loop runs and written once it is done (the loop does not wait).
  const pictures: { png?: Uint8Array; text?: string }[] = [];
  const draw = () => {
    if (options.render && entry.render && pictures.length < options.maxFrames)
      pictures.push(entry.render(env));
  };
  const drawer: EnvLoopObserver<ArrayLike<number>, number> = {
    observeFirst: draw,
    observe: draw,
    getMetrics: () => ({}),
  };
  // Plays as evaluation does (Atari: epsilon 0.05 and at most 5 minutes per episode).
  const result = evaluateActor(env, actor, options.episodes, {
    ...evaluationProtocol(entry, 3),
    observers: [drawer],
  });
  policy.dispose();
  let written = 0;
  for (const picture of pictures) {
    if (picture.png) {
      mkdirSync(framesDir, { recursive: true });
      await writeFileAtomic(join(framesDir, `frame_${String(written).padStart(5, '0')}.png`), [picture.png]);
      written++;
    } else if (picture.text) {
      options.log(`\n${picture.text}`);
    }
  }
  result.returns.forEach((r, e) => {
    options.log(`episode ${e + 1}: return ${r}`);
  });
  if (written > 0) options.log(`${written} frames written to ${framesDir}`);
  return result.returns;
}
