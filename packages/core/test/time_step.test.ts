import { describe, expect, it } from 'vitest';
import { restart, StepType, TimeStep, termination, transition, truncation } from '../src/index.js';

describe('TimeStep helpers (dm_env)', () => {
  it('restart is FIRST with null reward and discount', () => {
    const ts = restart('o');
    expect([ts.stepType, ts.reward, ts.discount, ts.observation]).toEqual([StepType.FIRST, null, null, 'o']);
    expect(ts.first()).toBe(true);
    expect(ts.mid() || ts.last()).toBe(false);
  });

  it('transition is MID with discount 1 by default', () => {
    const ts = transition(0.5, 'o');
    expect([ts.stepType, ts.reward, ts.discount]).toEqual([StepType.MID, 0.5, 1]);
    expect(transition(0.5, 'o', 0.9).discount).toBe(0.9);
    expect(ts.mid()).toBe(true);
  });

  it('termination is LAST with discount 0; truncation is LAST with discount 1', () => {
    const end = termination(1, 'o');
    const cut = truncation(1, 'o');
    expect([end.stepType, end.discount]).toEqual([StepType.LAST, 0]);
    expect([cut.stepType, cut.discount]).toEqual([StepType.LAST, 1]);
    expect(truncation(1, 'o', 0.5).discount).toBe(0.5);
    expect(end.last() && cut.last()).toBe(true);
  });

  it('keeps dm_env field order and values', () => {
    expect(Object.keys(new TimeStep(StepType.MID, 1, 1, 0))).toEqual([
      'stepType',
      'reward',
      'discount',
      'observation',
    ]);
    expect([StepType.FIRST, StepType.MID, StepType.LAST]).toEqual([0, 1, 2]);
  });
});
