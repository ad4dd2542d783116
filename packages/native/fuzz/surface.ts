/**
 * What the fuzzer calls: every exported function and every method and getter of every exported
 * class of @acme-ts/native, each with a valid call to start from and the names its errors may use.
 * `coverage()` compares this list with the module's actual exports, so a new export that is not
 * listed here fails the fuzz run instead of going unfuzzed.
 */

// The module under test, typed loosely on purpose: the fuzzer calls it with anything.
// biome-ignore lint/suspicious/noExplicitAny: the fuzzer deliberately calls the API with any value
export type Api = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: instances of the API's classes, called with anything
export type Instance = any;

/** Valid values the catalogue builds on, remade for every call (a call may detach or fill them). */
export interface Fixtures {
  readonly api: Api;
  /** A live instance of class `name`, made anew when the last one was freed. */
  instance(name: string): Instance;
  /** Keys of items in the current engine. */
  keys(): Float64Array;
}

export interface Arg {
  readonly name: string;
  readonly good: (f: Fixtures) => unknown;
  /** Field names of an object argument, which its errors may name instead. */
  readonly fields?: readonly string[];
}

export interface Target {
  /** `sumF32`, `RunningMeanStd.update`, `new ReplayEngine`, `get ReplayEngine.size`. */
  readonly id: string;
  readonly args: readonly Arg[];
  /** Runs the call; `self` is the receiver for methods and getters. */
  readonly invoke: (api: Api, args: unknown[], self: Instance) => unknown;
  /** The class whose instance is the receiver, for methods and getters. */
  readonly receiver?: string;
}

const a = (name: string, good: (f: Fixtures) => unknown, fields?: readonly string[]): Arg =>
  fields ? { name, good, fields } : { name, good };

const f32 =
  (n: number, v = 0.5) =>
  () =>
    new Float32Array(n).fill(v);

// --- shared shapes -------------------------------------------------------------------------------

const GEOMETRY = () => ({
  batch: 1,
  inHeight: 4,
  inWidth: 4,
  inChannels: 1,
  outHeight: 2,
  outWidth: 2,
  outChannels: 2,
  filterHeight: 3,
  filterWidth: 3,
  strideHeight: 1,
  strideWidth: 1,
  padTop: 0,
  padLeft: 0,
});
const GEOMETRY_FIELDS = [...Object.keys(GEOMETRY()), 'dilationHeight', 'dilationWidth'];
const KERNEL_OPTIONS = ['bias', 'activation', 'threads', 'binding'];
const FRAME_OPTIONS = () => ({ height: 20, width: 16, scaleDims: [10, 8], numStackedFrames: 2 });
const FRAME_FIELDS = [
  'height',
  'width',
  'scaleDims',
  'grayscaling',
  'pooledFrames',
  'numStackedFrames',
  'resetFill',
];
const COLUMNS = () => [
  { name: 'obs', dtype: 'float32', shape: [2] },
  { name: 'act', dtype: 'int32' },
];
const ENGINE_OPTIONS = (api: Api) => ({
  maxSize: 16,
  sampler: api.Selectors.prioritized(0.6),
  remover: api.Selectors.fifo(),
  rateLimiter: api.RateLimiters.minSize(1),
  seed: 3,
  columns: COLUMNS(),
});
const ENGINE_FIELDS = [
  'maxSize',
  'sampler',
  'remover',
  'rateLimiter',
  'maxTimesSampled',
  'seed',
  'stratified',
  'trackMinProbability',
  'columns',
  'frames',
  'binding',
  'priorityExponent',
  'kind',
  'minSizeToSample',
  'samplesPerInsert',
  'errorBuffer',
  'size',
];

// --- functions -----------------------------------------------------------------------------------

const fn = (name: string, args: Arg[], call?: (api: Api, args: unknown[]) => unknown): Target => ({
  id: name,
  args,
  invoke: call ?? ((api, xs) => api[name](...xs)),
});

const FUNCTIONS: Target[] = [
  fn('sumF32', [a('values', f32(5))]),
  fn('loadBinding', [a('kind', () => (process.env.ACME_NATIVE === 'wasm' ? 'wasm' : 'napi'))]),
  fn('native', []),
  fn('backendInfo', []),
  fn('initWasm', [a('source', () => new Uint8Array([0, 97, 115, 109]))]),
  fn('kernelThreads', [a('binding', (f) => f.api.native())]),
  fn('setKernelThreads', [a('threads', () => undefined)]),
  fn('conv2d', [
    a('x', f32(16)),
    a('filter', f32(18)),
    a('y', f32(8)),
    a('geometry', GEOMETRY, GEOMETRY_FIELDS),
    a('options', () => ({ bias: new Float32Array(2), activation: 'relu', threads: 1 }), KERNEL_OPTIONS),
  ]),
  fn('conv2dBackpropFilter', [
    a('x', f32(16)),
    a('dy', f32(8)),
    a('dfilter', f32(18)),
    a('geometry', GEOMETRY, GEOMETRY_FIELDS),
    a('options', () => ({ threads: 2 }), KERNEL_OPTIONS),
  ]),
  fn('conv2dBackpropInput', [
    a('dy', f32(8)),
    a('filter', f32(18)),
    a('dx', f32(16)),
    a('geometry', GEOMETRY, GEOMETRY_FIELDS),
    a('options', () => ({ threads: 1 }), KERNEL_OPTIONS),
  ]),
  fn('matMul', [
    a('a', f32(6)),
    a('b', f32(12)),
    a('out', f32(8)),
    a('shape', () => ({ m: 2, k: 3, n: 4, batchA: 1, batchB: 1, transposeA: false, transposeB: false }), [
      'm',
      'k',
      'n',
      'batchA',
      'batchB',
      'transposeA',
      'transposeB',
    ]),
    a('options', () => ({ bias: new Float32Array(4), activation: 'linear', threads: 1 }), KERNEL_OPTIONS),
  ]),
  fn('denseBackward', [
    a('x', f32(6)),
    a('w', f32(12)),
    a('y', f32(8)),
    a('dy', f32(8)),
    a('out', () => ({ dx: new Float32Array(6), dw: new Float32Array(12), db: new Float32Array(4) }), [
      'dx',
      'dw',
      'db',
    ]),
    a('shape', () => ({ m: 2, k: 3, n: 4 }), ['m', 'k', 'n']),
    a('options', () => ({ activation: 'relu', threads: 1 }), KERNEL_OPTIONS),
  ]),
  fn('unsortedSegmentSum', [
    a('data', f32(6)),
    a('segmentIds', () => new Int32Array([0, 2, -1])),
    a('numSegments', () => 3),
    a('out', f32(6)),
    a('options', () => ({}), ['binding']),
  ]),
  fn('adamUpdate', [
    a('param', f32(4)),
    a('grad', f32(4)),
    a('m', f32(4)),
    a('v', f32(4)),
    a('out', () => ({ param: new Float32Array(4), m: new Float32Array(4), v: new Float32Array(4) }), [
      'param',
      'm',
      'v',
      'paramOut',
      'mOut',
      'vOut',
    ]),
    a(
      'step',
      () => ({
        learningRate: 0.001,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        accBeta1: 0.9,
        accBeta2: 0.999,
      }),
      ['learningRate', 'beta1', 'beta2', 'epsilon', 'accBeta1', 'accBeta2'],
    ),
    a('options', () => ({}), ['binding']),
  ]),
  fn('importanceWeights', [
    a('probabilities', () => new Float64Array([0.5, 0.25])),
    a('tableSize', () => 4),
    a('beta', () => 0.4),
    a('out', () => new Float32Array(2)),
    a('normalization', () => ({ minProbability: 0.1 }), ['minProbability']),
  ]),
  fn('resolveFrameOptions', [a('options', FRAME_OPTIONS, FRAME_FIELDS)]),
  ...['uniform', 'fifo', 'lifo', 'minHeap', 'maxHeap'].map((s) =>
    fn(`Selectors.${s}`, [], (api) => api.Selectors[s]()),
  ),
  fn('Selectors.prioritized', [a('priorityExponent', () => 0.6)], (api, xs) =>
    api.Selectors.prioritized(...xs),
  ),
  fn('RateLimiters.minSize', [a('minSizeToSample', () => 1)], (api, xs) => api.RateLimiters.minSize(...xs)),
  fn('RateLimiters.queue', [a('size', () => 4)], (api, xs) => api.RateLimiters.queue(...xs)),
  fn('RateLimiters.stack', [a('size', () => 4)], (api, xs) => api.RateLimiters.stack(...xs)),
  fn(
    'RateLimiters.sampleToInsertRatio',
    [a('samplesPerInsert', () => 1.5), a('minSizeToSample', () => 2), a('errorBuffer', () => [-1, 3])],
    (api, xs) => api.RateLimiters.sampleToInsertRatio(...xs),
  ),
  fn(
    'RateLimiters.custom',
    [
      a('samplesPerInsert', () => 1),
      a('minSizeToSample', () => 1),
      a('minDiff', () => -5),
      a('maxDiff', () => 5),
    ],
    (api, xs) => api.RateLimiters.custom(...xs),
  ),
];

// --- classes -------------------------------------------------------------------------------------

interface ClassSpec {
  readonly name: string;
  readonly ctor: readonly Arg[];
  readonly methods: Record<string, readonly Arg[]>;
  readonly getters: readonly string[];
}

const rateLimiterSpec = (f: Fixtures) => f.api.RateLimiters.sampleToInsertRatio(1.5, 2, [-1, 3]);

export const CLASSES: readonly ClassSpec[] = [
  {
    name: 'RunningMeanStd',
    ctor: [a('dim', () => 3), a('epsilon', () => 1e-4), a('binding', () => undefined)],
    methods: {
      update: [a('batch', f32(6, 1))],
      normalize: [a('input', f32(3, 1)), a('output', f32(3)), a('clip', () => 5)],
      free: [],
    },
    getters: ['dim', 'count', 'mean', 'var'],
  },
  {
    name: 'FramePreprocessor',
    ctor: [a('options', FRAME_OPTIONS, FRAME_FIELDS), a('binding', () => undefined)],
    methods: {
      frameBuffer: [a('slot', () => 1)],
      reset: [a('frame', () => new Uint8Array(960).fill(9)), a('out', () => new Uint8Array(160))],
      step: [
        a('previous', () => new Uint8Array(960).fill(3)),
        a('latest', () => new Uint8Array(960).fill(200)),
        a('out', () => new Float32Array(160)),
      ],
      read: [a('out', () => new Uint8Array(160))],
      free: [],
    },
    getters: ['options', 'frameLength', 'observationShape', 'observationLength'],
  },
  {
    name: 'FramePreprocessorBatch',
    ctor: [a('numEnvs', () => 2), a('options', FRAME_OPTIONS, FRAME_FIELDS), a('binding', () => undefined)],
    methods: {
      frameBuffer: [a('slot', () => 0)],
      reset: [
        a('frames', () => new Uint8Array(1920).fill(7)),
        a('out', () => new Uint8Array(320)),
        a('mask', () => new Uint8Array([1, 0])),
      ],
      step: [
        a('previous', () => new Uint8Array(1920)),
        a('latest', () => new Uint8Array(1920).fill(90)),
        a('out', () => new Uint8Array(320)),
        a('resetMask', () => new Uint8Array([0, 1])),
      ],
      read: [a('out', () => new Float32Array(320))],
      free: [],
    },
    getters: ['numEnvs', 'options', 'frameLength', 'observationShape', 'observationLength'],
  },
  {
    name: 'ReplayEngine',
    ctor: [a('options', (f) => ENGINE_OPTIONS(f.api), ENGINE_FIELDS)],
    methods: {
      createBatch: [a('size', () => 2)],
      createSample: [a('batchSize', () => 2), a('options', () => ({ info: true }), ['info'])],
      insert: [a('priority', () => 1.5), a('row', () => ({ obs: [1, 2], act: 3 }), ['obs', 'act'])],
      insertBatch: [
        a('priorities', () => new Float64Array([1, 2])),
        a('batch', (f) => f.instance('ReplayEngine').createBatch(2)),
        a('keys', () => new Float64Array(2)),
      ],
      addFrame: [a('frame', () => new Uint8Array(4)), a('previous', () => -1)],
      sample: [a('into', () => 4)],
      updatePriorities: [
        a('keys', (f) => f.keys()),
        a('priorities', (f) => new Float64Array(f.keys().length).fill(2)),
      ],
      delete: [a('keys', (f) => f.keys().subarray(0, 1))],
      gather: [a('keys', (f) => f.keys()), a('into', () => undefined)],
      prioritiesOf: [a('keys', (f) => f.keys()), a('out', (f) => new Float64Array(f.keys().length))],
      canInsert: [a('numInserts', () => 1)],
      canSample: [a('numSamples', () => 1)],
      minProbability: [],
      reset: [],
      checkpoint: [],
      restore: [a('bytes', (f) => f.instance('ReplayEngine').checkpoint())],
      getRngState: [],
      setRngState: [a('state', () => new Uint32Array([1, 2, 3, 4]))],
      free: [],
    },
    getters: [
      'size',
      'maxSize',
      'inserts',
      'samples',
      'deletes',
      'nextFrameId',
      'oldestFrameId',
      'memoryBytes',
      'layout',
    ],
  },
  {
    name: 'RateLimiter',
    ctor: [a('spec', rateLimiterSpec, ENGINE_FIELDS), a('binding', () => undefined)],
    methods: {
      canInsert: [a('numInserts', () => 1)],
      canSample: [a('numSamples', () => 1)],
      insert: [a('n', () => 1)],
      sample: [a('n', () => 1)],
      delete: [a('n', () => 1)],
      reset: [],
      free: [],
    },
    getters: ['samplesPerInsert', 'minSizeToSample', 'minDiff', 'maxDiff', 'inserts', 'samples', 'deletes'],
  },
  {
    name: 'ReplayLayout',
    ctor: [
      a('columns', COLUMNS, ['name', 'dtype', 'shape', 'frameStack']),
      a('frames', () => ({ shape: [4, 4], stack: 2 }), ['shape', 'capacity', 'stack', 'resetFill', 'axis']),
      a('maxSize', () => 16),
    ],
    methods: { column: [a('name', () => 'obs')], encodeColumns: [] },
    getters: ['columns', 'frames', 'float32Row', 'int32Row', 'uint8Row', 'stackRow', 'stackColumns'],
  },
  {
    name: 'ReplayBatch',
    ctor: [a('layout', (f) => f.instance('ReplayEngine').layout), a('size', () => 2)],
    methods: { row: [a('name', () => 'obs'), a('i', () => 1)] },
    getters: ['size', 'float32', 'int32', 'uint8', 'stacks', 'frameIds', 'columns', 'frameIdColumns'],
  },
];

function classTargets(c: ClassSpec): Target[] {
  const out: Target[] = [{ id: `new ${c.name}`, args: c.ctor, invoke: (api, xs) => new api[c.name](...xs) }];
  for (const [method, args] of Object.entries(c.methods)) {
    out.push({
      id: `${c.name}.${method}`,
      args,
      receiver: c.name,
      invoke: (api, xs, self) => api[c.name].prototype[method].apply(self, xs),
    });
  }
  for (const getter of c.getters) {
    out.push({
      id: `get ${c.name}.${getter}`,
      args: [],
      receiver: c.name,
      invoke: (_api, _xs, self) => self[getter],
    });
  }
  return out;
}

export const TARGETS: readonly Target[] = [...FUNCTIONS, ...CLASSES.flatMap(classTargets)];

/** Exports (functions, classes, their methods and accessors) that no target calls. */
export function coverage(api: Api): string[] {
  const ids = new Set(TARGETS.map((t) => t.id));
  const missing: string[] = [];
  for (const [name, value] of Object.entries(api)) {
    if (typeof value === 'function' && !/^[A-Z]/.test(name)) {
      if (!ids.has(name)) missing.push(name);
    } else if (typeof value === 'function') {
      if (!ids.has(`new ${name}`)) missing.push(`new ${name}`);
      for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(value.prototype))) {
        if (key === 'constructor') continue;
        const id = d.get ? `get ${name}.${key}` : `${name}.${key}`;
        if (!ids.has(id)) missing.push(id);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) if (!ids.has(`${name}.${key}`)) missing.push(`${name}.${key}`);
    }
  }
  return missing;
}
