/**
 * `acme check`: proves the installation works end to end. Each Rust binary (N-API and wasm) runs
 * the bridge kernels on seeded random data; results are compared with plain TypeScript, a panic is
 * provoked to show it is caught, and a summary is written to the run folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jsonEncode, Random, writeTextAtomic } from '@acme-ts/core';
import { type BackendKind, type Binding, backendInfo, loadBinding } from '@acme-ts/native';

export interface CheckOptions {
  seed: number;
  size: number;
  out: string;
  log: (line: string) => void;
}

export interface BinaryReport {
  kind: BackendKind;
  loaded: boolean;
  error?: string;
  sumF32?: { rust: number; typescript: number; agree: boolean; microseconds: number };
  runningMeanStd?: { maxMeanError: number; maxVarError: number; agree: boolean };
  panicCaught?: boolean;
}

export interface CheckSummary {
  job: 'check';
  seed: number;
  size: number;
  backend: ReturnType<typeof backendInfo>;
  binaries: BinaryReport[];
  ok: boolean;
  wallSeconds: number;
}

function checkBinary(binding: Binding, data: Float32Array, dim: number): BinaryReport {
  let typescript = 0;
  for (const v of data) typescript += v;
  const t0 = performance.now();
  const rust = binding.sumF32(data);
  const microseconds = (performance.now() - t0) * 1000;

  const rms = new binding.RunningMeanStd(dim, 1e-12);
  const rows = data.length / dim;
  for (let r = 0; r < rows; r += 100) rms.update(data.subarray(r * dim, Math.min(rows, r + 100) * dim));
  let maxMeanError = 0;
  let maxVarError = 0;
  for (let j = 0; j < dim; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * dim + j]!;
    const mean = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (data[r * dim + j]! - mean) ** 2;
    maxMeanError = Math.max(maxMeanError, Math.abs(rms.mean[j]! - mean));
    maxVarError = Math.max(maxVarError, Math.abs(rms.var[j]! - v / rows));
  }
  rms.free?.();

  let panicCaught = false;
  try {
    binding.panicForTesting('acme check');
  } catch (err) {
    panicCaught = (err as Error).message.includes('acme check');
  }
  return {
    kind: binding.kind,
    loaded: true,
    sumF32: {
      rust,
      typescript,
      agree: Math.abs(rust - typescript) <= 1e-9 * (1 + Math.abs(typescript)),
      microseconds,
    },
    runningMeanStd: { maxMeanError, maxVarError, agree: maxMeanError < 1e-9 && maxVarError < 1e-9 },
    panicCaught,
  };
}

export async function runCheck(options: CheckOptions): Promise<CheckSummary> {
  const start = performance.now();
  const { log } = options;
  const random = new Random(options.seed);
  const next = () => random.float();
  const dim = 8;
  const data = new Float32Array(options.size * dim).map(() => next() * 20 - 10);
  const binaries: BinaryReport[] = [];
  const kinds: BackendKind[] = ['napi', 'wasm'];
  kinds.forEach((kind, i) => {
    log(`[${i + 1}/${kinds.length}] ${kind}: loading`);
    let report: BinaryReport;
    try {
      report = checkBinary(loadBinding(kind), data, dim);
      const ok = report.sumF32?.agree && report.runningMeanStd?.agree && report.panicCaught;
      log(
        `[${i + 1}/${kinds.length}] ${kind}: sumF32 ${report.sumF32?.agree ? 'agrees' : 'DIFFERS'} ` +
          `(${report.sumF32?.microseconds.toFixed(1)} µs for ${data.length} floats), RunningMeanStd ` +
          `${report.runningMeanStd?.agree ? 'agrees' : 'DIFFERS'}, panic ${report.panicCaught ? 'caught' : 'NOT caught'}` +
          (ok ? '' : '  <-- problem'),
      );
    } catch (err) {
      report = { kind, loaded: false, error: (err as Error).message };
      log(`[${i + 1}/${kinds.length}] ${kind}: failed to load: ${report.error}`);
    }
    binaries.push(report);
  });
  const ok = binaries.every((b) => b.loaded && b.sumF32?.agree && b.runningMeanStd?.agree && b.panicCaught);
  const summary: CheckSummary = {
    job: 'check',
    seed: options.seed,
    size: options.size,
    backend: backendInfo(),
    binaries,
    ok,
    wallSeconds: (performance.now() - start) / 1000,
  };
  mkdirSync(options.out, { recursive: true });
  await writeTextAtomic(join(options.out, 'summary.json'), `${jsonEncode(summary, { indent: 2 })}\n`);
  log(`default backend: ${summary.backend.kind} (${summary.backend.reason})`);
  log(
    `${ok ? 'all checks passed' : 'SOME CHECKS FAILED'}; summary written to ${join(options.out, 'summary.json')}`,
  );
  return summary;
}
