/**
 * Breakout, an Atari-2600-style remake (see game.ts for the rules and screen.ts for the picture),
 * with two faces on one game:
 *
 * - a dm_env environment at one frame per step (like ALE's BreakoutNoFrameskip-v4): observations
 *   are fresh 210x160x3 uint8 RGB frames, actions NOOP/FIRE/RIGHT/LEFT, reward = points scored,
 *   termination when the game is over, truncation after `maxEpisodeFrames` (ALE: 108,000);
 * - the ALE-style AtariGame interface (resetGame, act, lives, gameOver, getScreenRGB into a
 *   caller's buffer), which AtariWrapper drives frame by frame without allocating.
 *
 * Both act on the same game; use one or the other. Seeded: the same seed and actions replay the
 * same game.
 */
import {
  ArraySpec,
  DiscreteArray,
  restart,
  type TimeStep,
  termination,
  transition,
  truncation,
} from '@acme-ts/core';
import type { AtariGame } from '../atari/atari_game.js';
import { encodePng } from '../render/png.js';
import { ValidatingAutoResetEnvironment } from '../validating_auto_reset.js';
import { ACTION_MEANINGS, BreakoutGame, SCREEN_HEIGHT, SCREEN_WIDTH } from './game.js';
import { FRAME_BYTES, renderScreen } from './screen.js';
import { renderText } from './text.js';

export interface BreakoutOptions {
  seed?: number;
  /** Frames after which an episode is truncated (default 108,000, ALE's limit). */
  maxEpisodeFrames?: number;
}

export class Breakout extends ValidatingAutoResetEnvironment<Uint8Array, number> implements AtariGame {
  readonly screenHeight = SCREEN_HEIGHT;
  readonly screenWidth = SCREEN_WIDTH;
  readonly numActions = ACTION_MEANINGS.length;
  readonly actionMeanings = ACTION_MEANINGS;
  readonly maxEpisodeFrames: number;
  /** The game itself: state, and rules frame by frame. */
  readonly game: BreakoutGame;
  readonly #observationSpec = new ArraySpec([SCREEN_HEIGHT, SCREEN_WIDTH, 3], 'uint8', 'RGB');
  readonly #actionSpec = new DiscreteArray(ACTION_MEANINGS.length, 'int32', 'action');

  constructor(options: BreakoutOptions = {}) {
    super();
    const { seed, maxEpisodeFrames = 108_000 } = options;
    if (!Number.isInteger(maxEpisodeFrames) || maxEpisodeFrames < 1) {
      throw new RangeError(`maxEpisodeFrames must be a positive integer, got ${maxEpisodeFrames}`);
    }
    this.maxEpisodeFrames = maxEpisodeFrames;
    this.game = new BreakoutGame(seed);
  }

  observationSpec(): ArraySpec {
    return this.#observationSpec;
  }

  actionSpec(): DiscreteArray {
    return this.#actionSpec;
  }

  // AtariGame

  resetGame(): void {
    this.game.reset();
  }

  act(action: number): number {
    this.#actionSpec.validate(action);
    return this.game.act(action);
  }

  gameOver(): boolean {
    return this.game.gameOver;
  }

  lives(): number {
    return this.game.lives;
  }

  getScreenRGB(out: Uint8Array): void {
    if (!(out instanceof Uint8Array) || out.length !== FRAME_BYTES) {
      throw new RangeError(`out must be a Uint8Array of ${FRAME_BYTES} bytes (210x160x3)`);
    }
    renderScreen(this.game, out);
  }

  // For people

  /** The current screen as a PNG file (`scale` enlarges it). */
  renderPng(scale = 2): Uint8Array {
    return encodePng(this.#screen(), SCREEN_WIDTH, SCREEN_HEIGHT, { scale });
  }

  /** The current screen as text. */
  renderText(): string {
    return renderText(this.game);
  }

  // dm_env

  protected resetEpisode(): TimeStep<Uint8Array> {
    this.game.reset();
    return restart(this.#screen());
  }

  protected stepEpisode(action: number): TimeStep<Uint8Array> {
    const reward = this.act(action);
    const observation = this.#screen();
    if (this.game.gameOver) return termination(reward, observation);
    if (this.game.frame >= this.maxEpisodeFrames) return truncation(reward, observation);
    return transition(reward, observation);
  }

  #screen(): Uint8Array {
    const frame = new Uint8Array(FRAME_BYTES);
    renderScreen(this.game, frame);
    return frame;
  }
}
