import { describe, expect, it } from 'vitest';
import { Counter } from '../src/index.js';

// The cases of acme/utils/counting_test.py.
describe('Counter', () => {
  it('increments and returns every count', () => {
    const counter = new Counter();
    counter.increment({ foo: 1 });
    expect(counter.increment({ foo: 2, bar: 1 })).toEqual({ foo: 3, bar: 1 });
    expect(counter.getCounts()).toEqual({ foo: 3, bar: 1 });
  });

  it('many increments add up', () => {
    const counter = new Counter();
    for (let i = 0; i < 10; i++) counter.increment({ foo: 1 });
    expect(counter.getCounts().foo).toBe(10);
  });

  it('syncs a child to its parent under the prefix', () => {
    const parent = new Counter();
    const child = new Counter({ parent, prefix: 'child', timeDelta: 0 });
    child.increment({ foo: 1 });
    expect(parent.getCounts()).toEqual({ child_foo: 1 });
    expect(child.getCounts()).toEqual({ child_foo: 1 });
  });

  it('children see each other through the parent', () => {
    const parent = new Counter();
    const child1 = new Counter({ parent, prefix: 'child1', timeDelta: 0 });
    const child2 = new Counter({ parent, prefix: 'child2', timeDelta: 0 });
    child1.increment({ foo: 1 });
    child2.increment({ foo: 2 });
    expect(parent.getCounts()).toEqual({ child1_foo: 1, child2_foo: 2 });
    expect(child1.getCounts()).toEqual({ child1_foo: 1, child2_foo: 2 });
  });

  it('returnOnlyPrefixed strips the prefix and hides other keys', () => {
    const parent = new Counter();
    const child1 = new Counter({ parent, prefix: 'child1', timeDelta: 0, returnOnlyPrefixed: true });
    const child2 = new Counter({ parent, prefix: 'child2', timeDelta: 0, returnOnlyPrefixed: true });
    child1.increment({ foo: 1 });
    child2.increment({ bar: 1 });
    expect(child2.getCounts()).toEqual({ bar: 1 });
    expect(child1.getStepsKey()).toBe('steps');
  });

  it('steps keys', () => {
    expect(new Counter().getStepsKey()).toBe('steps');
    expect(new Counter({ prefix: 'child1' }).getStepsKey()).toBe('child1_steps');
  });

  it('holds counts locally until timeDelta has passed', () => {
    const parent = new Counter();
    const child = new Counter({ parent, prefix: 'actor', timeDelta: 3600 });
    child.increment({ steps: 1 }); // first call syncs (last sync time starts at 0)
    child.increment({ steps: 2 }); // within the hour: local only
    expect(parent.getCounts()).toEqual({ actor_steps: 1 });
    expect(child.getCounts()).toEqual({ actor_steps: 3 });
  });

  it('save and restore round-trip (and restore forces a sync)', () => {
    const parent = new Counter();
    const child = new Counter({ parent, prefix: 'learner', timeDelta: 3600 });
    child.increment({ steps: 1 });
    child.increment({ steps: 4 });
    const state = child.save();
    expect(state).toEqual({ counts: { steps: 4 }, cache: { learner_steps: 1 } });
    const otherParent = new Counter();
    const restored = new Counter({ parent: otherParent, prefix: 'learner', timeDelta: 3600 });
    restored.restore(state);
    expect(restored.getCounts()).toEqual({ learner_steps: 4 });
    expect(otherParent.getCounts()).toEqual({ learner_steps: 4 });
  });

  it('rejects bad arguments', () => {
    expect(() => new Counter({ timeDelta: -1 })).toThrow(RangeError);
    expect(() => new Counter().increment({ foo: Number.NaN })).toThrow(/foo/);
    expect(() => new Counter().restore({} as never)).toThrow(TypeError);
    expect(() => new Counter().restore({ counts: { steps: -5 }, cache: {} })).toThrow(
      'state.counts.steps must be a finite number >= 0, got -5',
    );
    expect(() => new Counter().restore({ counts: {}, cache: { steps: Number.NaN } })).toThrow(RangeError);
  });
});
