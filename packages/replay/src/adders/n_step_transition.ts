/**
 * Acme's NStepTransitionAdder: turns a trajectory into n-step transitions
 * (s_t, a_t, R, D, s_{t+k}, e_t), one per `add`, plus the shorter tail windows at episode end.
 *
 * For the window of rewards r_0..r_{k-1} and environment discounts d_0..d_{k-1} (k <= n):
 *   R = r_0 + sum_{i=1}^{k-1} g^i (prod_{j<i} d_j) r_i,    D = g^{k-1} prod_{j=0}^{k-1} d_j.
 * D has one factor of g fewer than the return needs: the learner multiplies by g once more
 * (Acme's DQN loss does), so termination (d = 0) and truncation (d = 1) differ only through the
 * environment discount. An episode of T steps gives T + min(n, T) - 1 transitions:
 * (s0→s1), (s0→s2), ..., (s0→sn), then (s_t→s_{t+n}), then the tail (s_{T-n+1}→s_T) ... (s_{T-1}→s_T).
 * g is rounded to float32, as Acme does. Extras are those of the window's first step.
 *
 * Rewards and discounts may be nested or arrays: structures and shapes broadcast as numpy's; R
 * has the broadcast shape, D the discount's.
 *
 * Fast path (DQN): a step stores references to observations (an environment never writes to an
 * observation it returned), copies of actions/rewards/discounts/extras in preallocated rings, and
 * writes each transition straight into the table's one-row buffer: no allocation per step. With a
 * table that stores observations as frames (Atari), each step stores its newest frame once and
 * transitions refer to frame ids.
 */
import { ArraySpec, type EnvironmentSpec, type NestedSpec, nestedSpecsEqual } from '@acme-ts/core';
import type { ColumnArray } from '@acme-ts/native';
import { isPlainObject, type Key, specLeaves, valueAt } from '../nest.js';
import type { Table } from '../table.js';
import type { Adder, AnyTimeStep } from './adder.js';
import { broadcastIndex, broadcastShapes, broadcastStructures, resultType } from './broadcast.js';
import { ReverbAdder, type ReverbAdderOptions } from './reverb_adder.js';
import {
  checkLeafValue,
  checkNumeric,
  loadLeaf,
  newestFrame,
  storeLeaf,
  valueAtChecked,
  writeLeaf,
} from './values.js';

/** Acme's `types.Transition`; `extras` only when the signature has them. */
export interface Transition<O = unknown, A = unknown, R = unknown, D = unknown, E = unknown> {
  readonly observation: O;
  readonly action: A;
  readonly reward: R;
  readonly discount: D;
  readonly nextObservation: O;
  readonly extras?: E;
}

/** A Transition of specs, usable wherever a nested spec is (a table signature). */
export type TransitionSpec = {
  readonly observation: NestedSpec;
  readonly action: NestedSpec;
  readonly reward: NestedSpec;
  readonly discount: NestedSpec;
  readonly nextObservation: NestedSpec;
  readonly extras?: NestedSpec;
};

export interface NStepTransitionAdderOptions extends ReverbAdderOptions<Transition> {
  /**
   * The environment's reward and discount specs, when their shapes or structures differ from the
   * signature's (they broadcast into it). By default inputs have the signature's shapes.
   */
  readonly environmentSpec?: Pick<EnvironmentSpec, 'rewards' | 'discounts'>;
  /** Check every input against the signature (default true; the checks are cheap). */
  readonly validate?: boolean;
}

const FIELDS = ['observation', 'action', 'reward', 'discount', 'nextObservation', 'extras'];

interface InputLeaf {
  readonly spec: ArraySpec;
  readonly keys: readonly Key[];
  readonly path: string;
  readonly size: number;
}

function inputLeaves(spec: NestedSpec, root: string): InputLeaf[] {
  return specLeaves(spec, [], root).map((l) => ({
    spec: l.spec,
    keys: l.keys,
    path: l.path,
    size: l.spec.size,
  }));
}

/** Per table: the one-row columns every leaf is written to. */
interface TableColumns {
  readonly observation: (ColumnArray | undefined)[];
  readonly nextObservation: (ColumnArray | undefined)[];
  /** Frame id columns of frame fields (observation, next observation), per observation leaf. */
  readonly frameObservation: (Float64Array | undefined)[];
  readonly frameNext: (Float64Array | undefined)[];
  readonly action: ColumnArray[];
  readonly reward: ColumnArray[];
  readonly discount: ColumnArray[];
  readonly extras: ColumnArray[];
  /** Frame geometry when the table stores observations as frames. */
  readonly frame:
    | { readonly scratch: Uint8Array; readonly depth: number; readonly axisLast: boolean }
    | undefined;
}

export class NStepTransitionAdder extends ReverbAdder<Transition> implements Adder {
  readonly nStep: number;
  /** The agent's discount g, rounded to float32. */
  readonly discount: number;
  readonly #validate: boolean;
  /** Slots in the step ring: a window spans n rows plus the arrival observation. */
  readonly #slots: number;
  readonly #obs: readonly InputLeaf[];
  readonly #actions: readonly InputLeaf[];
  readonly #extras: readonly InputLeaf[] | undefined;
  readonly #rewardIn: readonly InputLeaf[];
  readonly #discountIn: readonly InputLeaf[];
  readonly #rewardSize: number;
  readonly #discountSize: number;
  /** Per element of R: its reward element within a step, and its element of D. */
  readonly #rSource: Int32Array;
  readonly #rDiscount: Int32Array;
  /** Per element of D: its discount element within a step. */
  readonly #dSource: Int32Array;
  /** Element ranges of R and D per signature leaf. */
  readonly #rLeaves: readonly { readonly at: number; readonly size: number; readonly path: string }[];
  readonly #dLeaves: readonly { readonly at: number; readonly size: number; readonly path: string }[];
  readonly #columns: readonly TableColumns[];

  // The step ring: slot t % slots holds row t of the episode.
  readonly #observations: unknown[];
  /** Per table: frame id of every frame-field observation leaf, per slot. */
  readonly #frameIds: Float64Array[];
  readonly #actionStore: Float64Array[];
  readonly #extrasStore: Float64Array[];
  readonly #rewards: Float64Array;
  readonly #discounts: Float64Array;
  readonly #R: Float64Array;
  readonly #D: Float64Array;

  #started = false;
  /** Completed rows (steps) of the episode. */
  #episodeSteps = 0;
  /** The window [first, last) of the next transition, in rows of the episode. */
  #first = 0;
  #last = 0;

  /**
   * ```ts
   * const spec = makeEnvironmentSpec(env);
   * const table = new Table({ name: 'priority_table', ..., signature: NStepTransitionAdder.signature(spec) });
   * const adder = new NStepTransitionAdder(table, 5, 0.99);
   * adder.addFirst(env.reset());
   * adder.add(action, env.step(action));
   * ```
   */
  constructor(
    tables: Table | readonly Table[],
    nStep: number,
    discount: number,
    options: NStepTransitionAdderOptions = {},
  ) {
    super(tables, options, 5);
    if (!(Number.isInteger(nStep) && nStep >= 1))
      throw new RangeError(`nStep must be an integer >= 1, got ${nStep}`);
    if (!(typeof discount === 'number' && Number.isFinite(discount))) {
      throw new RangeError(`discount must be a finite number, got ${String(discount)}`);
    }
    this.nStep = nStep;
    this.discount = Math.fround(discount);
    this.#validate = options.validate ?? true;
    this.#slots = nStep + 1;
    const signature = this.tables[0]!.signature as unknown as TransitionSpec;
    checkTransitionSignature(signature, this.tables[0]!.name);
    for (const t of this.tables) {
      if (!nestedSpecsEqual(t.signature, signature)) {
        throw new RangeError(`tables "${this.tables[0]!.name}" and "${t.name}" have different signatures`);
      }
    }
    this.#obs = inputLeaves(signature.observation, 'observation');
    this.#actions = inputLeaves(signature.action, 'action');
    this.#extras = signature.extras === undefined ? undefined : inputLeaves(signature.extras, 'extras');

    // Rewards and discounts: which input element feeds which element of R and D.
    const rOut = inputLeaves(signature.reward, 'reward');
    const dOut = inputLeaves(signature.discount, 'discount');
    if (rOut.length !== dOut.length || rOut.some((l, i) => l.path.slice(6) !== dOut[i]!.path.slice(8))) {
      throw new RangeError(
        'the signature reward and discount must have the same structure (NStepTransitionAdder.signature broadcasts them)',
      );
    }
    const env = options.environmentSpec;
    const [rIn, dIn] = env
      ? broadcastStructures(env.rewards, env.discounts, 'environmentSpec rewards and discounts')
      : [signature.reward, signature.discount];
    this.#rewardIn = inputLeaves(env ? env.rewards : signature.reward, 'reward');
    this.#discountIn = inputLeaves(env ? env.discounts : signature.discount, 'discount');
    const rTiled = inputLeaves(rIn, 'reward');
    const dTiled = inputLeaves(dIn, 'discount');
    if (rTiled.length !== rOut.length || dTiled.length !== dOut.length) {
      throw new RangeError('environmentSpec rewards/discounts do not have the structure of the signature');
    }
    // Offsets of input leaves within one step's block (a tiled bare leaf is the same input leaf).
    const offsetOf = (leaves: readonly InputLeaf[], count: number, i: number) =>
      leaves.length === 1 && count > 1 ? 0 : leaves.slice(0, i).reduce((a, l) => a + l.size, 0);
    this.#rewardSize = this.#rewardIn.reduce((a, l) => a + l.size, 0);
    this.#discountSize = this.#discountIn.reduce((a, l) => a + l.size, 0);
    const rSource: number[] = [];
    const rDiscount: number[] = [];
    const dSource: number[] = [];
    const rLeaves: { at: number; size: number; path: string }[] = [];
    const dLeaves: { at: number; size: number; path: string }[] = [];
    let dAt = 0;
    for (let j = 0; j < rOut.length; j++) {
      const rShape = rOut[j]!.spec.shape;
      const dShape = dOut[j]!.spec.shape;
      const inR = rTiled[j]!.spec.shape;
      const inD = dTiled[j]!.spec.shape;
      if (inD.length !== dShape.length || inD.some((d, i) => d !== dShape[i])) {
        throw new RangeError(
          `${dOut[j]!.path}: the environment discount has shape [${inD.join(', ')}], the signature [${dShape.join(', ')}]`,
        );
      }
      const expected = broadcastShapes(broadcastShapes(inR, dShape, rOut[j]!.path), rShape, rOut[j]!.path);
      if (expected.length !== rShape.length || expected.some((d, i) => d !== rShape[i])) {
        throw new RangeError(
          `${rOut[j]!.path}: reward [${inR.join(', ')}] times discount [${dShape.join(', ')}] does not give the signature's [${rShape.join(', ')}]`,
        );
      }
      const rBase = offsetOf(this.#rewardIn, rOut.length, j);
      const dBase = offsetOf(this.#discountIn, dOut.length, j);
      const rMap = broadcastIndex(rShape, inR);
      const dMap = broadcastIndex(rShape, dShape);
      rLeaves.push({ at: rSource.length, size: rMap.length, path: rOut[j]!.path });
      for (let e = 0; e < rMap.length; e++) {
        rSource.push(rBase + rMap[e]!);
        rDiscount.push(dAt + dMap[e]!);
      }
      const dSize = dOut[j]!.size;
      dLeaves.push({ at: dAt, size: dSize, path: dOut[j]!.path });
      for (let e = 0; e < dSize; e++) dSource.push(dBase + e);
      dAt += dSize;
    }
    this.#rSource = Int32Array.from(rSource);
    this.#rDiscount = Int32Array.from(rDiscount);
    this.#dSource = Int32Array.from(dSource);
    this.#rLeaves = rLeaves;
    this.#dLeaves = dLeaves;
    this.#R = new Float64Array(rSource.length);
    this.#D = new Float64Array(dSource.length);

    const K = this.#slots;
    this.#observations = new Array<unknown>(K);
    this.#actionStore = this.#actions.map((l) => new Float64Array(K * l.size));
    this.#extrasStore = (this.#extras ?? []).map((l) => new Float64Array(K * l.size));
    this.#rewards = new Float64Array(K * this.#rewardSize);
    this.#discounts = new Float64Array(K * this.#discountSize);
    this.#columns = this.tables.map((t) => this.#resolveColumns(t));
    this.#frameIds = this.tables.map(() => new Float64Array(K * this.#obs.length));
  }

  /**
   * Acme's `NStepTransitionAdder.signature`: the transition's specs from the environment's (and
   * the extras') specs. Reward and discount are broadcast together: R gets the broadcast shape
   * and numpy's result dtype, D the discount's spec.
   */
  static signature(environmentSpec: EnvironmentSpec, extrasSpec?: NestedSpec): TransitionSpec {
    const [rewards, discounts] = broadcastStructures(
      environmentSpec.rewards,
      environmentSpec.discounts,
      'environmentSpec rewards and discounts',
    );
    const r = specLeaves(rewards);
    const d = specLeaves(discounts);
    let i = 0;
    const reward = mapLeaves(rewards, () => {
      const rs = r[i]!.spec;
      const ds = d[i++]!.spec;
      const shape = broadcastShapes(rs.shape, ds.shape, r[i - 1]!.path || 'reward');
      return new ArraySpec(shape, resultType(rs.dtype, ds.dtype), rs.name || 'reward');
    });
    const hasExtras = extrasSpec !== undefined && specLeaves(extrasSpec).length > 0;
    return {
      observation: environmentSpec.observations,
      action: environmentSpec.actions,
      reward,
      discount: discounts,
      nextObservation: environmentSpec.observations,
      ...(hasExtras ? { extras: extrasSpec } : {}),
    };
  }

  addFirst(timestep: AnyTimeStep): void {
    if (!timestep.first()) {
      throw new RangeError('adder.addFirst needs a FIRST timestep (timestep.first() must be true)');
    }
    if (this.#started) {
      throw new Error(
        'adder.reset must be called before adder.addFirst (it is called automatically after a LAST timestep)',
      );
    }
    if (this.#validate) this.#checkObservation(timestep.observation, 'timestep.observation');
    this.#setObservation(0, timestep.observation, -1);
    this.#started = true;
    this.#episodeSteps = 0;
    this.#first = 0;
    this.#last = 0;
  }

  add(action: unknown, nextTimestep: AnyTimeStep, extras?: unknown): void {
    if (!this.#started) throw new Error('adder.addFirst must be called before adder.add');
    if (this.#validate) this.#checkStep(action, nextTimestep, extras);
    if (this.#episodeSteps >= this.nStep) this.#first++;
    this.#last++;
    const K = this.#slots;
    const row = (this.#last - 1) % K;
    this.#storeStep(row, action, nextTimestep.reward, nextTimestep.discount, extras);
    this.#episodeSteps++;
    this.#setObservation(this.#last % K, nextTimestep.observation, nextTimestep.first() ? -1 : row);
    this.#write();
    if (nextTimestep.last()) {
      // The remaining, shorter windows ending at the final observation.
      this.#first++;
      while (this.#first < this.#last) {
        this.#write();
        this.#first++;
      }
      this.reset();
    }
  }

  reset(): void {
    this.#started = false;
    this.#episodeSteps = 0;
    this.#first = 0;
    this.#last = 0;
    this.#observations.fill(undefined);
  }

  #resolveColumns(table: Table): TableColumns {
    const row = table.row;
    const layout = table.layout;
    const frames = table.options.frames;
    let frame: TableColumns['frame'];
    const observation: (ColumnArray | undefined)[] = [];
    const nextObservation: (ColumnArray | undefined)[] = [];
    const frameObservation: (Float64Array | undefined)[] = [];
    const frameNext: (Float64Array | undefined)[] = [];
    for (const leaf of this.#obs) {
      const nextPath = `nextObservation${leaf.path.slice('observation'.length)}`;
      const isFrame = layout.leaf(leaf.path).storage === 'frameStack';
      if (isFrame !== (layout.leaf(nextPath).storage === 'frameStack')) {
        throw new RangeError(
          `table "${table.name}": "${leaf.path}" and "${nextPath}" must both be frame fields or neither`,
        );
      }
      if (isFrame && frames) {
        const size = frames.shape.reduce((a, b) => a * b, 1);
        frame ??= {
          scratch: new Uint8Array(size),
          depth: frames.stack ?? 4,
          axisLast: frames.axis !== 'first',
        };
        frameObservation.push(row.frameIdColumns[leaf.path]);
        frameNext.push(row.frameIdColumns[nextPath]);
        observation.push(undefined);
        nextObservation.push(undefined);
      } else {
        frameObservation.push(undefined);
        frameNext.push(undefined);
        observation.push(row.columns[leaf.path]);
        nextObservation.push(row.columns[nextPath]);
      }
    }
    const pick = (leaves: readonly InputLeaf[] | undefined) =>
      (leaves ?? []).map((l) => row.columns[l.path]!);
    return {
      observation,
      nextObservation,
      frameObservation,
      frameNext,
      action: pick(this.#actions),
      reward: this.#rLeaves.map((l) => row.columns[l.path]!),
      discount: this.#dLeaves.map((l) => row.columns[l.path]!),
      extras: pick(this.#extras),
      frame,
    };
  }

  #checkObservation(observation: unknown, where: string): void {
    for (const l of this.#obs) {
      const value = l.keys.length === 0 ? observation : valueAtChecked(observation, l.keys, where);
      checkLeafValue(l.spec, value, where, l.path.slice('observation'.length));
    }
  }

  #checkStep(action: unknown, next: AnyTimeStep, extras: unknown): void {
    for (const l of this.#actions) {
      checkLeafValue(l.spec, l.keys.length ? valueAtChecked(action, l.keys, 'action') : action, l.path);
    }
    for (const l of this.#rewardIn) {
      const value = l.keys.length ? valueAtChecked(next.reward, l.keys, 'nextTimestep.reward') : next.reward;
      checkNumeric(value, l.size, 'nextTimestep.', l.path);
    }
    for (const l of this.#discountIn) {
      const value = l.keys.length
        ? valueAtChecked(next.discount, l.keys, 'nextTimestep.discount')
        : next.discount;
      checkNumeric(value, l.size, 'nextTimestep.', l.path);
    }
    this.#checkObservation(next.observation, 'nextTimestep.observation');
    if (this.#extras === undefined) {
      if (extras !== undefined) {
        throw new TypeError(
          "extras were given but the table's signature has none (build it with NStepTransitionAdder.signature(spec, extrasSpec))",
        );
      }
    } else {
      if (extras === undefined) {
        throw new TypeError("the table's signature has extras: add(action, timestep, extras) needs them");
      }
      for (const l of this.#extras) {
        checkLeafValue(l.spec, l.keys.length ? valueAtChecked(extras, l.keys, 'extras') : extras, l.path);
      }
    }
  }

  #storeStep(slot: number, action: unknown, reward: unknown, discount: unknown, extras: unknown): void {
    const actions = this.#actions;
    for (let j = 0; j < actions.length; j++) {
      const l = actions[j]!;
      storeLeaf(this.#actionStore[j]!, slot * l.size, valueAt(action, l.keys), l.size);
    }
    let at = slot * this.#rewardSize;
    for (const l of this.#rewardIn) {
      storeLeaf(this.#rewards, at, valueAt(reward, l.keys), l.size);
      at += l.size;
    }
    at = slot * this.#discountSize;
    for (const l of this.#discountIn) {
      storeLeaf(this.#discounts, at, valueAt(discount, l.keys), l.size);
      at += l.size;
    }
    const ex = this.#extras;
    if (ex) {
      for (let j = 0; j < ex.length; j++) {
        const l = ex[j]!;
        storeLeaf(this.#extrasStore[j]!, slot * l.size, valueAt(extras, l.keys), l.size);
      }
    }
  }

  /** Records the observation of row `slot`; frame tables store its newest frame, linked to the previous row's. */
  #setObservation(slot: number, observation: unknown, previousSlot: number): void {
    this.#observations[slot] = observation;
    const n = this.#obs.length;
    for (let t = 0; t < this.tables.length; t++) {
      const c = this.#columns[t]!;
      if (!c.frame) continue;
      const ids = this.#frameIds[t]!;
      for (let j = 0; j < n; j++) {
        if (!c.frameObservation[j]) continue;
        const stack = valueAt(observation, this.#obs[j]!.keys) as Uint8Array;
        const frame = newestFrame(stack, c.frame.scratch, c.frame.depth, c.frame.axisLast);
        const previous = previousSlot < 0 ? -1 : ids[previousSlot * n + j]!;
        ids[slot * n + j] = this.tables[t]!.addFrame(frame, previous);
      }
    }
  }

  /** Writes the transition of the window [first, last) into every table. */
  #write(): void {
    const K = this.#slots;
    const fs = this.#first % K;
    const ls = this.#last % K;
    this.#accumulate();
    const obsLeaves = this.#obs;
    const n = obsLeaves.length;
    for (let t = 0; t < this.tables.length; t++) {
      const c = this.#columns[t]!;
      const ids = this.#frameIds[t]!;
      for (let j = 0; j < n; j++) {
        const frameColumn = c.frameObservation[j];
        if (frameColumn) {
          frameColumn[0] = ids[fs * n + j]!;
          c.frameNext[j]![0] = ids[ls * n + j]!;
        } else {
          const keys = obsLeaves[j]!.keys;
          writeLeaf(c.observation[j]!, valueAt(this.#observations[fs], keys));
          writeLeaf(c.nextObservation[j]!, valueAt(this.#observations[ls], keys));
        }
      }
      const actions = this.#actions;
      for (let j = 0; j < actions.length; j++) {
        const size = actions[j]!.size;
        loadLeaf(c.action[j]!, this.#actionStore[j]!, fs * size, size);
      }
      for (let j = 0; j < this.#rLeaves.length; j++) {
        const { at, size } = this.#rLeaves[j]!;
        loadLeaf(c.reward[j]!, this.#R, at, size);
      }
      for (let j = 0; j < this.#dLeaves.length; j++) {
        const { at, size } = this.#dLeaves[j]!;
        loadLeaf(c.discount[j]!, this.#D, at, size);
      }
      const ex = this.#extras;
      if (ex) {
        for (let j = 0; j < ex.length; j++) {
          const size = ex[j]!.size;
          loadLeaf(c.extras[j]!, this.#extrasStore[j]!, fs * size, size);
        }
      }
    }
    this.insertRows();
  }

  /** R and D of the window [first, last), in Acme's order of operations. */
  #accumulate(): void {
    const K = this.#slots;
    const R = this.#R;
    const D = this.#D;
    const rSource = this.#rSource;
    const rDiscount = this.#rDiscount;
    const dSource = this.#dSource;
    const rewards = this.#rewards;
    const discounts = this.#discounts;
    const rs = this.#rewardSize;
    const ds = this.#discountSize;
    const g = this.discount;
    let slot = this.#first % K;
    for (let e = 0; e < D.length; e++) D[e] = discounts[slot * ds + dSource[e]!]!;
    for (let e = 0; e < R.length; e++) R[e] = rewards[slot * rs + rSource[e]!]!;
    for (let i = this.#first + 1; i < this.#last; i++) {
      slot = i % K;
      for (let e = 0; e < D.length; e++) D[e]! *= g;
      for (let e = 0; e < R.length; e++) R[e]! += rewards[slot * rs + rSource[e]!]! * D[rDiscount[e]!]!;
      for (let e = 0; e < D.length; e++) D[e]! *= discounts[slot * ds + dSource[e]!]!;
    }
  }
}

function checkTransitionSignature(signature: unknown, table: string): void {
  if (!isPlainObject(signature)) throw new RangeError(`table "${table}" signature is not a Transition`);
  const keys = Object.keys(signature);
  const missing = FIELDS.slice(0, 5).filter((k) => !keys.includes(k));
  const extra = keys.filter((k) => !FIELDS.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new RangeError(
      `table "${table}" signature must be a Transition { ${FIELDS.join(', ')}? } (NStepTransitionAdder.signature): ` +
        `${missing.length ? `missing ${missing.join(', ')}` : ''}${extra.length ? ` unexpected ${extra.join(', ')}` : ''}`,
    );
  }
  if (!nestedSpecsEqual(signature.observation as NestedSpec, signature.nextObservation as NestedSpec)) {
    throw new RangeError(`table "${table}": observation and nextObservation specs differ`);
  }
}

function mapLeaves(spec: NestedSpec, fn: () => ArraySpec): NestedSpec {
  if (spec instanceof ArraySpec) return fn();
  if (Array.isArray(spec)) return spec.map((s) => mapLeaves(s as NestedSpec, fn));
  const out: Record<string, NestedSpec> = {};
  for (const k of Object.keys(spec)) out[k] = mapLeaves((spec as Record<string, NestedSpec>)[k]!, fn);
  return out;
}
