import { describe, expect, it } from 'vitest';
import { Learner } from '../src/index.js';

class StepCounter extends Learner<number> {
  steps = 0;
  constructor(readonly stopAt = Number.POSITIVE_INFINITY) {
    super();
  }
  step(): void {
    this.steps += 1;
    if (this.steps >= this.stopAt) throw new Error('dataset exhausted');
  }
  getVariables(names: readonly string[]): number[] {
    return names.map(() => this.steps);
  }
}

// acme/core_test.py
describe('Learner', () => {
  it('run(7) steps exactly 7 times', () => {
    const learner = new StepCounter();
    learner.run(7);
    expect(learner.steps).toBe(7);
  });

  it('run() without a count runs until step() throws, and propagates the error', () => {
    const learner = new StepCounter(100);
    expect(() => learner.run()).toThrow('dataset exhausted');
    expect(learner.steps).toBe(100);
  });

  it('getVariables returns one entry per name; save/restore are unimplemented by default', () => {
    const learner = new StepCounter();
    learner.run(2);
    expect(learner.getVariables(['a', 'b'])).toEqual([2, 2]);
    expect(() => learner.save()).toThrow(/StepCounter does not implement save/);
    expect(() => learner.run(-1)).toThrow(RangeError);
  });
});
