import { checkEnvironment, StepType } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import { Catch } from '../src/index.js';

function ballColumn(board: Float32Array, columns: number): number {
  return board.slice(0, columns).indexOf(1);
}

describe('Catch (bsuite)', () => {
  it('starts with the ball in row 0 and the paddle mid-bottom', () => {
    const env = new Catch({ seed: 1 });
    const ts = env.reset();
    expect(env.observationSpec().shape).toEqual([10, 5]);
    expect(env.observationSpec().name).toBe('board');
    expect([ts.stepType, ts.reward, ts.discount]).toEqual([StepType.FIRST, null, null]);
    const board = ts.observation;
    expect(board.reduce((a, b) => a + b, 0)).toBe(2);
    expect(ballColumn(board, 5)).toBeGreaterThanOrEqual(0);
    expect(board[9 * 5 + 2]).toBe(1);
  });

  it('every episode lasts 9 steps and ends by termination with ±1', () => {
    const env = new Catch({ seed: 2 });
    for (let episode = 0; episode < 20; episode++) {
      env.reset();
      for (let t = 1; t <= 9; t++) {
        const ts = env.step(episode % 3);
        if (t < 9) expect([ts.stepType, ts.reward, ts.discount]).toEqual([StepType.MID, 0, 1]);
        else {
          expect([ts.stepType, ts.discount]).toEqual([StepType.LAST, 0]);
          expect(Math.abs(ts.reward!)).toBe(1);
        }
      }
    }
  });

  it('a policy that moves toward the ball always catches it; "always left" only when the ball is in column 0', () => {
    const env = new Catch({ seed: 3 });
    let caught = 0;
    for (let episode = 0; episode < 50; episode++) {
      let ts = env.reset();
      const target = ballColumn(ts.observation, 5);
      let paddle = 2;
      while (!ts.last()) {
        const action = target < paddle ? 0 : target > paddle ? 2 : 1;
        paddle += action - 1;
        ts = env.step(action);
      }
      caught += ts.reward === 1 ? 1 : 0;
    }
    expect(caught).toBe(50);

    const left = new Catch({ seed: 4 });
    for (let episode = 0; episode < 50; episode++) {
      let ts = left.reset();
      const column = ballColumn(ts.observation, 5);
      while (!ts.last()) ts = left.step(0);
      expect(ts.reward).toBe(column === 0 ? 1 : -1);
    }
  });

  it('draws every column, deterministically per seed', () => {
    const columns = (seed: number) => {
      const env = new Catch({ seed });
      return Array.from({ length: 100 }, () => ballColumn(env.reset().observation, 5));
    };
    expect(new Set(columns(5))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(columns(5)).toEqual(columns(5));
    expect(columns(5)).not.toEqual(columns(6));
  });

  it('renders text and accepts other board sizes', () => {
    const env = new Catch({ seed: 0, rows: 4, columns: 3 });
    env.reset();
    expect(env.renderText().split('\n')).toHaveLength(4);
    expect(env.renderText().split('\n')[3]).toBe('.=.');
    expect(() => new Catch({ rows: 1 })).toThrow(RangeError);
  });

  it('keeps the dm_env contract', () => {
    expect(checkEnvironment({ make: (seed) => new Catch({ seed }), steps: 100 }).episodes).toBe(10);
  });
});
