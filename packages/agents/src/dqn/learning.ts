/**
 * DQN's learner (acme/agents/jax/dqn/losses.py PrioritizedDoubleQLearning + learning_lib):
 *
 *   a*  = argmax_a Q_online(s', a)                          (double Q-learning)
 *   y   = clip(R) + γ · D · Q_target(s', a*)                 (n-step R and D from the adder;
 *                                                           the adder leaves one γ to the learner)
 *   δ   = y - Q_online(s, a)
 *   w_i = (1 / (N · P(i)))^β / max_j w_j                    (importance weights, batch-normalised)
 *   L   = mean_i w_i · huber(δ_i)
 *
 * then Adam (gradients optionally clipped by global norm), new priorities |δ| to the priority
 * updater, and the target network copied from the online one every `targetUpdatePeriod` steps.
 *
 * The learner reads batches from an iterator and writes priorities through an updater: it never
 * holds the replay table, so the same learner runs beside its table or away from it.
 */
import { Learner } from '@acme-ts/core';
import {
  type BatchIterator,
  importanceWeights,
  type PriorityUpdater,
  type TableSample,
} from '@acme-ts/replay';
import { adam, getVariables, setVariables, type tf as TF, tf, variableSize } from '@acme-ts/tf';
import { z } from 'zod';
import { schemaProblem } from '../config_parsing.js';
import type { DQNConfig } from './config.js';
import type { DQNNetworks } from './networks.js';

export interface DQNLearnerState {
  steps: number;
  online: Float32Array;
  target: Float32Array;
  /** Adam's state: its step count and moment estimates, in optimizer weight order. */
  optimizer: { name: string; shape: number[]; values: Float32Array }[];
  /**
   * Adam's running beta1^t and beta2^t as float32 products. TensorFlow.js restores them as
   * pow(beta, t), which differs in the last bits: kept so a resumed run continues bit for bit.
   */
  adamBetaPowers?: [number, number];
}

/** The parts of TensorFlow.js's Adam state that `getWeights` leaves out. */
interface AdamBetaPowers {
  accBeta1: TF.Variable;
  accBeta2: TF.Variable;
}

export interface DQNLearnerMetrics {
  loss: number;
  meanAbsTd: number;
  meanQ: number;
}

export class DQNLearner extends Learner<Float32Array, DQNLearnerState> {
  readonly networks: DQNNetworks;
  readonly config: DQNConfig;
  readonly dataset: BatchIterator<TableSample>;
  readonly priorityUpdater: PriorityUpdater | undefined;
  readonly #optimizer: ReturnType<typeof adam>;
  readonly #obsSize: number;
  readonly #batchShape: number[];
  // Reused host buffers: the batch converted to float32 once per step.
  readonly #obs: Float32Array;
  readonly #nextObs: Float32Array;
  /** Per sample, the flat index i * numActions + a_i. */
  readonly #actions: Int32Array;
  readonly #rewards: Float32Array;
  readonly #discounts: Float32Array;
  readonly #weights: Float32Array;
  readonly #priorities: Float64Array;
  readonly #variables: Float32Array;
  #steps = 0;
  /** Metrics of the last step. */
  metrics: DQNLearnerMetrics = { loss: Number.NaN, meanAbsTd: Number.NaN, meanQ: Number.NaN };

  /**
   * `dataset` gives batches of `config.batchSize` transitions (NStepTransitionAdder's signature);
   * `priorityUpdater` receives |δ| per sampled key (none: uniform replay needs no updates).
   */
  constructor(
    networks: DQNNetworks,
    dataset: BatchIterator<TableSample>,
    config: DQNConfig,
    priorityUpdater?: PriorityUpdater,
  ) {
    super();
    this.networks = networks;
    this.dataset = dataset;
    this.priorityUpdater = priorityUpdater;
    this.config = config;
    this.#optimizer = adam(config.learningRate, 0.9, 0.999, config.adamEpsilon);
    const b = config.batchSize;
    this.#obsSize = networks.observationShape.reduce((x, y) => x * y, 1);
    this.#batchShape = [b, ...networks.observationShape];
    this.#obs = new Float32Array(b * this.#obsSize);
    this.#nextObs = new Float32Array(b * this.#obsSize);
    this.#actions = new Int32Array(b);
    this.#rewards = new Float32Array(b);
    this.#discounts = new Float32Array(b);
    this.#weights = new Float32Array(b);
    this.#priorities = new Float64Array(b);
    this.#variables = new Float32Array(variableSize(networks.online));
    this.#syncTarget();
  }

  get steps(): number {
    return this.#steps;
  }

  /** Acme's Learner.step blocks on the dataset; a single process must not: see `tryStep`. */
  step(): void {
    if (!this.tryStep()) throw new Error('DQNLearner.step: the dataset has no batch ready');
  }

  /** One update when the dataset has a batch ready now; false (and nothing done) otherwise. */
  tryStep(): boolean {
    if (!this.dataset.ready()) return false;
    const sample = this.dataset.tryNext();
    if (!sample) return false;
    this.#learn(sample);
    return true;
  }

  #learn(sample: TableSample): void {
    if (sample.batchSize !== this.config.batchSize) {
      throw new RangeError(
        `the dataset gave a batch of ${sample.batchSize}, the learner needs ${this.config.batchSize}`,
      );
    }
    this.#load(sample);
    this.#update();
    this.priorityUpdater?.updatePriorities(sample.keys, this.#priorities);
    this.#steps++;
    if (this.#steps % this.config.targetUpdatePeriod === 0) this.#syncTarget();
  }

  #load(sample: TableSample): void {
    const { config } = this;
    copyInto(sample.column('observation'), this.#obs);
    copyInto(sample.column('nextObservation'), this.#nextObs);
    // Flat indices of Q(s_i, a_i) in the [batch, actions] output.
    const actions = sample.column('action');
    const numActions = this.networks.numActions;
    for (let i = 0; i < this.#actions.length; i++) this.#actions[i] = i * numActions + actions[i]!;
    const rewards = sample.column('reward');
    const discounts = sample.column('discount');
    const clip = config.maxAbsReward;
    for (let i = 0; i < this.#rewards.length; i++) {
      const r = rewards[i]!;
      this.#rewards[i] = Math.min(clip, Math.max(-clip, r));
      this.#discounts[i] = config.discount * discounts[i]!;
    }
    if (config.importanceSamplingExponent > 0) {
      importanceWeights(
        sample.probabilities,
        sample.tableSize,
        config.importanceSamplingExponent,
        this.#weights,
      );
    } else {
      this.#weights.fill(1);
    }
  }

  #update(): void {
    const { config, networks } = this;
    const numActions = networks.numActions;
    const b = config.batchSize;
    tf.tidy(() => {
      const obs = tf.tensor(this.#obs, this.#batchShape);
      const nextObs = tf.tensor(this.#nextObs, this.#batchShape);
      const picked = tf.tensor1d(this.#actions, 'int32');
      const rewards = tf.tensor1d(this.#rewards);
      const discounts = tf.tensor1d(this.#discounts);
      const weights = tf.tensor1d(this.#weights);
      // Targets carry no gradient: computed before the tape starts.
      const qNextOnline = networks.online.apply(nextObs) as TF.Tensor2D;
      const qNextTarget = networks.target.apply(nextObs) as TF.Tensor2D;
      const best = tf.oneHot(tf.argMax(qNextOnline, 1), numActions);
      const bootstrap = tf.sum(tf.mul(qNextTarget, best), 1);
      const y = tf.add(rewards, tf.mul(discounts, bootstrap));
      let tdAbs: TF.Tensor | undefined;
      let meanQ: TF.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const q = networks.online.apply(obs, { training: true }) as TF.Tensor2D;
        const qa = tf.gather(tf.reshape(q, [-1]), picked);
        const td = tf.sub(y, qa);
        const absTd = tf.abs(td);
        tdAbs = tf.keep(absTd);
        meanQ = tf.keep(tf.mean(qa));
        const delta = config.huberLossParameter;
        const quadratic = tf.minimum(absTd, delta);
        const linear = tf.sub(absTd, quadratic);
        const huber = tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear));
        return tf.mean(tf.mul(weights, huber)) as TF.Scalar;
      });
      this.#optimizer.applyGradients(named(clipByGlobalNorm(grads, config.maxGradientNorm)));
      const td = tdAbs!.dataSync() as Float32Array;
      let sum = 0;
      for (let i = 0; i < b; i++) {
        this.#priorities[i] = td[i]!;
        sum += td[i]!;
      }
      this.metrics = { loss: value.dataSync()[0]!, meanAbsTd: sum / b, meanQ: meanQ!.dataSync()[0]! };
      tf.dispose([tdAbs!, meanQ!]);
    });
  }

  #syncTarget(): void {
    setVariables(this.networks.target, getVariables(this.networks.online, this.#variables));
  }

  /** The online network's weights, flat ('policy' is the only name, as Acme's DQN serves). */
  getVariables(names: readonly string[] = ['policy']): Float32Array[] {
    return names.map((name) => {
      if (name !== 'policy') throw new RangeError(`DQNLearner serves variables "policy" only, got "${name}"`);
      return getVariables(this.networks.online, this.#variables);
    });
  }

  /**
   * The learner's whole state (Acme's `save`). Async because TensorFlow.js hands out optimizer
   * state asynchronously; the values are copied, so later steps do not change the snapshot.
   */
  async snapshot(): Promise<DQNLearnerState> {
    const optimizerWeights = await this.#optimizer.getWeights();
    const powers = this.#optimizer as unknown as AdamBetaPowers;
    return {
      adamBetaPowers: [powers.accBeta1.dataSync()[0]!, powers.accBeta2.dataSync()[0]!],
      steps: this.#steps,
      online: getVariables(this.networks.online),
      target: getVariables(this.networks.target),
      optimizer: optimizerWeights.map((w) => ({
        name: w.name,
        shape: [...w.tensor.shape],
        values: Float32Array.from(w.tensor.dataSync()),
      })),
    };
  }

  /** Puts back a `snapshot()`: weights, target, step count and Adam's moments, checked first. */
  async restoreSnapshot(raw: DQNLearnerState): Promise<void> {
    const state = parseLearnerState(raw, variableSize(this.networks.online));
    setVariables(this.networks.online, state.online);
    setVariables(this.networks.target, state.target);
    this.#steps = state.steps;
    if (state.optimizer.length > 0) {
      // Adam creates its slots lazily: one zero-learning step would move the weights, so the slots
      // are created by setWeights with the saved values directly.
      await this.#optimizer.setWeights(
        state.optimizer.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape) })),
      );
    }
    if (state.adamBetaPowers) {
      const powers = this.#optimizer as unknown as AdamBetaPowers;
      tf.tidy(() => {
        powers.accBeta1.assign(tf.scalar(state.adamBetaPowers![0]));
        powers.accBeta2.assign(tf.scalar(state.adamBetaPowers![1]));
      });
    }
  }

  dispose(): void {
    this.#optimizer.dispose();
  }
}

const float32 = z.instanceof(Float32Array);
const LearnerStateSchema = z.object({
  steps: z.number().int().nonnegative(),
  online: float32,
  target: float32,
  optimizer: z.array(
    z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), values: float32 }),
  ),
  adamBetaPowers: z.tuple([z.number().finite(), z.number().finite()]).optional(),
});

/** A learner state from a checkpoint, checked: counts, weight sizes, optimizer slot shapes. */
function parseLearnerState(raw: unknown, parameters: number): DQNLearnerState {
  const result = LearnerStateSchema.safeParse(raw);
  if (!result.success) throw new TypeError(`learner state: ${schemaProblem(result.error, raw)}`);
  const state = result.data;
  for (const key of ['online', 'target'] as const) {
    if (state[key].length !== parameters) {
      throw new RangeError(
        `learner state: ${key} holds ${state[key].length} weights, the network has ${parameters}`,
      );
    }
  }
  for (const w of state.optimizer) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (size !== w.values.length) {
      throw new RangeError(
        `learner state: optimizer ${w.name} has shape [${w.shape}] but ${w.values.length} values`,
      );
    }
  }
  return state as DQNLearnerState;
}

function copyInto(source: ArrayLike<number>, target: Float32Array | Int32Array): void {
  if (source.length !== target.length) {
    throw new RangeError(`batch column has ${source.length} values, expected ${target.length}`);
  }
  for (let i = 0; i < target.length; i++) target[i] = source[i]!;
}

/** Rescales all gradients together so their global L2 norm is at most `maxNorm`. */
function clipByGlobalNorm(grads: TF.NamedTensorMap, maxNorm: number): TF.NamedTensorMap {
  if (!Number.isFinite(maxNorm)) return grads;
  const names = Object.keys(grads);
  const squares = names.map((n) => tf.sum(tf.square(grads[n]!)));
  const norm = Math.sqrt(tf.addN(squares).dataSync()[0]!);
  if (!(norm > maxNorm)) return grads;
  const scale = maxNorm / norm;
  const out: TF.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n]!, scale);
  return out;
}

function named(grads: TF.NamedTensorMap): { name: string; tensor: TF.Tensor }[] {
  return Object.keys(grads).map((name) => ({ name, tensor: grads[name]! }));
}
