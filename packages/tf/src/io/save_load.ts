import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { fileSystem } from './file_system.js';

/** Saves `model` (topology and weights) into directory `dir` as model.json + weights.bin. */
export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await model.save(fileSystem(dir));
}

/** Loads a model saved by `saveModel` (or by tfjs-node / tfjs-converter in that layout). */
export async function loadModel(dir: string): Promise<LayersModel> {
  return loadLayersModel(fileSystem(dir));
}
