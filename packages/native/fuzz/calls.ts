/**
 * One fuzz call: call `i` of a seed picks a target, starts from its valid arguments, breaks some of
 * them (or its receiver), makes the call and judges what came out.
 */

import { judge, type Verdict } from './judge.js';
import { Random } from './random.js';
import { type Api, type Fixtures, type Instance, TARGETS, type Target } from './surface.js';
import { mutate } from './values.js';

export interface Outcome {
  readonly i: number;
  readonly target: string;
  readonly verdict: Verdict;
  /** The error's class and message, or the value's type when the call returned. */
  readonly detail: string;
}

/** Live instances per class (valid ones, remade when freed) and the keys of the current engine. */
export class Pool implements Fixtures {
  readonly api: Api;
  readonly #instances = new Map<string, Instance>();
  #keys = new Float64Array(0);

  constructor(api: Api) {
    this.api = api;
  }

  instance(name: string): Instance {
    let made = this.#instances.get(name);
    if (made === undefined) {
      made = this.#make(name);
      this.#instances.set(name, made);
    }
    return made;
  }

  /** Forgets `name`'s instance (after a call that may have freed or broken it). */
  forget(name: string): void {
    this.#instances.delete(name);
  }

  keys(): Float64Array {
    const engine = this.instance('ReplayEngine');
    if (engine.size === 0 || this.#keys.length === 0) {
      const batch = engine.createBatch(3);
      this.#keys = engine.insertBatch(new Float64Array([1, 2, 3]), batch);
    }
    return new Float64Array(this.#keys);
  }

  #make(name: string): Instance {
    const api = this.api;
    switch (name) {
      case 'RunningMeanStd':
        return new api.RunningMeanStd(3);
      case 'FramePreprocessor':
        return new api.FramePreprocessor({ height: 20, width: 16, scaleDims: [10, 8], numStackedFrames: 2 });
      case 'FramePreprocessorBatch':
        return new api.FramePreprocessorBatch(2, {
          height: 20,
          width: 16,
          scaleDims: [10, 8],
          numStackedFrames: 2,
        });
      case 'ReplayEngine':
        this.#keys = new Float64Array(0);
        return new api.ReplayEngine({
          maxSize: 16,
          sampler: api.Selectors.prioritized(0.6),
          seed: 3,
          columns: [
            { name: 'obs', dtype: 'float32', shape: [2] },
            { name: 'act', dtype: 'int32' },
          ],
        });
      case 'RateLimiter':
        return new api.RateLimiter(api.RateLimiters.sampleToInsertRatio(1.5, 2, [-1, 3]));
      case 'ReplayLayout':
        return new api.ReplayLayout([{ name: 'obs', dtype: 'float32', shape: [2] }], { shape: [4, 4] }, 16);
      case 'ReplayBatch':
        return this.instance('ReplayEngine').createBatch(2);
      default:
        throw new Error(`the fuzzer has no fixture for class ${name}`);
    }
  }
}

/** The names an error of `target` may use: its arguments and their fields. */
function namesOf(target: Target): string[] {
  return target.args.flatMap((arg) => [arg.name, ...(arg.fields ?? [])]);
}

/** Builds and makes call `i` of `seed`. Never throws: the outcome says what happened. */
export async function makeCall(pool: Pool, seed: number, i: number): Promise<Outcome> {
  const r = new Random(seed, i);
  const target = r.pick(TARGETS);
  let self: Instance;
  let args: unknown[];
  try {
    args = target.args.map((arg) => arg.good(pool));
    // One call in eight stays valid, so the fuzzer also walks through states a program reaches.
    if (args.length > 0 && !r.chance(0.125)) {
      const broken = r.chance(0.25) ? 2 : 1;
      for (let k = 0; k < broken; k++) {
        const at = r.int(args.length);
        args[at] = mutate(r, args[at]);
      }
    }
    if (r.chance(0.03)) args = args.slice(0, r.int(args.length + 1));
    if (target.receiver) {
      self = pool.instance(target.receiver);
      // Sometimes a freed receiver: every later call must be refused, never reach freed memory.
      if (self.free && r.chance(0.05)) {
        self.free();
        pool.forget(target.receiver);
      }
    }
  } catch (err) {
    throw new Error(`fuzz fixtures failed before call ${i} (${target.id}): ${(err as Error).stack}`);
  }
  try {
    let value = target.invoke(pool.api, args, self);
    if (value instanceof Promise) value = await value;
    if (target.id.endsWith('.free') && target.receiver) pool.forget(target.receiver);
    return { i, target: target.id, verdict: 'ok', detail: typeof value };
  } catch (thrown) {
    // A failed call may leave a receiver that a later fixture cannot use (say, restored halfway):
    // start the next one from a fresh instance.
    if (target.receiver) pool.forget(target.receiver);
    const method = target.receiver ? target.id.slice(target.id.lastIndexOf('.') + 1) : undefined;
    const verdict = judge(thrown, namesOf(target), method);
    const detail =
      thrown instanceof Error
        ? `${thrown.constructor.name}: ${thrown.message}`
        : `non-Error ${String(thrown)}`;
    return { i, target: target.id, verdict, detail };
  }
}
