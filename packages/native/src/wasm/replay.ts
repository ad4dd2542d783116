/** The wasm binding of the replay core (crates/replay via crates/wasm/src/replay.rs). */
import { expectAttached, expectIndex, expectNumber, expectTypedArray, overlaps } from '../args.js';
import type { RateLimiterCore, ReplayBinding, ReplayEngineCore } from '../binding.js';
import { Handles } from './handles.js';
import { outOfMemory, type WasmModule } from './module.js';

interface ReplayExports {
  acme_replay_new(config: number, len: number): number;
  acme_replay_free(handle: number): void;
  acme_replay_insert(
    handle: number,
    priorities: number,
    prioritiesLen: number,
    f32: number,
    f32Len: number,
    i32: number,
    i32Len: number,
    u8: number,
    u8Len: number,
    frameIds: number,
    frameIdsLen: number,
    keys: number,
    keysLen: number,
  ): number;
  acme_replay_add_frame(handle: number, frame: number, len: number, previous: number): number;
  acme_replay_sample(handle: number, keys: number, keysLen: number, probs: number, probsLen: number): number;
  acme_replay_sample_with_info(
    handle: number,
    keys: number,
    keysLen: number,
    probs: number,
    probsLen: number,
    priorities: number,
    prioritiesLen: number,
    times: number,
    timesLen: number,
  ): number;
  acme_replay_update_priorities(
    handle: number,
    keys: number,
    keysLen: number,
    priorities: number,
    prioritiesLen: number,
  ): number;
  acme_replay_delete(handle: number, keys: number, keysLen: number): number;
  acme_replay_gather(
    handle: number,
    keys: number,
    keysLen: number,
    f32: number,
    f32Len: number,
    i32: number,
    i32Len: number,
    u8: number,
    u8Len: number,
    stacks: number,
    stacksLen: number,
  ): number;
  acme_replay_priorities_of(
    handle: number,
    keys: number,
    keysLen: number,
    out: number,
    outLen: number,
  ): number;
  acme_replay_reset(handle: number): void;
  acme_replay_can_insert(handle: number, n: number): number;
  acme_replay_can_sample(handle: number, n: number): number;
  acme_replay_min_probability(handle: number, out: number): number;
  acme_replay_checkpoint(handle: number): number;
  acme_bytes_ptr(bytes: number): number;
  acme_bytes_len(bytes: number): number;
  acme_bytes_free(bytes: number): void;
  acme_replay_restore(handle: number, bytes: number, len: number): number;
  acme_replay_get_rng_state(handle: number, out: number): void;
  acme_replay_set_rng_state(handle: number, state: number): number;
  acme_replay_size(handle: number): number;
  acme_replay_inserts(handle: number): number;
  acme_replay_samples(handle: number): number;
  acme_replay_deletes(handle: number): number;
  acme_replay_next_frame_id(handle: number): number;
  acme_replay_oldest_frame_id(handle: number): number;
  acme_replay_memory_bytes(handle: number): number;
  acme_replay_config_len(handle: number): number;
  acme_replay_config_write(handle: number, out: number, len: number): number;
  acme_limiter_new(spec: number, len: number): number;
  acme_limiter_free(handle: number): void;
  acme_limiter_can_insert(handle: number, n: number): number;
  acme_limiter_can_sample(handle: number, n: number): number;
  acme_limiter_insert(handle: number, n: number): void;
  acme_limiter_sample(handle: number, n: number): void;
  acme_limiter_delete(handle: number, n: number): number;
  acme_limiter_reset(handle: number): void;
  acme_limiter_info(handle: number, out: number): void;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** N-API accepts an ArrayBuffer wherever it takes a Uint8Array; so does this binding. */
function bytesArg(value: unknown, name: string): Uint8Array {
  if (value instanceof ArrayBuffer) {
    expectAttached(value, name);
    return new Uint8Array(value);
  }
  expectTypedArray(value, name, 'Uint8Array');
  return value as Uint8Array;
}

/**
 * Output arrays must not overlap each other or an input; worded as the N-API addon words it: the
 * written array first, and of two outputs the later argument first (outputs in argument order).
 */
function checkDisjoint(outputs: [string, ArrayBufferView][], inputs: [string, ArrayBufferView][]): void {
  for (let i = 0; i < outputs.length; i++) {
    const [name, out] = outputs[i]!;
    for (const [other, arr] of outputs.slice(0, i)) {
      if (overlaps(out, arr)) throw new RangeError(`${name} must not share memory with ${other}`);
    }
    for (const [other, arr] of inputs) {
      if (overlaps(out, arr)) throw new RangeError(`${name} must not share memory with ${other}`);
    }
  }
}

export function bindReplay(wasm: WasmModule): ReplayBinding {
  let x = wasm.typed<ReplayExports>();
  wasm.onNewInstance(() => {
    x = wasm.typed<ReplayExports>();
  });
  const mem = () => x.memory.buffer;

  const engines = new Handles(wasm, 'ReplayEngine', (h) => x.acme_replay_free(h));
  const limiters = new Handles(wasm, 'RateLimiter', (h) => x.acme_limiter_free(h));

  /** Copies argument `name` into scratch slot `slot` (an empty array needs no copy). */
  const copyIn = (slot: number, values: ArrayBufferView, name: string): number =>
    values.byteLength === 0 ? 8 : wasm.copyIn(slot, values, name);
  /** Scratch for output `name` of `bytes` bytes. */
  const outPtr = (slot: number, bytes: number, name: string): number =>
    bytes === 0 ? 8 : wasm.scratchPtr(slot, bytes, name);
  /** Copies wasm memory back into an output array after a successful call. */
  function copyOut(ptr: number, out: ArrayBufferView): void {
    if (out.byteLength === 0) return;
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
      new Uint8Array(mem(), ptr, out.byteLength),
    );
  }
  /** A count returned by the core: -1 means the error is stored. */
  function counted(result: number): number {
    if (result < 0) wasm.check(x.acme_error_code());
    return result;
  }
  function flag(result: number): boolean {
    if (result < 0) wasm.check(x.acme_error_code());
    return result === 1;
  }

  class ReplayEngine implements ReplayEngineCore {
    constructor(config: Float64Array) {
      expectTypedArray(config, 'config', 'Float64Array');
      const ptr = copyIn(0, config, 'config');
      const handle = wasm.call('ReplayEngine', () => x.acme_replay_new(ptr, config.length));
      if (handle === 0) wasm.check(x.acme_error_code());
      engines.add(this, handle);
    }
    free(): void {
      engines.free(this);
    }
    get size(): number {
      return x.acme_replay_size(engines.get(this));
    }
    get inserts(): number {
      return x.acme_replay_inserts(engines.get(this));
    }
    get samples(): number {
      return x.acme_replay_samples(engines.get(this));
    }
    get deletes(): number {
      return x.acme_replay_deletes(engines.get(this));
    }
    get nextFrameId(): number {
      return x.acme_replay_next_frame_id(engines.get(this));
    }
    get oldestFrameId(): number {
      return x.acme_replay_oldest_frame_id(engines.get(this));
    }
    get memoryBytes(): number {
      return x.acme_replay_memory_bytes(engines.get(this));
    }
    get config(): Float64Array {
      const h = engines.get(this);
      const len = x.acme_replay_config_len(h) >>> 0;
      const ptr = outPtr(0, len * 8, 'config');
      wasm.check(x.acme_replay_config_write(h, ptr, len));
      return wasm.f64s(ptr, len);
    }
    insert(
      priorities: Float64Array,
      float32: Float32Array,
      int32: Int32Array,
      uint8: Uint8Array,
      frameIds: Float64Array,
      keys: Float64Array,
    ): void {
      const h = engines.get(this);
      expectTypedArray(priorities, 'priorities', 'Float64Array');
      expectTypedArray(float32, 'float32 data', 'Float32Array');
      expectTypedArray(int32, 'int32 data', 'Int32Array');
      const u8 = bytesArg(uint8, 'uint8 data');
      expectTypedArray(frameIds, 'frameIds', 'Float64Array');
      expectTypedArray(keys, 'keys', 'Float64Array');
      checkDisjoint(
        [['keys', keys]],
        [
          ['priorities', priorities],
          ['float32 data', float32],
          ['int32 data', int32],
          ['uint8 data', u8],
          ['frameIds', frameIds],
        ],
      );
      const p = copyIn(0, priorities, 'priorities');
      const f = copyIn(1, float32, 'float32 data');
      const i = copyIn(2, int32, 'int32 data');
      const u = copyIn(3, u8, 'uint8 data');
      const ids = copyIn(4, frameIds, 'frameIds');
      const k = outPtr(5, keys.byteLength, 'keys');
      wasm.check(
        wasm.call('ReplayEngine.insert', () =>
          x.acme_replay_insert(
            h,
            p,
            priorities.length,
            f,
            float32.length,
            i,
            int32.length,
            u,
            u8.length,
            ids,
            frameIds.length,
            k,
            keys.length,
          ),
        ),
      );
      copyOut(k, keys);
    }
    addFrame(frame: Uint8Array, previous: number): number {
      const h = engines.get(this);
      const bytes = bytesArg(frame, 'frame');
      expectNumber(previous, 'previous');
      const ptr = copyIn(0, bytes, 'frame');
      return counted(
        wasm.call('ReplayEngine.addFrame', () => x.acme_replay_add_frame(h, ptr, bytes.length, previous)),
      );
    }
    sample(keys: Float64Array, probabilities: Float64Array): number {
      const h = engines.get(this);
      expectTypedArray(keys, 'keys', 'Float64Array');
      expectTypedArray(probabilities, 'probabilities', 'Float64Array');
      checkDisjoint(
        [
          ['keys', keys],
          ['probabilities', probabilities],
        ],
        [],
      );
      const k = outPtr(0, keys.byteLength, 'keys');
      const p = outPtr(1, probabilities.byteLength, 'probabilities');
      const size = counted(
        wasm.call('ReplayEngine.sample', () =>
          x.acme_replay_sample(h, k, keys.length, p, probabilities.length),
        ),
      );
      copyOut(k, keys);
      copyOut(p, probabilities);
      return size;
    }
    sampleWithInfo(
      keys: Float64Array,
      probabilities: Float64Array,
      priorities: Float64Array,
      timesSampled: Int32Array,
    ): number {
      const h = engines.get(this);
      expectTypedArray(keys, 'keys', 'Float64Array');
      expectTypedArray(probabilities, 'probabilities', 'Float64Array');
      expectTypedArray(priorities, 'priorities', 'Float64Array');
      expectTypedArray(timesSampled, 'timesSampled', 'Int32Array');
      checkDisjoint(
        [
          ['keys', keys],
          ['probabilities', probabilities],
          ['priorities', priorities],
          ['timesSampled', timesSampled],
        ],
        [],
      );
      const k = outPtr(0, keys.byteLength, 'keys');
      const p = outPtr(1, probabilities.byteLength, 'probabilities');
      const pr = outPtr(2, priorities.byteLength, 'priorities');
      const t = outPtr(3, timesSampled.byteLength, 'timesSampled');
      const size = counted(
        wasm.call('ReplayEngine.sampleWithInfo', () =>
          x.acme_replay_sample_with_info(
            h,
            k,
            keys.length,
            p,
            probabilities.length,
            pr,
            priorities.length,
            t,
            timesSampled.length,
          ),
        ),
      );
      copyOut(k, keys);
      copyOut(p, probabilities);
      copyOut(pr, priorities);
      copyOut(t, timesSampled);
      return size;
    }
    updatePriorities(keys: Float64Array, priorities: Float64Array): number {
      const h = engines.get(this);
      expectTypedArray(keys, 'keys', 'Float64Array');
      expectTypedArray(priorities, 'priorities', 'Float64Array');
      const k = copyIn(0, keys, 'keys');
      const p = copyIn(1, priorities, 'priorities');
      return counted(
        wasm.call('ReplayEngine.updatePriorities', () =>
          x.acme_replay_update_priorities(h, k, keys.length, p, priorities.length),
        ),
      );
    }
    delete(keys: Float64Array): number {
      const h = engines.get(this);
      expectTypedArray(keys, 'keys', 'Float64Array');
      const k = copyIn(0, keys, 'keys');
      return counted(wasm.call('ReplayEngine.delete', () => x.acme_replay_delete(h, k, keys.length)));
    }
    gather(
      keys: Float64Array,
      float32: Float32Array,
      int32: Int32Array,
      uint8: Uint8Array,
      stacks: Uint8Array,
    ): void {
      const h = engines.get(this);
      expectTypedArray(keys, 'keys', 'Float64Array');
      expectTypedArray(float32, 'float32 output', 'Float32Array');
      expectTypedArray(int32, 'int32 output', 'Int32Array');
      const u8 = bytesArg(uint8, 'uint8 output');
      const st = bytesArg(stacks, 'stacks output');
      checkDisjoint(
        [
          ['float32 output', float32],
          ['int32 output', int32],
          ['uint8 output', u8],
          ['stacks output', st],
        ],
        [['keys', keys]],
      );
      const k = copyIn(0, keys, 'keys');
      const f = outPtr(1, float32.byteLength, 'float32 output');
      const i = outPtr(2, int32.byteLength, 'int32 output');
      const u = outPtr(3, u8.byteLength, 'uint8 output');
      const s = outPtr(4, st.byteLength, 'stacks output');
      wasm.check(
        wasm.call('ReplayEngine.gather', () =>
          x.acme_replay_gather(
            h,
            k,
            keys.length,
            f,
            float32.length,
            i,
            int32.length,
            u,
            u8.length,
            s,
            st.length,
          ),
        ),
      );
      copyOut(f, float32);
      copyOut(i, int32);
      copyOut(u, u8);
      copyOut(s, st);
    }
    prioritiesOf(keys: Float64Array, out: Float64Array): number {
      const h = engines.get(this);
      expectTypedArray(keys, 'keys', 'Float64Array');
      expectTypedArray(out, 'out', 'Float64Array');
      checkDisjoint([['out', out]], [['keys', keys]]);
      const k = copyIn(0, keys, 'keys');
      const o = outPtr(1, out.byteLength, 'out');
      const found = counted(
        wasm.call('ReplayEngine.prioritiesOf', () =>
          x.acme_replay_priorities_of(h, k, keys.length, o, out.length),
        ),
      );
      copyOut(o, out);
      return found;
    }
    reset(): void {
      const h = engines.get(this);
      wasm.call('ReplayEngine.reset', () => x.acme_replay_reset(h));
    }
    canInsert(numInserts: number): boolean {
      const h = engines.get(this);
      expectIndex(numInserts, 'numInserts', MAX_SAFE);
      return flag(x.acme_replay_can_insert(h, numInserts));
    }
    canSample(numSamples: number): boolean {
      const h = engines.get(this);
      expectIndex(numSamples, 'numSamples', MAX_SAFE);
      return flag(x.acme_replay_can_sample(h, numSamples));
    }
    minProbability(): number {
      const h = engines.get(this);
      const out = outPtr(0, 8, 'out');
      wasm.check(x.acme_replay_min_probability(h, out));
      return new Float64Array(mem(), out, 1)[0]!;
    }
    checkpoint(): Uint8Array {
      const h = engines.get(this);
      const boxed = wasm.call('ReplayEngine.checkpoint', () => x.acme_replay_checkpoint(h)) >>> 0;
      try {
        return new Uint8Array(mem(), x.acme_bytes_ptr(boxed) >>> 0, x.acme_bytes_len(boxed) >>> 0).slice();
      } finally {
        x.acme_bytes_free(boxed);
      }
    }
    restore(bytes: Uint8Array): void {
      const h = engines.get(this);
      const input = bytesArg(bytes, 'bytes');
      // A one-off allocation: a checkpoint can be large, and scratch slots are kept for reuse.
      const size = Math.max(input.length, 1);
      const ptr = wasm.alloc(size, 8);
      if (ptr === 0) throw outOfMemory('bytes', input.length);
      try {
        new Uint8Array(mem(), ptr, input.length).set(input);
        wasm.check(wasm.call('ReplayEngine.restore', () => x.acme_replay_restore(h, ptr, input.length)));
      } finally {
        x.acme_free(ptr, size, 8);
      }
    }
    getRngState(out: Uint32Array): void {
      const h = engines.get(this);
      expectTypedArray(out, 'out', 'Uint32Array');
      if (out.length !== 4) throw new RangeError(`out must have length 4, got ${out.length}`);
      const o = outPtr(0, 16, 'out');
      x.acme_replay_get_rng_state(h, o);
      copyOut(o, out);
    }
    setRngState(state: Uint32Array): void {
      const h = engines.get(this);
      expectTypedArray(state, 'state', 'Uint32Array');
      if (state.length !== 4) throw new RangeError(`state must have length 4, got ${state.length}`);
      const s = copyIn(0, state, 'state');
      wasm.check(x.acme_replay_set_rng_state(h, s));
    }
  }

  class RateLimiter implements RateLimiterCore {
    constructor(spec: Float64Array) {
      expectTypedArray(spec, 'spec', 'Float64Array');
      const ptr = copyIn(0, spec, 'spec');
      const handle = wasm.call('RateLimiter', () => x.acme_limiter_new(ptr, spec.length));
      if (handle === 0) wasm.check(x.acme_error_code());
      limiters.add(this, handle);
    }
    free(): void {
      limiters.free(this);
    }
    private info(i: number): number {
      const h = limiters.get(this);
      const out = outPtr(0, 56, 'out');
      x.acme_limiter_info(h, out);
      return new Float64Array(mem(), out, 7)[i]!;
    }
    get samplesPerInsert(): number {
      return this.info(0);
    }
    get minSizeToSample(): number {
      return this.info(1);
    }
    get minDiff(): number {
      return this.info(2);
    }
    get maxDiff(): number {
      return this.info(3);
    }
    get inserts(): number {
      return this.info(4);
    }
    get samples(): number {
      return this.info(5);
    }
    get deletes(): number {
      return this.info(6);
    }
    canInsert(numInserts: number): boolean {
      const h = limiters.get(this);
      expectIndex(numInserts, 'numInserts', MAX_SAFE);
      return flag(x.acme_limiter_can_insert(h, numInserts));
    }
    canSample(numSamples: number): boolean {
      const h = limiters.get(this);
      expectIndex(numSamples, 'numSamples', MAX_SAFE);
      return flag(x.acme_limiter_can_sample(h, numSamples));
    }
    insert(n: number): void {
      const h = limiters.get(this);
      expectIndex(n, 'n', MAX_SAFE);
      x.acme_limiter_insert(h, n);
    }
    sample(n: number): void {
      const h = limiters.get(this);
      expectIndex(n, 'n', MAX_SAFE);
      x.acme_limiter_sample(h, n);
    }
    delete(n: number): void {
      const h = limiters.get(this);
      expectIndex(n, 'n', MAX_SAFE);
      wasm.check(x.acme_limiter_delete(h, n));
    }
    reset(): void {
      x.acme_limiter_reset(limiters.get(this));
    }
  }

  return { ReplayEngine, RateLimiter };
}
