/**
 * The wasm binding of the training kernels (crates/kernels via crates/wasm/src/kernels.rs).
 * Inputs are copied into the module's memory and outputs copied back only when the call
 * succeeds, so a failed call writes nothing. The module has no threads: `threads` is checked (in
 * Rust, as on N-API) and then ignored.
 */
import { expectIndex, expectNumber, expectTypedArray, overlaps } from '../args.js';
import type { KernelsBinding } from '../kernels-binding.js';
import type { WasmModule } from './module.js';

type Status = number;

interface KernelsExports {
  acme_conv2d(...args: number[]): Status;
  acme_conv2d_backprop_filter(...args: number[]): Status;
  acme_conv2d_backprop_input(...args: number[]): Status;
  acme_mat_mul(...args: number[]): Status;
  acme_dense_backward(...args: number[]): Status;
  acme_unsorted_segment_sum(...args: number[]): Status;
  acme_adam_update(...args: number[]): Status;
}

const MAX_INT32 = 2147483647;

function expectDisjoint(output: [string, ArrayBufferView], inputs: [string, ArrayBufferView][]): void {
  for (const [name, input] of inputs) {
    if (overlaps(output[1], input)) throw new RangeError(`${output[0]} must not share memory with ${name}`);
  }
}

export function bindKernels(wasm: WasmModule): KernelsBinding {
  let x = wasm.typed<KernelsExports>();
  wasm.onNewInstance(() => {
    x = wasm.typed<KernelsExports>();
  });

  /** Copies each named input to its scratch slot; returns [pointer, length] pairs, flattened. */
  const inputs = (arrays: [string, ArrayBufferView][]): number[] =>
    arrays.flatMap(([name, a], i) => [
      wasm.copyIn(i, a, name),
      a.byteLength / (a as Float32Array).BYTES_PER_ELEMENT,
    ]);

  /** Runs `fn` with output slots after the inputs, copying the outputs back on success. */
  const call = (
    what: string,
    ins: [string, ArrayBufferView][],
    outs: [string, Float32Array][],
    fn: (args: number[]) => Status,
  ) => {
    const args = inputs(ins);
    const outPtrs = outs.map(([name, o], i) => wasm.scratchPtr(ins.length + i, o.byteLength, name));
    outs.forEach(([, o], i) => {
      args.push(outPtrs[i]!, o.length);
    });
    wasm.check(wasm.call(what, () => fn(args)));
    outs.forEach(([, o], i) => {
      o.set(new Float32Array(x.memory.buffer, outPtrs[i]!, o.length));
    });
  };

  return {
    kernelMaxThreads: () => 1,
    conv2d(xs, filter, bias, y, geometry, activation, threads) {
      expectTypedArray(xs, 'x', 'Float32Array');
      expectTypedArray(filter, 'filter', 'Float32Array');
      expectTypedArray(bias, 'bias', 'Float32Array');
      expectTypedArray(y, 'y', 'Float32Array');
      expectTypedArray(geometry, 'geometry', 'Int32Array');
      expectIndex(activation, 'activation', MAX_INT32);
      expectNumber(threads, 'threads');
      expectDisjoint(
        ['y', y],
        [
          ['x', xs],
          ['filter', filter],
          ['bias', bias],
        ],
      );
      // Output slot 3 goes between the inputs and the geometry: pass arguments in the export's order.
      const [xp, xl, fp, fl, bp, bl] = inputs([
        ['x', xs],
        ['filter', filter],
        ['bias', bias],
      ]);
      const gp = wasm.copyIn(4, geometry, 'geometry');
      const yp = wasm.scratchPtr(3, y.byteLength, 'y');
      wasm.check(
        wasm.call('conv2d', () =>
          x.acme_conv2d(xp!, xl!, fp!, fl!, bp!, bl!, yp, y.length, gp, geometry.length, activation, threads),
        ),
      );
      y.set(new Float32Array(x.memory.buffer, yp, y.length));
    },
    conv2dBackpropFilter(xs, dy, dfilter, geometry, threads) {
      expectTypedArray(xs, 'x', 'Float32Array');
      expectTypedArray(dy, 'dy', 'Float32Array');
      expectTypedArray(dfilter, 'dfilter', 'Float32Array');
      expectTypedArray(geometry, 'geometry', 'Int32Array');
      expectNumber(threads, 'threads');
      expectDisjoint(
        ['dfilter', dfilter],
        [
          ['x', xs],
          ['dy', dy],
        ],
      );
      const gp = wasm.copyIn(5, geometry, 'geometry');
      call(
        'conv2dBackpropFilter',
        [
          ['x', xs],
          ['dy', dy],
        ],
        [['dfilter', dfilter]],
        (a) => x.acme_conv2d_backprop_filter(...a, gp, geometry.length, threads),
      );
    },
    conv2dBackpropInput(dy, filter, dx, geometry, threads) {
      expectTypedArray(dy, 'dy', 'Float32Array');
      expectTypedArray(filter, 'filter', 'Float32Array');
      expectTypedArray(dx, 'dx', 'Float32Array');
      expectTypedArray(geometry, 'geometry', 'Int32Array');
      expectNumber(threads, 'threads');
      expectDisjoint(
        ['dx', dx],
        [
          ['dy', dy],
          ['filter', filter],
        ],
      );
      const gp = wasm.copyIn(5, geometry, 'geometry');
      call(
        'conv2dBackpropInput',
        [
          ['dy', dy],
          ['filter', filter],
        ],
        [['dx', dx]],
        (a) => x.acme_conv2d_backprop_input(...a, gp, geometry.length, threads),
      );
    },
    matMul(a, b, bias, out, shape, threads) {
      expectTypedArray(a, 'a', 'Float32Array');
      expectTypedArray(b, 'b', 'Float32Array');
      expectTypedArray(bias, 'bias', 'Float32Array');
      expectTypedArray(out, 'out', 'Float32Array');
      expectTypedArray(shape, 'shape', 'Int32Array');
      expectNumber(threads, 'threads');
      expectDisjoint(
        ['out', out],
        [
          ['a', a],
          ['b', b],
          ['bias', bias],
        ],
      );
      const sp = wasm.copyIn(5, shape, 'shape');
      call(
        'matMul',
        [
          ['a', a],
          ['b', b],
          ['bias', bias],
        ],
        [['out', out]],
        (args) => x.acme_mat_mul(...args, sp, shape.length, threads),
      );
    },
    denseBackward(xs, w, y, dy, dx, dw, db, shape) {
      const ins: [string, Float32Array][] = [
        ['x', xs],
        ['w', w],
        ['y', y],
        ['dy', dy],
      ];
      const outs: [string, Float32Array][] = [
        ['dx', dx],
        ['dw', dw],
        ['db', db],
      ];
      for (const [name, arr] of [...ins, ...outs]) expectTypedArray(arr, name, 'Float32Array');
      expectTypedArray(shape, 'shape', 'Int32Array');
      for (const o of outs) expectDisjoint(o, ins);
      expectDisjoint(outs[1]!, [outs[0]!]);
      expectDisjoint(outs[2]!, [outs[0]!, outs[1]!]);
      const sp = wasm.copyIn(7, shape, 'shape');
      call('denseBackward', ins, outs, (a) => x.acme_dense_backward(...a, sp, shape.length));
    },
    unsortedSegmentSum(data, segmentIds, numSegments, out) {
      expectTypedArray(data, 'data', 'Float32Array');
      expectTypedArray(segmentIds, 'segmentIds', 'Int32Array');
      expectIndex(numSegments, 'numSegments', MAX_INT32);
      expectTypedArray(out, 'out', 'Float32Array');
      expectDisjoint(
        ['out', out],
        [
          ['data', data],
          ['segmentIds', segmentIds],
        ],
      );
      const [dp, dl, ip, il] = inputs([
        ['data', data],
        ['segmentIds', segmentIds],
      ]);
      const op = wasm.scratchPtr(2, out.byteLength, 'out');
      wasm.check(
        wasm.call('unsortedSegmentSum', () =>
          x.acme_unsorted_segment_sum(dp!, dl!, ip!, il!, numSegments, op, out.length),
        ),
      );
      out.set(new Float32Array(x.memory.buffer, op, out.length));
    },
    adamUpdate(param, grad, m, v, paramOut, mOut, vOut, hyper) {
      const ins: [string, Float32Array][] = [
        ['param', param],
        ['grad', grad],
        ['m', m],
        ['v', v],
      ];
      const outs: [string, Float32Array][] = [
        ['paramOut', paramOut],
        ['mOut', mOut],
        ['vOut', vOut],
      ];
      for (const [name, arr] of [...ins, ...outs]) expectTypedArray(arr, name, 'Float32Array');
      expectTypedArray(hyper, 'hyper', 'Float64Array');
      for (const o of outs) expectDisjoint(o, ins);
      expectDisjoint(outs[1]!, [outs[0]!]);
      expectDisjoint(outs[2]!, [outs[0]!, outs[1]!]);
      const hp = wasm.copyIn(7, hyper, 'hyper');
      call('adamUpdate', ins, outs, (a) => x.acme_adam_update(...a, hp, hyper.length));
    },
  };
}
