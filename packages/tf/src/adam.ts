/**
 * Adam whose step is one Rust kernel per variable on the wasm backend (`AcmeAdam`) instead of
 * about fifteen elementwise ones. It is TensorFlow.js's `AdamOptimizer` in every other respect:
 * same state variables (`getWeights`/`setWeights` and checkpoints interchange with
 * `tf.train.adam`), same serialised class name, same numbers bit for bit. On backends without the
 * kernel it simply runs the parent's step.
 */
import {
  AdamOptimizer,
  engine,
  getBackend,
  getKernel,
  mul,
  type Tensor,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { ACME_ADAM, type AcmeAdamAttrs } from './kernels/adam.js';

interface AdamState {
  accumulatedFirstMoment: { originalName: string; variable: Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: Variable }[];
  accBeta1: Variable;
  accBeta2: Variable;
}

export class AcmeAdamOptimizer extends AdamOptimizer {
  override applyGradients(variableGradients: Parameters<AdamOptimizer['applyGradients']>[0]): void {
    if (!getKernel(ACME_ADAM, getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    // beta^t as float32, read from the state variables (a one-float copy on wasm, where this runs).
    const accBeta1 = state.accBeta1.dataSync()[0]!;
    const accBeta2 = state.accBeta2.dataSync()[0]!;
    const attrs: AcmeAdamAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      accBeta1,
      accBeta2,
    };
    tidy(() => {
      names.forEach((name, i) => {
        const value = engine().registeredVariables[name]!;
        state.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        state.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i]!.tensor
          : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        const [p1, m1, v1] = engine().runKernel(
          ACME_ADAM,
          { param: value, grad: gradient, m, v },
          attrs as unknown as Record<string, number>,
        ) as Tensor[];
        m.assign(m1!);
        v.assign(v1!);
        value.assign(p1!);
      });
      state.accBeta1.assign(mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** `tf.train.adam` with the fused step; same defaults (epsilon: the backend's, 1e-7 in float32). */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): AcmeAdamOptimizer {
  // The parent treats a null epsilon as "the backend's" (its constructor's declared type omits it).
  return new AcmeAdamOptimizer(learningRate, beta1, beta2, (epsilon ?? null) as number);
}
