// Nothing lost: a run resumes from its newest usable checkpoint and ends with exactly the weights of
// the same run left alone, whatever happened to it: killed at any moment, a checkpoint file
// truncated, bit-flipped or deleted (then the previous generation is used, with a warning), or a
// save cut short. When no generation is usable the run stops, naming the file; it never restarts
// from zero. Runs go through the `acme` command, as a user runs them.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/dist/bin.js');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const root = mkdtempSync(join(tmpdir(), 'acme-recovery-'));

interface Result {
  code: number | null;
  output: string;
}

/** Runs `acme ARGS` in a child process (asynchronously: the test runner stays responsive). */
function acme(args: string[], onSpawn?: (kill: () => void) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

const trainArgs = (env: string, steps: number, every: number, out: string) => [
  'train',
  'dqn',
  '--env',
  env,
  '--steps',
  String(steps),
  '--checkpoint-every',
  String(every),
  '--eval-episodes',
  '2',
  '--no-progress',
  '--out',
  out,
];
const resumeArgs = (steps: number, out: string) => [
  'train',
  'dqn',
  '--resume',
  '--steps',
  String(steps),
  '--out',
  out,
  '--no-progress',
];

function generations(run: string): string[] {
  return readdirSync(join(run, 'checkpoint'))
    .filter((n) => /^gen-\d{9}$/.test(n))
    .sort();
}

/** Weights, target, Adam's state and best weights of the newest generation, as bytes. */
function newestWeights(run: string): Buffer {
  return readFileSync(join(run, 'checkpoint', generations(run).at(-1)!, 'weights.bin'));
}

function newestState(run: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(run, 'checkpoint', generations(run).at(-1)!, 'state.json'), 'utf8'));
}

const DAMAGE: Record<string, (path: string) => void> = {
  truncated: (path) => truncateSync(path, Math.floor(readFileSync(path).length / 2)),
  'bit-flipped': (path) => {
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length * 0.6)]! ^= 0x04;
    writeFileSync(path, bytes);
  },
  deleted: (path) => unlinkSync(path),
};

async function expectOk(result: Result): Promise<void> {
  expect(result.code, result.output).toBe(0);
}

// The cartpole preset keeps Infinity in its config (maxAbsReward) and evaluates every 2,500 steps
// (best weights and the evaluation environment's generator are part of the checkpoint).
const CARTPOLE = { env: 'cartpole', steps: 3000, every: 1000 };
const reference: { cartpole?: Buffer; template?: string } = {};

describe('checkpoint recovery through acme train --resume', () => {
  beforeAll(async () => {
    const ref = join(root, 'cartpole-reference');
    await expectOk(await acme(trainArgs(CARTPOLE.env, CARTPOLE.steps, CARTPOLE.every, ref)));
    reference.cartpole = newestWeights(ref);
    // A run stopped after two checkpoints (1,000 and 2,000 steps), continued by each case below.
    const template = join(root, 'cartpole-template');
    await expectOk(await acme(trainArgs(CARTPOLE.env, 2000, CARTPOLE.every, template)));
    expect(generations(template)).toEqual(['gen-000000001', 'gen-000000002']);
    reference.template = template;
  }, 300_000);

  it('resumes a run that ended early to the same weights as the uninterrupted run', {
    timeout: 120_000,
  }, async () => {
    const run = join(root, 'intact');
    cpSync(reference.template!, run, { recursive: true });
    const result = await acme(resumeArgs(CARTPOLE.steps, run));
    await expectOk(result);
    expect(result.output).not.toContain('warning');
    expect(result.output).toMatch(/checkpoint generation 2\)/);
    expect(newestWeights(run).equals(reference.cartpole!)).toBe(true);
  });

  for (const file of ['weights.bin', 'table.ckpt', 'state.json', 'MANIFEST.json']) {
    for (const [how, damage] of Object.entries(DAMAGE)) {
      it(`${file} ${how}: falls back to the previous generation with a warning, same final weights`, {
        timeout: 120_000,
      }, async () => {
        const run = join(root, `${file}-${how}`);
        cpSync(reference.template!, run, { recursive: true });
        damage(join(run, 'checkpoint', 'gen-000000002', file));
        const result = await acme(resumeArgs(CARTPOLE.steps, run));
        await expectOk(result);
        expect(result.output).toContain('warning: skipped a damaged checkpoint');
        expect(result.output).toContain(file);
        expect(result.output).toMatch(/checkpoint generation 1\)/);
        expect(newestWeights(run).equals(reference.cartpole!)).toBe(true);
      });
    }
  }

  it('stops with a non-zero exit naming the damage when every generation is damaged', {
    timeout: 120_000,
  }, async () => {
    const run = join(root, 'all-damaged');
    cpSync(reference.template!, run, { recursive: true });
    DAMAGE['bit-flipped']!(join(run, 'checkpoint', 'gen-000000001', 'weights.bin'));
    DAMAGE.truncated!(join(run, 'checkpoint', 'gen-000000002', 'table.ckpt'));
    const result = await acme(resumeArgs(CARTPOLE.steps, run));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/gen-000000001: weights\.bin does not match its checksum/);
    expect(result.output).toMatch(/gen-000000002: table\.ckpt has \d+ bytes, the manifest says \d+/);
    expect(existsSync(join(run, 'checkpoint', 'gen-000000003'))).toBe(false);
  });

  it('a checkpoint that passes its checksums but holds invalid state is refused', {
    timeout: 120_000,
  }, async () => {
    const run = join(root, 'negative-steps');
    cpSync(reference.template!, run, { recursive: true });
    // Rewritten by hand, manifest and its checksums too: only the schema can tell.
    const folder = join(run, 'checkpoint', 'gen-000000002');
    const state = JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8'));
    state.state.counter.counts.steps = -5;
    const text = JSON.stringify(state);
    writeFileSync(join(folder, 'state.json'), text);
    const content = JSON.parse(readFileSync(join(folder, 'MANIFEST.json'), 'utf8'));
    const entry = content.manifest.files.find((f: { name: string }) => f.name === 'state.json');
    entry.bytes = Buffer.byteLength(text);
    entry.sha256 = sha256(text);
    content.sha256 = sha256(JSON.stringify(content.manifest));
    writeFileSync(join(folder, 'MANIFEST.json'), JSON.stringify(content));
    const result = await acme(resumeArgs(CARTPOLE.steps, run));
    await expectOk(result);
    expect(result.output).toMatch(/gen-000000002: state\.counts\.steps must be a finite number >= 0, got -5/);
    expect(newestWeights(run).equals(reference.cartpole!)).toBe(true);
  });

  it('ignores a save cut short by a crash (a gen-N.tmp folder)', { timeout: 120_000 }, async () => {
    const run = join(root, 'cut-short');
    cpSync(reference.template!, run, { recursive: true });
    const tmp = join(run, 'checkpoint', 'gen-000000003.tmp');
    mkdirSync(tmp);
    cpSync(join(run, 'checkpoint', 'gen-000000002', 'weights.bin'), join(tmp, 'weights.bin'));
    DAMAGE.truncated!(join(tmp, 'weights.bin'));
    const result = await acme(resumeArgs(CARTPOLE.steps, run));
    await expectOk(result);
    expect(result.output).not.toContain('warning');
    expect(newestWeights(run).equals(reference.cartpole!)).toBe(true);
  });

  it('--resume without any checkpoint exits non-zero; --resume-or-start starts from step 0', {
    timeout: 120_000,
  }, async () => {
    // A run killed before its first checkpoint: a run record and nothing else.
    const empty = join(root, 'empty-run');
    mkdirSync(empty);
    cpSync(join(reference.template!, 'run.json'), join(empty, 'run.json'));
    const strict = await acme(resumeArgs(CARTPOLE.steps, empty));
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('holds no checkpoint');
    expect(strict.output).toContain('--resume-or-start');
    const lenient = await acme([
      'train',
      'dqn',
      '--resume-or-start',
      '--steps',
      String(CARTPOLE.steps),
      '--out',
      empty,
      '--no-progress',
    ]);
    await expectOk(lenient);
    expect(lenient.output).toContain('starting the run from step 0');
    expect(newestWeights(empty).equals(reference.cartpole!)).toBe(true);
  });
});

describe('acme train killed at a random moment and resumed', () => {
  for (const [env, steps, every] of [
    ['cartpole', CARTPOLE.steps, CARTPOLE.every],
    ['catch', 1500, 500],
  ] as const) {
    it(`ends with the weights of the uninterrupted run (${env} preset)`, { timeout: 300_000 }, async () => {
      const ref = join(root, `${env}-uninterrupted`);
      await expectOk(await acme(trainArgs(env, steps, every, ref)));
      const run = join(root, `${env}-killed`);
      // Killed once its first checkpoint exists, at whatever it is doing then (maybe mid-save).
      const killed = await acme(trainArgs(env, steps, every, run), (kill) => {
        const timer = setInterval(() => {
          if (existsSync(join(run, 'checkpoint', 'gen-000000001'))) {
            clearInterval(timer);
            setTimeout(kill, 50);
          }
        }, 10);
      });
      expect(killed.code).toBeNull();
      expect(existsSync(join(run, 'summary.json'))).toBe(false);
      const resumed = await acme(resumeArgs(steps, run));
      await expectOk(resumed);
      expect(resumed.output).toMatch(/resumed .* at \d+ steps/);
      expect(newestWeights(run).equals(newestWeights(ref))).toBe(true);
      expect((newestState(run).state as { counter: unknown }).counter).toEqual(
        (newestState(ref).state as { counter: unknown }).counter,
      );
      const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary(run).evalReturnMean).toBe(summary(ref).evalReturnMean);
    });
  }
});
