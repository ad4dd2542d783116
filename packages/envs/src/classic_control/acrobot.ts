/**
 * Gymnasium's Acrobot-v1: swing a two-link pendulum, actuated at the joint between the links,
 * until its tip rises one link length above the pivot. Torque -1, 0 or +1; reward -1 per step
 * (0 on the terminating one); truncated after 500 steps. Dynamics are the "book" equations of
 * Sutton and Barto, integrated by one classical RK4 step of 0.2 s. State layout: [θ1, θ2, θ̇1, θ̇2].
 */
import { BoundedArray, DiscreteArray } from '@acme-ts/core';
import { ClassicControlEnvironment, type ClassicControlOptions } from './classic_control.js';

const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const G = 9.8;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const AVAIL_TORQUE = [-1.0, 0.0, 1.0] as const;

/** Gymnasium's `wrap`: shifts x by multiples of (hi - lo) into [lo, hi]. */
function wrap(x: number, lo: number, hi: number): number {
  const diff = hi - lo;
  while (x > hi) x -= diff;
  while (x < lo) x += diff;
  return x;
}

export class Acrobot extends ClassicControlEnvironment<number> {
  protected readonly observationSize = 6;
  readonly #observationSpec = new BoundedArray(
    [6],
    'float32',
    [-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2],
    [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2],
    'observation',
  );
  readonly #actionSpec = new DiscreteArray(3, 'int32', 'action');
  // RK4 scratch: allocated once, reused every step.
  readonly #k1 = new Float64Array(4);
  readonly #k2 = new Float64Array(4);
  readonly #k3 = new Float64Array(4);
  readonly #k4 = new Float64Array(4);
  readonly #y = new Float64Array(4);

  constructor(options: ClassicControlOptions = {}) {
    super(options, 4, 500);
  }

  observationSpec(): BoundedArray {
    return this.#observationSpec;
  }

  actionSpec(): DiscreteArray {
    return this.#actionSpec;
  }

  protected resetState(): void {
    // Gymnasium casts the initial state to float32.
    for (let i = 0; i < 4; i++) this.state[i] = Math.fround(this.rng.uniform(-0.1, 0.1));
  }

  protected simulate(action: number): number {
    const torque = AVAIL_TORQUE[action]!;
    const s = this.state;
    const y = this.#y;
    const k1 = this.#k1;
    const k2 = this.#k2;
    const k3 = this.#k3;
    const k4 = this.#k4;
    const dt2 = DT / 2.0;
    dsdt(s, torque, k1);
    for (let i = 0; i < 4; i++) y[i] = s[i]! + dt2 * k1[i]!;
    dsdt(y, torque, k2);
    for (let i = 0; i < 4; i++) y[i] = s[i]! + dt2 * k2[i]!;
    dsdt(y, torque, k3);
    for (let i = 0; i < 4; i++) y[i] = s[i]! + DT * k3[i]!;
    dsdt(y, torque, k4);
    for (let i = 0; i < 4; i++) {
      y[i] = s[i]! + (DT / 6.0) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    }
    s[0] = wrap(y[0]!, -Math.PI, Math.PI);
    s[1] = wrap(y[1]!, -Math.PI, Math.PI);
    s[2] = Math.min(Math.max(y[2]!, -MAX_VEL_1), MAX_VEL_1);
    s[3] = Math.min(Math.max(y[3]!, -MAX_VEL_2), MAX_VEL_2);
    return this.isTerminal() ? 0.0 : -1.0;
  }

  protected isTerminal(): boolean {
    const s = this.state;
    return -Math.cos(s[0]!) - Math.cos(s[1]! + s[0]!) > 1.0;
  }

  protected writeObservation(out: Float32Array): void {
    const s = this.state;
    out[0] = Math.cos(s[0]!);
    out[1] = Math.sin(s[0]!);
    out[2] = Math.cos(s[1]!);
    out[3] = Math.sin(s[1]!);
    out[4] = s[2]!;
    out[5] = s[3]!;
  }
}

/** The "book" dynamics: writes [θ̇1, θ̇2, θ̈1, θ̈2] of state `s` under torque `a` into `out`. */
function dsdt(s: Float64Array, a: number, out: Float64Array): void {
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
  const theta1 = s[0]!;
  const theta2 = s[1]!;
  const dtheta1 = s[2]!;
  const dtheta2 = s[3]!;
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(theta2)) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(theta2)) + I2;
  const phi2 = m2 * lc2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * dtheta2 ** 2 * Math.sin(theta2) -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (m1 * lc1 + m2 * l1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 =
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) /
    (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  out[0] = dtheta1;
  out[1] = dtheta2;
  out[2] = ddtheta1;
  out[3] = ddtheta2;
}
