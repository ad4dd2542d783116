/**
 * Saving and loading TensorFlow.js models on the local file system, in the same layout as
 * `@tensorflow/tfjs-node`'s `file://` handler (a directory holding `model.json` and
 * `weights.bin`), for when tfjs-node is not installed. `registerFileSystem()` makes `file://` URLs
 * work in `model.save` and `tf.loadLayersModel` unless another handler already serves them.
 *
 * Both files are replaced atomically (weights first, so a model.json always has its weights), and
 * model.json carries the SHA-256 of weights.bin (`acmeWeightsSha256`, a key other tfjs loaders
 * ignore), which loading checks: a damaged model is an error naming the file, not other weights.
 */
import { writeFileAtomic, writeTextAtomic } from '@acme-ts/core';
import { io } from '@tensorflow/tfjs-core';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

type CheckedModelJSON = io.ModelJSON & { acmeWeightsSha256?: string };

/** SHA-256 with Web Crypto: the same code in Node and in a browser. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

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
    const weightBytes = new Uint8Array(weights);
    const modelJson: CheckedModelJSON = {
      modelTopology: artifacts.modelTopology as object,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
    };
    if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
    if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    modelJson.acmeWeightsSha256 = await sha256Hex(weightBytes);
    // Weights first: a model.json on disk always has its weights beside it.
    await writeFileAtomic(path.join(dir, WEIGHTS_BIN), [weightBytes]);
    await writeTextAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<io.ModelArtifacts> {
    const { fs, path } = await fsModules();
    const dir = directoryOf(this.path, path.join);
    const file = path.join(dir, MODEL_JSON);
    let modelJson: CheckedModelJSON;
    try {
      modelJson = JSON.parse(await fs.readFile(file, 'utf8')) as CheckedModelJSON;
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
    const expected = modelJson.acmeWeightsSha256;
    return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const paths = manifest.flatMap((group) => group.paths);
      const buffers = await Promise.all(
        paths.map(async (p) => {
          const bytes = await fs.readFile(path.join(dir, p));
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        }),
      );
      const joined = io.CompositeArrayBuffer.join(buffers);
      if (expected !== undefined && (await sha256Hex(new Uint8Array(joined))) !== expected) {
        throw new Error(
          `${path.join(dir, paths.join('+'))} does not match the checksum in ${file} (damaged or replaced)`,
        );
      }
      return [specs, joined];
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
