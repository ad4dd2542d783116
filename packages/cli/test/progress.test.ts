import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../src/progress.js';

describe('progress', () => {
  it('reports steps, episodes, recent return, rate and ETA; plain lines are throttled', () => {
    let t = 0;
    const lines: string[] = [];
    const bar = new ProgressBar({
      totalSteps: 1000,
      stream: { write: (s: string) => lines.push(s), isTTY: false },
      plainEverySeconds: 5,
      now: () => t,
    });
    t = 2;
    bar.write({ actor_steps: 200, actor_episodes: 4, episode_return: 10 });
    t = 3;
    bar.write({ actor_steps: 300, actor_episodes: 5, episode_return: 20 });
    expect(lines).toHaveLength(1); // the second write came within 5 s of the first line
    expect(bar.line()).toBe(
      ' 30% 300/1000 steps | 5 episodes | return 15.0 | 100 steps/s | elapsed 00:03 | ETA 00:07',
    );
    bar.close();
    expect(lines).toHaveLength(2);
  });
});
