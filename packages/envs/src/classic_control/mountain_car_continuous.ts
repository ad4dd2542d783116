/**
 * Gymnasium's MountainCarContinuous-v0: MountainCar with a force in [-1, 1]. Reward 100 on
 * reaching position >= 0.45 (with velocity >= 0) minus 0.1·a² every step; truncated after 999
 * steps. Like Gymnasium, the state is rounded to float32 after every step. State layout:
 * [position, velocity].
 *
 * Actions outside [-1, 1] are rejected (Gymnasium clips them): acme-ts environments validate
 * actions against their spec. Wrap with CanonicalSpec({ clip: true }) to clip instead.
 */
import { BoundedArray } from '@acme-ts/core';
import { ClassicControlEnvironment } from './classic_control.js';
import { GRAVITY, MAX_POSITION, MAX_SPEED, MIN_POSITION, type MountainCarOptions } from './mountain_car.js';

const POWER = 0.0015;

export class MountainCarContinuous extends ClassicControlEnvironment<Float32Array> {
  protected readonly observationSize = 2;
  readonly goalPosition = 0.45;
  readonly goalVelocity: number;
  readonly #observationSpec = new BoundedArray(
    [2],
    'float32',
    [MIN_POSITION, -MAX_SPEED],
    [MAX_POSITION, MAX_SPEED],
    'observation',
  );
  readonly #actionSpec = new BoundedArray([1], 'float32', -1, 1, 'action');
  /** Decided on the float64 values, before the state is rounded (as Gymnasium does). */
  #terminated = false;

  constructor(options: MountainCarOptions = {}) {
    super(options, 2, 999);
    this.goalVelocity = options.goalVelocity ?? 0;
  }

  observationSpec(): BoundedArray {
    return this.#observationSpec;
  }

  actionSpec(): BoundedArray {
    return this.#actionSpec;
  }

  protected resetState(): void {
    this.state[0] = this.rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
  }

  protected simulate(action: Float32Array): number {
    const a = action[0]!;
    let position = this.state[0]!;
    let velocity = this.state[1]!;
    const force = Math.min(Math.max(a, -1), 1);
    velocity += force * POWER - GRAVITY * Math.cos(3 * position);
    if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    position += velocity;
    if (position > MAX_POSITION) position = MAX_POSITION;
    if (position < MIN_POSITION) position = MIN_POSITION;
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    this.#terminated = position >= this.goalPosition && velocity >= this.goalVelocity;
    this.state[0] = Math.fround(position);
    this.state[1] = Math.fround(velocity);
    return (this.#terminated ? 100.0 : 0) - a * a * 0.1;
  }

  protected isTerminal(): boolean {
    return this.#terminated;
  }

  protected writeObservation(out: Float32Array): void {
    out.set(this.state);
  }
}
