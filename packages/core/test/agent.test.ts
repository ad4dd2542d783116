import { describe, expect, it } from 'vitest';
import { type Actor, Agent, StepType, type TimeStep, VariableClient } from '../src/index.js';

class CountingActor implements Actor<number, number> {
  updates = 0;
  selectAction(): number {
    return 0;
  }
  observeFirst(): void {}
  observe(): void {}
  update(): void {
    this.updates++;
  }
}

const mid: TimeStep<number> = {
  stepType: StepType.MID,
  reward: 0,
  discount: 1,
  observation: 0,
} as TimeStep<number>;

function run(
  agent: { observe(a: number, t: TimeStep<number>): void; update(): void },
  observations: number,
): void {
  for (let i = 0; i < observations; i++) {
    agent.observe(0, mid);
    agent.update();
  }
}

describe('Agent (acme/agents/agent.py)', () => {
  it('starts learning after minObservations and keeps the samples-per-insert ratio', () => {
    let steps = 0;
    const counting = {
      tryStep: () => {
        steps++;
        return true;
      },
    };
    const actor = new CountingActor();
    const agent = new Agent<number, number>(actor, counting, { minObservations: 10, observationsPerStep: 4 });
    run(agent, 9);
    expect(steps).toBe(0);
    run(agent, 31); // observations 10..40: a step at 10, 14, ..., 38
    expect(steps).toBe(8);
    expect(actor.updates).toBe(8);
    const eager = new Agent<number, number>(new CountingActor(), counting, {
      minObservations: 0,
      observationsPerStep: 0.25,
    });
    steps = 0;
    run(eager, 5);
    expect(steps).toBe(20);
  });

  it('skips a step the learner cannot take, without refreshing the actor', () => {
    const actor = new CountingActor();
    const agent = new Agent<number, number>(
      actor,
      { tryStep: () => false },
      { minObservations: 0, observationsPerStep: 1 },
    );
    run(agent, 5);
    expect(actor.updates).toBe(0);
    expect(agent.observations).toBe(5);
  });

  it('rejects impossible ratios', () => {
    const learner = { tryStep: () => true };
    expect(
      () =>
        new Agent<number, number>(new CountingActor(), learner, {
          minObservations: -1,
          observationsPerStep: 1,
        }),
    ).toThrow('minObservations must be an integer >= 0, got -1');
    expect(
      () =>
        new Agent<number, number>(new CountingActor(), learner, {
          minObservations: 0,
          observationsPerStep: 0,
        }),
    ).toThrow('observationsPerStep must be a finite number > 0, got 0');
  });
});

describe('VariableClient', () => {
  it('pulls every period-th update, or at once when asked', () => {
    let version = 0;
    const applied: number[] = [];
    const client = new VariableClient(
      () => ++version,
      (v) => applied.push(v),
      3,
    );
    for (let i = 0; i < 7; i++) client.update();
    expect(applied).toEqual([1, 2]);
    client.updateAndWait();
    expect(applied).toEqual([1, 2, 3]);
    expect(
      () =>
        new VariableClient(
          () => 0,
          () => {},
          0,
        ),
    ).toThrow('period must be an integer >= 1, got 0');
  });
});
