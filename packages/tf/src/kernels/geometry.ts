import type { Conv2dGeometry } from '@acme-ts/native';
import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * The Rust kernels' geometry from TensorFlow.js's own `computeConv2DInfo`, so 'valid', 'same',
 * explicit pads, `dimRoundingMode`, strides and dilations mean exactly what they mean to every
 * other backend. Only channels-last (NHWC) data is supported.
 */
export function geometryOf(info: backend_util.Conv2DInfo): Conv2dGeometry | undefined {
  if (info.dataFormat !== 'channelsLast') return undefined;
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
