/**
 * TensorFlow.js training and acting (issue 8), per backend available here:
 *
 * - Nature-CNN DQN update, batch 32: target-network forward on s', online forward + backward
 *   through Q(s, a) gathered by action, Huber loss, Adam.
 * - MLP DQN update, batch 128: the same with a squared loss on CleanRL's 120-84 Q-network over a
 *   4-float observation (CartPole), 2 actions.
 * - Acting on one observation: greedy action of that MLP, and of the Nature CNN.
 *
 * Variants: the wasm backend with the Rust kernels through the N-API addon (2 threads, and 1),
 * through the portable wasm module (copies in and out), the stock wasm backend without them (which
 * cannot differentiate `gather`, so there Q(s, a) is a one-hot product, and cannot train a
 * convolution at all), the pure-JS cpu backend, tensorflow (tfjs-node) when installed.
 * `NativeMlp` is the Rust forward pass for acting. Rows marked "quoted" are not measured here:
 * PyTorch 2.13 CPU with 2 threads, tfjs 4.22 stock wasm, and the issue's floors, from DESIGN.md
 * and the issue.
 *
 * The cpu backend's Nature-CNN update (about 33 s) runs only with ACME_BENCH_CPU_CNN=1.
 */
import { Random } from '@acme-ts/core';
import { type Binding, loadBinding, setKernelThreads } from '@acme-ts/native';
import {
  adam,
  NativeMlp,
  qNetwork,
  registerWasmKernels,
  selectBackend,
  tf,
  type tfl,
  unregisterWasmKernels,
} from '@acme-ts/tf';
import { type Row, type Suite, timeCase } from '../harness.js';

const SUITE = 'tf';

interface Setup {
  label: string;
  /** Puts the engine in this variant's state; false when unavailable here. */
  enter: () => Promise<boolean>;
  leave?: () => void;
  /** The stock wasm backend cannot differentiate `gather`: pick Q(s, a) with a one-hot product. */
  noGather?: boolean;
}

/** A seeded stream, so every variant trains on the same batch. */
function rng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.float();
}

/**
 * One DQN learner step (no double Q, as in the Nature paper): y = r + γ d max_a' Q_target(s', a'),
 * loss = Huber(y - Q(s, a)) (the Nature paper's clipped error) or mean squared error (CleanRL's
 * dqn.py, the MLP case), Adam. Returns the step and a disposer.
 */
function dqnUpdate(
  observationShape: number[],
  numActions: number,
  torso: Parameters<typeof qNetwork>[0]['torso'],
  batch: number,
  options: { fusedAdam?: boolean; noGather?: boolean; loss?: 'huber' | 'mse' } = {},
): { step: () => void; dispose: () => void } {
  const online = qNetwork({ observationShape, numActions, torso, seed: 1 });
  const target = qNetwork({ observationShape, numActions, torso, seed: 2 });
  const optimizer = options.fusedAdam === false ? tf.train.adam(1e-4) : adam(1e-4);
  const next = rng(3);
  const obsSize = observationShape.reduce((a, b) => a * b, 1);
  const data = (n: number, scale = 1) => Float32Array.from({ length: n }, () => next() * scale);
  const obs = tf.tensor(data(batch * obsSize), [batch, ...observationShape]);
  const nextObs = tf.tensor(data(batch * obsSize), [batch, ...observationShape]);
  const actions = Int32Array.from({ length: batch }, () => Math.floor(next() * numActions));
  const picked = tf.tensor1d(
    actions.map((a, b) => b * numActions + a),
    'int32',
  );
  const oneHot = tf.oneHot(tf.tensor1d(actions, 'int32'), numActions);
  const rewards = tf.tensor1d(data(batch));
  const discounts = tf.tensor1d(data(batch).map((v) => (v < 0.05 ? 0 : 0.99)));
  const step = () =>
    tf.tidy(() => {
      const qNext = tf.max(target.apply(nextObs) as tf.Tensor, 1);
      const y = tf.add(rewards, tf.mul(discounts, qNext));
      optimizer.minimize(() => {
        const q = online.apply(obs) as tf.Tensor;
        const qa = options.noGather ? tf.sum(tf.mul(q, oneHot), 1) : tf.gather(tf.reshape(q, [-1]), picked);
        const loss = options.loss === 'mse' ? tf.losses.meanSquaredError(y, qa) : tf.losses.huberLoss(y, qa);
        return loss as tf.Scalar;
      });
    });
  const dispose = () => {
    tf.dispose([obs, nextObs, picked, oneHot, rewards, discounts]);
    online.dispose();
    target.dispose();
    optimizer.dispose();
  };
  return { step, dispose };
}

/** Greedy action of `net` for one observation through TensorFlow.js. */
function tfjsAct(net: tfl.LayersModel, observation: Float32Array, shape: number[]): () => number {
  return () =>
    tf.tidy(
      () => tf.argMax(net.predict(tf.tensor(observation, [1, ...shape])) as tf.Tensor, 1).dataSync()[0]!,
    );
}

const napi = () => loadBinding('napi');
const wasmModule = () => loadBinding('wasm');

const wasmWith = (label: string, options: { binding: 'napi' | 'wasm'; threads?: number }): Setup => ({
  label,
  enter: async () => {
    registerWasmKernels({ binding: options.binding === 'napi' ? napi() : wasmModule() });
    setKernelThreads(options.threads);
    await selectBackend({ backend: 'wasm', log: false });
    return true;
  },
  leave: () => setKernelThreads(undefined),
});

const stockWasm: Setup = {
  label: 'wasm, stock kernels',
  noGather: true,
  enter: async () => {
    unregisterWasmKernels();
    await selectBackend({ backend: 'wasm', log: false });
    // selectBackend registers the Rust kernels; take them out again for this variant.
    unregisterWasmKernels();
    return true;
  },
  leave: () => {
    registerWasmKernels();
  },
};

const cpu: Setup = {
  label: 'cpu (pure JS)',
  enter: async () => {
    await selectBackend({ backend: 'cpu', log: false });
    return true;
  },
};

const tensorflow: Setup = {
  label: 'tensorflow (tfjs-node)',
  enter: async () => {
    try {
      await selectBackend({ backend: 'tensorflow', log: false });
      return true;
    } catch {
      return false;
    }
  },
};

/** Times `make()`'s step under each setup, in `unit` (ms or µs). */
async function measure(
  caseName: string,
  setups: Setup[],
  make: (setup: Setup) => { step: () => unknown; dispose?: () => void },
  unit: 'ms' | 'µs',
  timeMs: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const setup of setups) {
    if (!(await setup.enter())) {
      console.log(`${SUITE}/${caseName}: ${setup.label} not available here, skipped`);
      continue;
    }
    const { step, dispose } = make(setup);
    for (let i = 0; i < 3; i++) step(); // warm-up: kernels set up, memory grown
    const [row] = await timeCase(SUITE, caseName, [{ variant: setup.label, fn: () => void step() }], {
      timeMs,
    });
    dispose?.();
    setup.leave?.();
    rows.push({ ...row!, value: unit === 'ms' ? row!.value / 1000 : row!.value, unit: `${unit}/call` });
  }
  return rows;
}

function quoted(caseName: string, variant: string, value: number, unit: string): Row {
  return { suite: SUITE, case: caseName, variant: `${variant} (quoted)`, value, unit };
}

export const tfSuite: Suite = {
  name: 'tf',
  description: 'DQN updates and acting on TensorFlow.js backends, Rust kernels vs stock, vs quoted PyTorch',
  async run() {
    const rows: Row[] = [];

    // Nature CNN, batch 32.
    const cnnCase = 'nature-cnn dqn update b32';
    const cnnSetups = [
      wasmWith('wasm + Rust kernels (napi, 2 threads)', { binding: 'napi', threads: 2 }),
      wasmWith('wasm + Rust kernels (napi, 1 thread)', { binding: 'napi', threads: 1 }),
      wasmWith('wasm + Rust kernels (wasm module)', { binding: 'wasm' }),
      tensorflow,
      ...(process.env.ACME_BENCH_CPU_CNN === '1' ? [cpu] : []),
    ];
    rows.push(
      ...(await measure(
        cnnCase,
        cnnSetups,
        () => dqnUpdate([84, 84, 4], 6, { kind: 'natureCnn' }, 32),
        'ms',
        3000,
      )),
      quoted(cnnCase, 'pytorch 2.13 cpu, 2 threads', 41, 'ms/call'),
      quoted(cnnCase, 'floor', 100, 'ms/call'),
    );

    // CleanRL's MLP, batch 128.
    const mlpCase = 'mlp 120-84 dqn update b128';
    const mlpTorso = { kind: 'mlp' as const, hiddenSizes: [120, 84] };
    const mlpSetups = [
      wasmWith('wasm + Rust kernels (napi)', { binding: 'napi' }),
      wasmWith('wasm + Rust kernels (wasm module)', { binding: 'wasm' }),
      stockWasm,
      cpu,
      tensorflow,
    ];
    rows.push(
      ...(await measure(
        mlpCase,
        mlpSetups,
        (s) => dqnUpdate([4], 2, mlpTorso, 128, { noGather: s.noGather, loss: 'mse' }),
        'ms',
        1000,
      )),
      ...(await measure(
        `${mlpCase}, tf.train.adam`,
        [wasmWith('wasm + Rust kernels (napi)', { binding: 'napi' })],
        () => dqnUpdate([4], 2, mlpTorso, 128, { fusedAdam: false, loss: 'mse' }),
        'ms',
        1000,
      )),
      quoted(mlpCase, 'pytorch 2.13 cpu, 2 threads', 0.42, 'ms/call'),
      quoted(mlpCase, 'tfjs 4.22 wasm, stock, small MLP', 1.65, 'ms/call'),
      quoted(mlpCase, 'floor', 1, 'ms/call'),
    );

    // Acting on one observation.
    const actCase = 'mlp 120-84 single action';
    const observation = Float32Array.from({ length: 4 }, rng(4));
    const mlpNet = () => qNetwork({ observationShape: [4], numActions: 2, torso: mlpTorso, seed: 1 });
    const nativeAct = (binding: Binding) => {
      const net = mlpNet();
      const policy = new NativeMlp(net, { binding });
      policy.sync();
      return { step: () => policy.greedyAction(observation), dispose: () => net.dispose() };
    };
    rows.push(
      ...(await measure(
        actCase,
        [wasmWith('NativeMlp (Rust forward, napi)', { binding: 'napi' })],
        () => nativeAct(napi()),
        'µs',
        300,
      )),
      ...(await measure(
        actCase,
        [wasmWith('NativeMlp (Rust forward, wasm module)', { binding: 'napi' })],
        () => nativeAct(wasmModule()),
        'µs',
        300,
      )),
      ...(await measure(
        actCase,
        [wasmWith('tfjs predict, wasm + Rust kernels', { binding: 'napi' }), stockWasm, cpu, tensorflow],
        () => {
          const net = mlpNet();
          return { step: tfjsAct(net, observation, [4]), dispose: () => net.dispose() };
        },
        'µs',
        300,
      )),
      quoted(actCase, 'pytorch 2.13 cpu, 2 threads', 22, 'µs/call'),
      quoted(actCase, 'tfjs 4.22 wasm, stock', 131, 'µs/call'),
      quoted(actCase, 'floor', 40, 'µs/call'),
    );

    const cnnActCase = 'nature-cnn single action';
    const frame = Float32Array.from({ length: 84 * 84 * 4 }, rng(5));
    rows.push(
      ...(await measure(
        cnnActCase,
        [wasmWith('tfjs predict, wasm + Rust kernels (napi)', { binding: 'napi' }), stockWasm],
        () => {
          const net = qNetwork({
            observationShape: [84, 84, 4],
            numActions: 6,
            torso: { kind: 'natureCnn' },
            seed: 1,
          });
          return { step: tfjsAct(net, frame, [84, 84, 4]), dispose: () => net.dispose() };
        },
        'µs',
        500,
      )),
    );

    await selectBackend({ backend: 'wasm', log: false });
    return rows;
  },
};
