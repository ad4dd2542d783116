/**
 * Saving and loading TensorFlow.js models on the local file system, in the same layout as
 * `@tensorflow/tfjs-node`'s `file://` handler (a directory holding `model.json` and
 * `weights.bin`), for when tfjs-node is not installed. `registerFileSystem()` makes `file://` URLs
 * work in `model.save` and `tf.loadLayersModel` unless another handler already serves them.
 */
import { io } from '@tensorflow/tfjs-core';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

async function fsModules() {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  return { fs, path };
}

/** The directory a path names: itself, or its parent when it ends in model.json. */
function directoryOf(path: string, join: (...p: string[]) => string): string {
  const bare = path.startsWith('file://') ? path.slice('file://'.length) : path;
  return bare.endsWith(MODEL_JSON) ? join(bare, '..') : bare;
}

class FileSystemHandler implements io.IOHandler {
  constructor(private readonly path: string) {}

  async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('file system handler: binary model topologies are not supported');
    }
    const { fs, path } = await fsModules();
    const dir = directoryOf(this.path, path.join);
    await fs.mkdir(dir, { recursive: true });
    const weights = artifacts.weightData
      ? io.CompositeArrayBuffer.join(artifacts.weightData)
      : new ArrayBuffer(0);
    const modelJson: io.ModelJSON = {
      modelTopology: artifacts.modelTopology as object,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
    };
    if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
    if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    // Weights first: a model.json on disk always has its weights beside it.
    await fs.writeFile(path.join(dir, WEIGHTS_BIN), new Uint8Array(weights));
    await fs.writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<io.ModelArtifacts> {
    const { fs, path } = await fsModules();
    const dir = directoryOf(this.path, path.join);
    const file = path.join(dir, MODEL_JSON);
    let modelJson: io.ModelJSON;
    try {
      modelJson = JSON.parse(await fs.readFile(file, 'utf8')) as io.ModelJSON;
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
    return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const buffers = await Promise.all(
        manifest
          .flatMap((group) => group.paths)
          .map(async (p) => {
            const bytes = await fs.readFile(path.join(dir, p));
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
          }),
      );
      return [specs, io.CompositeArrayBuffer.join(buffers)];
    });
  }
}

/** An IOHandler that saves to and loads from directory `path` (Node only). */
export function fileSystem(path: string): io.IOHandler {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  return new FileSystemHandler(path);
}

let registered = false;

/** Serves `file://` URLs with `fileSystem` unless a handler (tfjs-node's) already does. */
export function registerFileSystem(): void {
  if (registered) return;
  registered = true;
  const probe = 'file:///acme-ts-probe';
  // A router answers null for URLs it does not serve (its declared type omits that).
  const route = ((url: string | string[]) =>
    typeof url === 'string' && url.startsWith('file://') ? fileSystem(url) : null) as Parameters<
    typeof io.registerSaveRouter
  >[0];
  if (io.getSaveHandlers(probe).length === 0) io.registerSaveRouter(route);
  if (io.getLoadHandlers(probe).length === 0) io.registerLoadRouter(route);
}
