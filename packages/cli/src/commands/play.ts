/**
 * `acme play RUN_DIR [--render]`: plays greedy episodes with the run's saved model. With
 * `--render`, every frame is written as a PNG (environments that draw pictures) or shown as text in
 * the terminal (those that draw text); otherwise it prints each episode's return.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  const { record, entry, env, policy } = await loadPolicy(dir, 3_000_003);
  const framesDir = resolve(options.out ?? join(dir, 'play'));
  if (options.render && !entry.render) {
    options.log(`${record.env} cannot draw itself; playing without pictures`);
  }
  const returns: number[] = [];
  let frame = 0;
  const draw = () => {
    if (!options.render || !entry.render || frame >= options.maxFrames) return;
    const picture = entry.render(env);
    if (picture.png) {
      mkdirSync(framesDir, { recursive: true });
      writeFileSync(join(framesDir, `frame_${String(frame).padStart(5, '0')}.png`), picture.png);
    } else if (picture.text) {
      options.log(`\n${picture.text}`);
    }
    frame++;
  };
  for (let e = 0; e < options.episodes; e++) {
    let timestep = env.reset();
    draw();
    let total = 0;
    while (!timestep.last()) {
      timestep = env.step(policy.greedyAction(timestep.observation));
      total += timestep.reward ?? 0;
      draw();
    }
    returns.push(total);
    options.log(`episode ${e + 1}: return ${total}`);
  }
  policy.dispose();
  if (options.render && frame > 0 && entry.render?.(env).png)
    options.log(`${frame} frames written to ${framesDir}`);
  return returns;
}
