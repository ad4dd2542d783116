import { type ArraySpec, BoundedArray, checkEnvironment, DiscreteArray, StepType } from '@acme-ts/core';
import { FramePreprocessor, loadBinding } from '@acme-ts/native';
import { describe, expect, it } from 'vitest';
import { AtariWrapper, Breakout, NoopStarts } from '../src/index.js';

const NOOP = 0;
const FIRE = 1;
const RIGHT = 2;
const LEFT = 3;

/** Element-wise equality; vitest's deep toEqual is far too slow on 28 KB arrays. */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A fixed, varied action sequence that serves and moves. */
const ACTIONS = Array.from(
  { length: 400 },
  (_, t) => [FIRE, RIGHT, RIGHT, NOOP, LEFT, LEFT, FIRE, NOOP][(t * 7 + (t >> 3)) % 8]!,
);

for (const kind of ['napi', 'wasm'] as const) {
  describe(`AtariWrapper over Breakout (${kind})`, () => {
    const binding = loadBinding(kind);

    it("has Acme's specs", () => {
      const env = new AtariWrapper(new Breakout({ seed: 0 }), { binding });
      const obs = env.observationSpec() as ArraySpec;
      expect([obs.shape, obs.dtype, obs.name]).toEqual([[84, 84, 4], 'uint8', 'grayscale']);
      expect(env.actionSpec()).toBeInstanceOf(DiscreteArray);
      expect((env.actionSpec() as DiscreteArray).numValues).toBe(4);
      const float = new AtariWrapper(new Breakout({ seed: 0 }), { binding, toFloat: true }).observationSpec();
      expect(float).toBeInstanceOf(BoundedArray);
      expect((float as BoundedArray).dtype).toBe('float32');
      const rgb = new AtariWrapper(new Breakout({ seed: 0 }), {
        binding,
        grayscaling: false,
        scaleDims: [42, 32],
      });
      expect((rgb.observationSpec() as ArraySpec).shape).toEqual([42, 32, 3, 4]);
    });

    it('equals a preprocessor fed the max-pooled last two of every four frames of a twin game', () => {
      const env = new AtariWrapper(new Breakout({ seed: 7 }), { binding });
      const twin = new Breakout({ seed: 7 });
      const pre = new FramePreprocessor({}, binding);
      const expected = new Uint8Array(84 * 84 * 4);
      const previous = new Uint8Array(210 * 160 * 3);
      const latest = new Uint8Array(210 * 160 * 3);

      let ts = env.reset();
      twin.resetGame();
      twin.getScreenRGB(latest);
      pre.reset(latest, expected);
      expect(same(ts.observation, expected)).toBe(true);
      // Zero-filled stack after a reset: only the newest slot (last axis) holds the first frame.
      expect(ts.observation.filter((_, i) => i % 4 !== 3).every((x) => x === 0)).toBe(true);
      expect(ts.observation.some((x, i) => i % 4 === 3 && x > 0)).toBe(true);

      for (let t = 0; t < 60; t++) {
        ts = env.step(ACTIONS[t]!);
        let reward = 0;
        for (let i = 0; i < 4; i++) {
          reward += twin.act(ACTIONS[t]!);
          if (i === 2) twin.getScreenRGB(previous);
          if (i === 3) twin.getScreenRGB(latest);
        }
        pre.step(previous, latest, expected);
        expect(same(ts.observation, expected), `step ${t}`).toBe(true);
        expect(ts.reward).toBe(reward);
        expect(ts.stepType).toBe(StepType.MID);
      }
      expect(env.episodeFrames).toBe(240);
    });

    it('ends with a termination when the game is over, then restarts', () => {
      const env = new AtariWrapper(new Breakout({ seed: 1 }), { binding });
      let ts = env.reset();
      let steps = 0;
      while (!ts.last()) {
        const g = (env.game as Breakout).game;
        // Keep the paddle away from the ball: every ball is lost.
        ts = env.step(!g.ballInPlay ? FIRE : g.ballX < 80 ? RIGHT : LEFT);
        steps += 1;
      }
      expect([ts.discount, env.lives()]).toEqual([0, 0]);
      expect(steps).toBeGreaterThan(20);
      const next = env.step(NOOP);
      expect([next.stepType, next.reward, next.discount]).toEqual([StepType.FIRST, null, null]);
      expect(env.lives()).toBe(5);
    });

    it('zeroDiscountOnLifeLoss: a step that loses a life has discount 0 and goes on', () => {
      for (const zero of [true, false]) {
        const env = new AtariWrapper(new Breakout({ seed: 1 }), { binding, zeroDiscountOnLifeLoss: zero });
        env.reset();
        const g = (env.game as Breakout).game;
        let ts = env.step(FIRE);
        while (env.lives() === 5) ts = env.step(g.ballX < 80 ? RIGHT : LEFT);
        expect([ts.stepType, ts.discount]).toEqual([StepType.MID, zero ? 0 : 1]);
        expect(env.step(NOOP).discount).toBe(1);
      }
    });

    it('truncates after maxEpisodeLen frames with discount 1', () => {
      const env = new AtariWrapper(new Breakout({ seed: 0 }), { binding, maxEpisodeLen: 40 });
      env.reset();
      for (let t = 1; t < 10; t++) expect(env.step(NOOP).stepType).toBe(StepType.MID);
      const last = env.step(NOOP);
      expect([last.stepType, last.discount, env.episodeFrames]).toEqual([StepType.LAST, 1, 40]);
      const odd = new AtariWrapper(new Breakout({ seed: 0 }), { binding, maxEpisodeLen: 6 });
      odd.reset();
      odd.step(NOOP);
      expect(odd.step(NOOP).last()).toBe(true);
      expect(odd.episodeFrames).toBe(6);
    });

    it('sums rewards over the repeated frames, and clips them with maxAbsReward', () => {
      for (const [maxAbsReward, expected] of [
        [undefined, 7],
        [1, 1],
      ] as const) {
        const breakout = new Breakout({ seed: 0 });
        const env = new AtariWrapper(breakout, { binding, ...(maxAbsReward ? { maxAbsReward } : {}) });
        env.reset();
        breakout.game.bricks.fill(0);
        breakout.game.bricks[3] = 1; // one red brick
        breakout.game.placeBall(8 + 3 * 8 + 3, 63.5, 1, -1);
        expect(env.step(NOOP).reward).toBe(expected);
      }
    });

    it('toFloat gives the uint8 observation divided by 255', () => {
      const bytes = new AtariWrapper(new Breakout({ seed: 3 }), { binding });
      const floats = new AtariWrapper(new Breakout({ seed: 3 }), { binding, toFloat: true });
      bytes.reset();
      floats.reset();
      for (let t = 0; t < 10; t++) {
        const a = bytes.step(ACTIONS[t]!).observation;
        const b = floats.step(ACTIONS[t]!).observation;
        expect(b).toBeInstanceOf(Float32Array);
        expect(
          same(
            b,
            Float32Array.from(a, (x) => x / 255),
          ),
        ).toBe(true);
      }
    });

    it('pooledFrames 1 uses the last frame only', () => {
      const env = new AtariWrapper(new Breakout({ seed: 2 }), { binding, pooledFrames: 1 });
      const twin = new Breakout({ seed: 2 });
      const pre = new FramePreprocessor({ pooledFrames: 1 }, binding);
      const frame = new Uint8Array(210 * 160 * 3);
      const expected = new Uint8Array(84 * 84 * 4);
      env.reset();
      twin.resetGame();
      twin.getScreenRGB(frame);
      pre.reset(frame, expected);
      for (let t = 0; t < 20; t++) {
        const ts = env.step(ACTIONS[t]!);
        for (let i = 0; i < 4; i++) twin.act(ACTIONS[t]!);
        twin.getScreenRGB(frame);
        pre.step(null, frame, expected);
        expect(same(ts.observation, expected)).toBe(true);
      }
    });

    it('keeps the dm_env contract, alone and under NoopStarts', () => {
      const make = (seed: number) =>
        new AtariWrapper(new Breakout({ seed }), { binding, maxEpisodeLen: 160 });
      expect(checkEnvironment({ make, steps: 100 }).episodes).toBe(2);
      const noop = (seed: number) => new NoopStarts(make(seed), { noopMax: 5, seed });
      expect(checkEnvironment({ make: noop, steps: 100 }).episodes).toBeGreaterThan(0);
    });

    it('rejects what is not an AtariGame and bad options', () => {
      expect(() => new AtariWrapper({} as never, { binding })).toThrow(TypeError);
      const game = new Breakout();
      expect(() => new AtariWrapper(game, { binding, actionRepeats: 0 })).toThrow(RangeError);
      expect(() => new AtariWrapper(game, { binding, actionRepeats: 1 })).toThrow(/pooledFrames/);
      expect(() => new AtariWrapper(game, { binding, maxAbsReward: -1 })).toThrow(RangeError);
      expect(() => new AtariWrapper(game, { binding, scaleDims: [300, 84] })).toThrow(RangeError);
      const env = new AtariWrapper(game, { binding });
      env.reset();
      expect(() => env.step(4)).toThrow(/DiscreteArray\(name="action"/);
      env.close();
      env.close();
    });
  });
}

it('both binaries produce the same observations, even after wasm memory grows mid-episode', () => {
  const keep: FramePreprocessor[] = [];
  const run = (kind: 'napi' | 'wasm') => {
    const binding = loadBinding(kind);
    const env = new AtariWrapper(new Breakout({ seed: 11 }), { binding });
    const out = [env.reset().observation];
    for (let t = 0; t < 30; t++) {
      // Other native objects grow wasm memory, detaching the views the wrapper renders into.
      if (t === 10) for (let i = 0; i < 40; i++) keep.push(new FramePreprocessor({}, binding));
      out.push(env.step(ACTIONS[t]!).observation);
    }
    return out;
  };
  const napi = run('napi');
  const wasm = run('wasm');
  expect(napi.every((obs, t) => same(obs, wasm[t]!))).toBe(true);
  for (const pre of keep) pre.free();
});
