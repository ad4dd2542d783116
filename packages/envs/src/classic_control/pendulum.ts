/**
 * Gymnasium's Pendulum-v1: swing a pendulum up and keep it upright with a torque in [-2, 2].
 * Reward -(θ² + 0.1·θ̇² + 0.001·u²) with θ normalised to [-π, π), from the state before the step;
 * never terminal; truncated after 200 steps. State layout: [θ, θ̇] (θ is not wrapped).
 *
 * Torques outside [-2, 2] are rejected (Gymnasium clips them); see CanonicalSpec({ clip: true }).
 */
import { BoundedArray } from '@acme-ts/core';
import { ClassicControlEnvironment, type ClassicControlOptions } from './classic_control.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const MASS = 1.0;
const LENGTH = 1.0;

/** Python's float `%`: the result takes the divisor's sign. */
function pyMod(x: number, y: number): number {
  const mod = x % y;
  return mod !== 0 && y < 0 !== mod < 0 ? mod + y : mod;
}

/** Gymnasium's angle_normalize: into [-π, π). */
export function angleNormalize(x: number): number {
  return pyMod(x + Math.PI, 2 * Math.PI) - Math.PI;
}

export interface PendulumOptions extends ClassicControlOptions {
  /** Gravity (default 10.0). */
  g?: number;
}

export class Pendulum extends ClassicControlEnvironment<Float32Array> {
  protected readonly observationSize = 3;
  readonly g: number;
  readonly #observationSpec = new BoundedArray(
    [3],
    'float32',
    [-1, -1, -MAX_SPEED],
    [1, 1, MAX_SPEED],
    'observation',
  );
  readonly #actionSpec = new BoundedArray([1], 'float32', -MAX_TORQUE, MAX_TORQUE, 'action');

  constructor(options: PendulumOptions = {}) {
    super(options, 2, 200);
    const { g = 10.0 } = options;
    if (typeof g !== 'number' || !Number.isFinite(g))
      throw new RangeError(`g must be a finite number, got ${g}`);
    this.g = g;
  }

  observationSpec(): BoundedArray {
    return this.#observationSpec;
  }

  actionSpec(): BoundedArray {
    return this.#actionSpec;
  }

  protected resetState(): void {
    this.state[0] = this.rng.uniform(-Math.PI, Math.PI);
    this.state[1] = this.rng.uniform(-1, 1);
  }

  protected simulate(action: Float32Array): number {
    const th = this.state[0]!;
    const thdot = this.state[1]!;
    const u = Math.min(Math.max(action[0]!, -MAX_TORQUE), MAX_TORQUE);
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    let newThdot =
      thdot + (((3 * this.g) / (2 * LENGTH)) * Math.sin(th) + (3.0 / (MASS * LENGTH ** 2)) * u) * DT;
    newThdot = Math.min(Math.max(newThdot, -MAX_SPEED), MAX_SPEED);
    this.state[0] = th + newThdot * DT;
    this.state[1] = newThdot;
    return -costs;
  }

  protected isTerminal(): boolean {
    return false;
  }

  protected writeObservation(out: Float32Array): void {
    out[0] = Math.cos(this.state[0]!);
    out[1] = Math.sin(this.state[0]!);
    out[2] = this.state[1]!;
  }
}
