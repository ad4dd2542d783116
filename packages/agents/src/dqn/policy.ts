/**
 * The actor's copy of the Q-network and its greedy action. For MLPs the forward pass runs in Rust
 * (`NativeMlp`, a few µs per observation); image networks run through TensorFlow.js. Either copy
 * is refreshed from flat weights, so it can live in another thread or process than the learner.
 */
import { NativeMlp, setVariables, type tf as TF, tf, type tfl } from '@acme-ts/tf';

export interface GreedyPolicy {
  /** argmax_a Q(observation, a); ties go to the lowest action. */
  greedyAction(observation: ArrayLike<number>): number;
  /** Replaces the weights (flat, in `model.weights` order: `getVariables`'s layout). */
  setWeights(weights: Float32Array): void;
  dispose(): void;
}

/** Greedy action of a small MLP, computed in Rust. */
export class NativeMlpPolicy implements GreedyPolicy {
  readonly #mlp: NativeMlp;
  readonly #model: tfl.LayersModel;
  /** Observations of another dtype (uint8, int32, float64 specs) are cast into this buffer. */
  #cast: Float32Array | undefined;

  /** @param model this copy's own network (same architecture as the learner's); it owns it. */
  constructor(model: tfl.LayersModel) {
    this.#model = model;
    this.#mlp = new NativeMlp(model);
    this.#mlp.sync();
  }

  greedyAction(observation: ArrayLike<number>): number {
    if (observation instanceof Float32Array) return this.#mlp.greedyAction(observation);
    // The network computes in float32 whatever the spec's dtype: cast at the agent's boundary.
    if (this.#cast?.length !== observation.length) this.#cast = new Float32Array(observation.length);
    this.#cast.set(observation);
    return this.#mlp.greedyAction(this.#cast);
  }

  setWeights(weights: Float32Array): void {
    // Through the model so that its layout checks apply; both copies are small for an MLP.
    setVariables(this.#model, weights);
    this.#mlp.sync();
  }

  dispose(): void {
    this.#model.dispose();
  }
}

/** Greedy action through TensorFlow.js (any network, e.g. the Nature CNN). */
export class TfPolicy implements GreedyPolicy {
  readonly #model: tfl.LayersModel;
  readonly #shape: number[];
  readonly #input: Float32Array;

  constructor(model: tfl.LayersModel, observationShape: readonly number[]) {
    this.#model = model;
    this.#shape = [1, ...observationShape];
    this.#input = new Float32Array(observationShape.reduce((a, b) => a * b, 1));
  }

  greedyAction(observation: ArrayLike<number>): number {
    this.#input.set(observation);
    return tf.tidy(() => {
      const q = this.#model.predict(tf.tensor(this.#input, this.#shape)) as TF.Tensor;
      return tf.argMax(q, 1).dataSync()[0]!;
    });
  }

  setWeights(weights: Float32Array): void {
    setVariables(this.#model, weights);
  }

  dispose(): void {
    this.#model.dispose();
  }
}
