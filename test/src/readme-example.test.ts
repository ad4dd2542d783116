// The README's own-environment example, exactly as printed there: extracted, type-checked against
// the built packages, compiled and run as a user would run it, and its printed return checked.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '../../README.md'), 'utf8');

function example(name: string): string {
  const marker = `<!-- readme-example: ${name} -->\n\`\`\`ts\n`;
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README.md has no example "${name}"`);
  const body = readme.slice(start + marker.length);
  return body.slice(0, body.indexOf('```'));
}

describe('README example', () => {
  it('trains, saves, loads and evaluates a Gymnasium-style environment in at most 15 lines', {
    timeout: 300_000,
  }, () => {
    const source = example('own-environment');
    expect(source.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    // Inside the test package, so that @acme-ts/* resolve as they do for a user's project.
    const dir = join(here, '..', '.readme-example');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'example.ts');
    writeFileSync(file, source);
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    };
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const program = ts.createProgram([file], options);
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, 'example.mjs'), js.outputText);
    const cwd = mkdtempSync(join(tmpdir(), 'readme-example-'));
    const output = execFileSync(process.execPath, [join(dir, 'example.mjs')], { cwd, encoding: 'utf8' });
    const mean = Number(output.trim().split('\n').at(-1));
    // Straight to the goal: 4 steps at -0.1, then 1. A policy that wanders loses 0.1 per extra step.
    expect(mean).toBeGreaterThanOrEqual(0.5);
  });
});
