import { describe, expect, it } from 'vitest';
import { learningCurveSvg, movingAverage } from '../src/experiments/learning_curve.js';

describe('learning curve', () => {
  it('moving average uses the points seen so far, then a sliding window', () => {
    expect(movingAverage([2, 4, 6, 8], 2)).toEqual([2, 3, 5, 7]);
  });

  it('draws both curves inside the frame, with the title escaped', () => {
    const points = [10, 20, 30, 40].map((steps, i) => ({ steps, value: i * 10 }));
    const svg = learningCurveSvg(points, { title: 'DQN <cartpole>', window: 2, width: 200, height: 100 });
    expect(svg).toContain('DQN &lt;cartpole&gt;');
    const polylines = [...svg.matchAll(/points="([^"]+)"/g)].map((m) => m[1]!.split(' '));
    expect(polylines).toHaveLength(2);
    for (const line of polylines) {
      expect(line).toHaveLength(4);
      for (const p of line) {
        const [x, y] = p.split(',').map(Number);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(200);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(100);
      }
    }
    // The raw curve rises left to right: later points are drawn higher (smaller y).
    const raw = polylines[0]!.map((p) => Number(p.split(',')[1]));
    expect(raw[3]).toBeLessThan(raw[0]!);
  });
});
