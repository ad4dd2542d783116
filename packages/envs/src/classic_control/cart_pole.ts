/**
 * Gymnasium's CartPole-v1: push a cart left or right to keep a pole upright. Reward +1 on every
 * step (the terminating one included); terminal when |x| > 2.4 or |θ| > 12°; truncated after 500
 * steps. State layout: [x, ẋ, θ, θ̇].
 */
import { BoundedArray, DiscreteArray } from '@acme-ts/core';
import { ClassicControlEnvironment, type ClassicControlOptions } from './classic_control.js';

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
/** Half the pole's length. */
const LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

export interface CartPoleOptions extends ClassicControlOptions {
  /** 'euler' (Gymnasium's default) or 'semi-implicit euler' (velocities first). */
  kinematicsIntegrator?: 'euler' | 'semi-implicit euler';
}

export class CartPole extends ClassicControlEnvironment<number> {
  protected readonly observationSize = 4;
  readonly #semiImplicit: boolean;
  readonly #observationSpec = new BoundedArray(
    [4],
    'float32',
    [-X_THRESHOLD * 2, Number.NEGATIVE_INFINITY, -THETA_THRESHOLD * 2, Number.NEGATIVE_INFINITY],
    [X_THRESHOLD * 2, Number.POSITIVE_INFINITY, THETA_THRESHOLD * 2, Number.POSITIVE_INFINITY],
    'observation',
  );
  readonly #actionSpec = new DiscreteArray(2, 'int32', 'action');

  constructor(options: CartPoleOptions = {}) {
    super(options, 4, 500);
    const { kinematicsIntegrator = 'euler' } = options;
    if (kinematicsIntegrator !== 'euler' && kinematicsIntegrator !== 'semi-implicit euler') {
      throw new TypeError(
        `kinematicsIntegrator must be 'euler' or 'semi-implicit euler', got ${kinematicsIntegrator}`,
      );
    }
    this.#semiImplicit = kinematicsIntegrator !== 'euler';
  }

  observationSpec(): BoundedArray {
    return this.#observationSpec;
  }

  actionSpec(): DiscreteArray {
    return this.#actionSpec;
  }

  protected resetState(): void {
    for (let i = 0; i < 4; i++) this.state[i] = this.rng.uniform(-0.05, 0.05);
  }

  protected simulate(action: number): number {
    const s = this.state;
    let x = s[0]!;
    let xDot = s[1]!;
    let theta = s[2]!;
    let thetaDot = s[3]!;
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cosTheta = Math.cos(theta);
    const sinTheta = Math.sin(theta);
    const temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
    const thetaAcc =
      (GRAVITY * sinTheta - cosTheta * temp) /
      (LENGTH * (4.0 / 3.0 - (MASS_POLE * (cosTheta * cosTheta)) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cosTheta) / TOTAL_MASS;
    if (this.#semiImplicit) {
      xDot = xDot + TAU * xAcc;
      x = x + TAU * xDot;
      thetaDot = thetaDot + TAU * thetaAcc;
      theta = theta + TAU * thetaDot;
    } else {
      // Explicit Euler: every position update uses the old velocity.
      x = x + TAU * xDot;
      xDot = xDot + TAU * xAcc;
      theta = theta + TAU * thetaDot;
      thetaDot = thetaDot + TAU * thetaAcc;
    }
    s[0] = x;
    s[1] = xDot;
    s[2] = theta;
    s[3] = thetaDot;
    return 1.0;
  }

  protected isTerminal(): boolean {
    const x = this.state[0]!;
    const theta = this.state[2]!;
    return x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
  }

  protected writeObservation(out: Float32Array): void {
    out.set(this.state);
  }
}
