/**
 * `pnpm fuzz`: a seeded fuzzer of @acme-ts/native over both binaries. Each binary runs in a child
 * process (child.ts) so that an abort is seen as the child's death and a hang as a call that
 * reports nothing within the per-call timeout; either way the child is replaced and the run goes
 * on at the next call. Prints a table of counts, writes the details as JSON, and exits non-zero on
 * any abort, hang, non-Error throw, error whose message names no argument, or call whose outcome
 * differs between napi and wasm.
 *
 *   node fuzz/dist/run.js [--seed 1] [--calls 6000] [--timeout 10000] [--binaries napi,wasm] [--out file]
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from './calls.js';
import { coverage } from './surface.js';

interface Options {
  seed: number;
  calls: number;
  timeoutMs: number;
  binaries: string[];
  out: string;
}

export interface BinaryReport {
  binary: string;
  calls: number;
  ok: number;
  errors: number;
  unnamed: number;
  nonErrors: number;
  aborts: number;
  hangs: number;
  /** Calls that aborted or hung, and errors that name no argument or are no Error. */
  findings: { i: number; target: string; kind: string; detail: string }[];
  outcomes: Map<number, Outcome>;
}

const here = dirname(fileURLToPath(import.meta.url));

function parse(argv: string[]): Options {
  const value = (flag: string, fallback: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : fallback;
  };
  const seed = Number(value('--seed', '1'));
  return {
    seed,
    calls: Number(value('--calls', '6000')),
    timeoutMs: Number(value('--timeout', '10000')),
    binaries: value('--binaries', 'napi,wasm').split(','),
    out: resolve(value('--out', resolve(here, `../../../../bench/results/fuzz-seed${seed}.json`))),
  };
}

/** Runs calls [0, calls) of `seed` on one binary, replacing the child after an abort or a hang. */
function fuzzBinary(binary: string, o: Options): Promise<BinaryReport> {
  const report: BinaryReport = {
    binary,
    calls: 0,
    ok: 0,
    errors: 0,
    unnamed: 0,
    nonErrors: 0,
    aborts: 0,
    hangs: 0,
    findings: [],
    outcomes: new Map(),
  };
  return new Promise((done) => {
    const start = (from: number) => {
      if (from >= o.calls) {
        done(report);
        return;
      }
      let next = from;
      let finished = false;
      const child = fork(resolve(here, 'child.js'), [String(o.seed), String(from), String(o.calls)], {
        env: { ...process.env, ACME_NATIVE: binary },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      let timer = setTimeout(() => hang(), o.timeoutMs);
      const hang = () => {
        finished = true;
        report.calls++;
        report.hangs++;
        report.findings.push({
          i: next,
          target: '?',
          kind: 'hang',
          detail: `no result in ${o.timeoutMs} ms`,
        });
        child.kill('SIGKILL');
        start(next + 1);
      };
      child.on('message', (m: Outcome | { done: true }) => {
        clearTimeout(timer);
        if ('done' in m) {
          finished = true;
          return;
        }
        timer = setTimeout(() => hang(), o.timeoutMs);
        next = m.i + 1;
        report.calls++;
        report.outcomes.set(m.i, m);
        if (m.verdict === 'ok') report.ok++;
        else report.errors++;
        if (m.verdict === 'unnamed') report.unnamed++;
        if (m.verdict === 'non-error') report.nonErrors++;
        if (m.verdict === 'unnamed' || m.verdict === 'non-error') {
          report.findings.push({ i: m.i, target: m.target, kind: m.verdict, detail: m.detail });
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (finished) {
          if (next >= o.calls) done(report);
          return;
        }
        // Died before reporting call `next`: that call aborted the process.
        finished = true;
        report.calls++;
        report.aborts++;
        const why = signal ?? `exit code ${code}`;
        report.findings.push({
          i: next,
          target: '?',
          kind: 'abort',
          detail: `${why}: ${stderr.trim().slice(-500)}`,
        });
        start(next + 1);
      });
    };
    start(0);
  });
}

/** Calls whose outcome differs between the two binaries (the same call, the same seed). */
function differences(
  a: BinaryReport,
  b: BinaryReport,
): { i: number; target: string; a: string; b: string }[] {
  const out = [];
  for (const [i, x] of a.outcomes) {
    const y = b.outcomes.get(i);
    if (y && (x.verdict === 'ok') !== (y.verdict === 'ok'))
      out.push({ i, target: x.target, a: x.detail, b: y.detail });
    else if (y && x.verdict !== 'ok' && x.detail !== y.detail)
      out.push({ i, target: x.target, a: x.detail, b: y.detail });
  }
  return out;
}

function table(reports: BinaryReport[]): string {
  const columns = ['binary', 'calls', 'ok', 'errors', 'unnamed', 'nonErrors', 'aborts', 'hangs'] as const;
  const rows = reports.map((r) => columns.map((c) => String(r[c])));
  const widths = columns.map((c, j) => Math.max(c.length, ...rows.map((row) => row[j]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, j) => cell.padStart(widths[j]!)).join('  ');
  return [line(columns), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const missing = coverage(await import('@acme-ts/native'));
  const reports: BinaryReport[] = [];
  for (const binary of o.binaries) reports.push(await fuzzBinary(binary, o));
  const diff = reports.length === 2 ? differences(reports[0]!, reports[1]!) : [];
  console.log(`fuzz @acme-ts/native: seed ${o.seed}, ${o.calls} calls per binary`);
  console.log(table(reports));
  console.log(`calls whose outcome differs between ${o.binaries.join(' and ')}: ${diff.length}`);
  for (const r of reports) {
    for (const f of r.findings.slice(0, 15))
      console.log(`  ${r.binary} #${f.i} ${f.kind} ${f.target}: ${f.detail}`);
  }
  if (missing.length > 0) console.log(`exports the fuzzer does not call: ${missing.join(', ')}`);
  mkdirSync(dirname(o.out), { recursive: true });
  const json = {
    seed: o.seed,
    callsPerBinary: o.calls,
    timeoutMs: o.timeoutMs,
    uncovered: missing,
    binaries: reports.map(({ outcomes: _, ...r }) => r),
    differences: diff,
  };
  writeFileSync(o.out, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${o.out}`);
  // The two binaries are one API: a call that fails differently on them is a finding too.
  const failed =
    reports.some((r) => r.aborts + r.hangs + r.unnamed + r.nonErrors > 0) ||
    missing.length > 0 ||
    diff.length > 0;
  process.exit(failed ? 1 : 0);
}

await main();
