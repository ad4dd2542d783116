/**
 * Acme's AtariWrapper over an ALE-style game (Breakout here): each agent action is repeated for
 * `actionRepeats` frames; the observation is the stack of the last `numStackedFrames` processed
 * frames, each the max of the last `pooledFrames` raw frames, gray, area-resized to `scaleDims`.
 * The processing runs in Rust through @acme-ts/native's FramePreprocessor (SB3/baselines order:
 * max over RGB, OpenCV RGB2GRAY, OpenCV INTER_AREA; bit-exact with OpenCV), into the
 * preprocessor's own input buffers, so a step renders two frames and allocates only the
 * observation it returns.
 *
 * Reward: the plain sum over the repeated frames, clipped to ±maxAbsReward when given. Discount:
 * 0 on game over (termination); with `zeroDiscountOnLifeLoss`, 0 on a step that lost a life while
 * the game goes on. An episode longer than `maxEpisodeLen` frames is truncated (discount kept).
 *
 * Differences from Acme, all deliberate: `maxEpisodeLen` defaults to ALE's 108,000 frames (Acme:
 * no limit) because Breakout idles forever without FIRE; resizing is OpenCV's INTER_AREA (the
 * Dopamine/SB3 choice; Acme's standard wrapper uses PIL bilinear); `toFloat` gives float32 in
 * [0, 1] directly (Acme: float64, then SinglePrecisionWrapper); when a game ends before the last
 * two frames of a step, the frame it ended on is used alone rather than pooled with its
 * predecessor, which was not rendered.
 */
import {
  ArraySpec,
  BoundedArray,
  DiscreteArray,
  type Environment,
  type NestedSpec,
  restart,
  StepType,
  TimeStep,
} from '@acme-ts/core';
import { type Binding, FramePreprocessor, native, type ResetFill } from '@acme-ts/native';
import { type AtariGame, isAtariGame } from '../atari/atari_game.js';

export interface AtariWrapperOptions {
  /** Frames per agent step (default 4). */
  actionRepeats?: number;
  /** Last frames of a step max-pooled into one, 1 or 2 (default 2). */
  pooledFrames?: 1 | 2;
  /** Output [height, width] (default [84, 84]). */
  scaleDims?: readonly [number, number];
  /** Stack depth (default 4). */
  numStackedFrames?: number;
  /** Gray frames (default true); false keeps RGB, giving [h, w, 3, k] observations. */
  grayscaling?: boolean;
  /** Discount 0 on a step that loses a life (default false). */
  zeroDiscountOnLifeLoss?: boolean;
  /** Frames after which an episode is truncated (default 108,000). */
  maxEpisodeLen?: number;
  /** Observations as float32 in [0, 1] instead of uint8 (default false). */
  toFloat?: boolean;
  /** Clip each step's reward to ±maxAbsReward (default: no clipping). */
  maxAbsReward?: number;
  /** Stack contents after a reset: 'zeros' (Acme's FrameStacker, default) or 'first'. */
  resetFill?: ResetFill;
  /** The native binary to use (default: @acme-ts/native's choice). */
  binding?: Binding;
}

export class AtariWrapper implements Environment<Uint8Array | Float32Array, number> {
  readonly game: AtariGame;
  readonly actionRepeats: number;
  readonly pooledFrames: 1 | 2;
  readonly zeroDiscountOnLifeLoss: boolean;
  readonly maxEpisodeLen: number;
  readonly toFloat: boolean;
  readonly maxAbsReward: number | undefined;
  readonly #preprocessor: FramePreprocessor;
  readonly #observationSpec: ArraySpec;
  readonly #actionSpec: DiscreteArray;
  readonly #rewardSpec = new ArraySpec([], 'float64', 'reward');
  readonly #discountSpec = new BoundedArray([], 'float64', 0, 1, 'discount');
  #needsReset = true;
  #episodeFrames = 0;
  #lives = 0;
  /** Which preprocessor input buffer holds the latest frame; the other holds the one before. */
  #latestSlot = 0;
  readonly #frames: Uint8Array[] = [];
  #closed = false;

  constructor(game: AtariGame, options: AtariWrapperOptions = {}) {
    if (!isAtariGame(game)) {
      throw new TypeError(
        'AtariWrapper needs an AtariGame (resetGame, act, lives, gameOver, getScreenRGB), e.g. Breakout',
      );
    }
    const {
      actionRepeats = 4,
      pooledFrames = 2,
      scaleDims = [84, 84],
      numStackedFrames = 4,
      grayscaling = true,
      zeroDiscountOnLifeLoss = false,
      maxEpisodeLen = 108_000,
      toFloat = false,
      maxAbsReward,
      resetFill = 'zeros',
      binding = native(),
    } = options;
    if (!Number.isInteger(actionRepeats) || actionRepeats < 1) {
      throw new RangeError(`actionRepeats must be a positive integer, got ${actionRepeats}`);
    }
    if (pooledFrames !== 1 && pooledFrames !== 2)
      throw new RangeError(`pooledFrames must be 1 or 2, got ${pooledFrames}`);
    if (pooledFrames > actionRepeats) {
      throw new RangeError(`pooledFrames (${pooledFrames}) must not exceed actionRepeats (${actionRepeats})`);
    }
    if (!Number.isInteger(maxEpisodeLen) || maxEpisodeLen < 1) {
      throw new RangeError(`maxEpisodeLen must be a positive integer, got ${maxEpisodeLen}`);
    }
    if (maxAbsReward !== undefined && !(typeof maxAbsReward === 'number' && maxAbsReward > 0)) {
      throw new RangeError(`maxAbsReward must be a positive number, got ${maxAbsReward}`);
    }
    this.game = game;
    this.actionRepeats = actionRepeats;
    this.pooledFrames = pooledFrames;
    this.zeroDiscountOnLifeLoss = zeroDiscountOnLifeLoss;
    this.maxEpisodeLen = maxEpisodeLen;
    this.toFloat = toFloat;
    this.maxAbsReward = maxAbsReward;
    this.#preprocessor = new FramePreprocessor(
      {
        height: game.screenHeight,
        width: game.screenWidth,
        scaleDims: [scaleDims[0], scaleDims[1]],
        grayscaling,
        pooledFrames,
        numStackedFrames,
        resetFill,
      },
      binding,
    );
    const shape = this.#preprocessor.observationShape;
    const name = grayscaling ? 'grayscale' : 'RGB';
    this.#observationSpec = toFloat
      ? new BoundedArray(shape, 'float32', 0, 1, name)
      : new ArraySpec(shape, 'uint8', name);
    this.#actionSpec = new DiscreteArray(game.numActions, 'int32', 'action');
  }

  /** Lives left in the game. */
  lives(): number {
    return this.game.lives();
  }

  /** Frames emulated in the current episode. */
  get episodeFrames(): number {
    return this.#episodeFrames;
  }

  reset(): TimeStep<Uint8Array | Float32Array> {
    this.#needsReset = false;
    this.#episodeFrames = 0;
    this.game.resetGame();
    this.#lives = this.game.lives();
    this.#latestSlot = 0;
    const frame = this.#frame(0);
    this.game.getScreenRGB(frame);
    const observation = this.#newObservation();
    this.#preprocessor.reset(frame, observation);
    return restart(observation) as TimeStep<Uint8Array | Float32Array>;
  }

  step(action: number): TimeStep<Uint8Array | Float32Array> {
    // Checked before the reset too: an invalid action is an error whether or not it is used.
    this.#actionSpec.validate(action);
    if (this.#needsReset) return this.reset();
    const game = this.game;
    const firstCaptured = this.actionRepeats - this.pooledFrames;
    let reward = 0;
    let discount = 1;
    let stepType = StepType.MID;
    let captured = 0;
    for (let i = 0; i < this.actionRepeats; i++) {
      reward += game.act(action);
      this.#episodeFrames += 1;
      const over = game.gameOver();
      if (this.zeroDiscountOnLifeLoss) {
        const lives = game.lives();
        if (lives < this.#lives && !over) discount = 0;
        this.#lives = lives;
      }
      if (over) {
        stepType = StepType.LAST;
        discount = 0;
      } else if (this.#episodeFrames >= this.maxEpisodeLen) {
        stepType = StepType.LAST;
      }
      // Render only the frames that will be pooled, and the frame an episode ends on.
      if (i >= firstCaptured || stepType === StepType.LAST) {
        this.#latestSlot = this.pooledFrames === 2 ? 1 - this.#latestSlot : 0;
        game.getScreenRGB(this.#frame(this.#latestSlot));
        captured += 1;
      }
      if (stepType === StepType.LAST) break;
    }
    if (this.maxAbsReward !== undefined)
      reward = Math.min(Math.max(reward, -this.maxAbsReward), this.maxAbsReward);
    const observation = this.#newObservation();
    const latest = this.#preprocessor.frameBuffer(this.#latestSlot);
    // max(x, x) = x: a step that captured one frame pools it with itself.
    const previous =
      this.pooledFrames === 1
        ? null
        : captured >= 2
          ? this.#preprocessor.frameBuffer(1 - this.#latestSlot)
          : latest;
    this.#preprocessor.step(previous, latest, observation);
    if (stepType === StepType.LAST) this.#needsReset = true;
    return new TimeStep(stepType, reward, discount, observation);
  }

  observationSpec(): NestedSpec {
    return this.#observationSpec;
  }

  actionSpec(): NestedSpec {
    return this.#actionSpec;
  }

  rewardSpec(): NestedSpec {
    return this.#rewardSpec;
  }

  discountSpec(): NestedSpec {
    return this.#discountSpec;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#preprocessor.free();
  }

  /**
   * The preprocessor's input buffer `slot`, which frames are rendered straight into. On the wasm
   * binary it is a view of wasm memory, detached (length 0) if that memory grew since: fetched
   * again then.
   */
  #frame(slot: number): Uint8Array {
    const cached = this.#frames[slot];
    if (cached !== undefined && cached.length === this.#preprocessor.frameLength) return cached;
    const view = this.#preprocessor.frameBuffer(slot);
    this.#frames[slot] = view;
    return view;
  }

  #newObservation(): Uint8Array | Float32Array {
    const n = this.#preprocessor.observationLength;
    return this.toFloat ? new Float32Array(n) : new Uint8Array(n);
  }
}
