/**
 * Gymnasium's MountainCar-v0: drive an underpowered car up a hill (push left, nothing, right).
 * Reward -1 per step; terminal at position >= 0.5 with velocity >= 0; truncated after 200 steps.
 * State layout: [position, velocity].
 */
import { BoundedArray, DiscreteArray } from '@acme-ts/core';
import { ClassicControlEnvironment, type ClassicControlOptions } from './classic_control.js';

export const MIN_POSITION = -1.2;
export const MAX_POSITION = 0.6;
export const MAX_SPEED = 0.07;
const FORCE = 0.001;
export const GRAVITY = 0.0025;

export interface MountainCarOptions extends ClassicControlOptions {
  goalVelocity?: number;
}

export class MountainCar extends ClassicControlEnvironment<number> {
  protected readonly observationSize = 2;
  readonly goalPosition = 0.5;
  readonly goalVelocity: number;
  readonly #observationSpec = new BoundedArray(
    [2],
    'float32',
    [MIN_POSITION, -MAX_SPEED],
    [MAX_POSITION, MAX_SPEED],
    'observation',
  );
  readonly #actionSpec = new DiscreteArray(3, 'int32', 'action');

  constructor(options: MountainCarOptions = {}) {
    super(options, 2, 200);
    this.goalVelocity = options.goalVelocity ?? 0;
  }

  observationSpec(): BoundedArray {
    return this.#observationSpec;
  }

  actionSpec(): DiscreteArray {
    return this.#actionSpec;
  }

  protected resetState(): void {
    this.state[0] = this.rng.uniform(-0.6, -0.4);
    this.state[1] = 0;
  }

  protected simulate(action: number): number {
    let position = this.state[0]!;
    let velocity = this.state[1]!;
    // Semi-implicit Euler: the velocity first, then the position with the new velocity.
    velocity += (action - 1) * FORCE + Math.cos(3 * position) * -GRAVITY;
    velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
    position += velocity;
    position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
    // The left wall is inelastic.
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    this.state[0] = position;
    this.state[1] = velocity;
    return -1.0;
  }

  protected isTerminal(): boolean {
    return this.state[0]! >= this.goalPosition && this.state[1]! >= this.goalVelocity;
  }

  protected writeObservation(out: Float32Array): void {
    out.set(this.state);
  }
}
