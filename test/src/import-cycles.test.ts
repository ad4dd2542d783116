// No module of a package imports itself back through others: a cycle makes load order decide what
// is undefined at import time (the native package's index once loaded the modules that imported it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every cycle of relative imports among `files`, as the list of files around it. */
function cycles(files: string[]): string[][] {
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Type-only imports vanish at run time: they cannot make a cycle of modules loading.
    const targets = [
      ...text.matchAll(/^(?:import|export)(?! type )[^;]*?from '(\.{1,2}\/[^']+)\.js';/gms),
    ].map((m) => resolve(dirname(file), `${m[1]}.ts`));
    imports.set(
      file,
      targets.filter((t) => imports.has(t) || files.includes(t)),
    );
  }
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of imports.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe('import graph', () => {
  for (const pkg of readdirSync(packages)) {
    it(`@acme-ts/${pkg} has no import cycle`, () => {
      const found = cycles(sources(join(packages, pkg, 'src')));
      expect(found.map((c) => c.map((f) => f.slice(packages.length + 1)).join(' -> '))).toEqual([]);
    });
  }
});
