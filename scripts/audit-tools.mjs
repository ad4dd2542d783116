#!/usr/bin/env node
// Finds missing install steps: reads an strace log of a build or test run (execve and openat), maps
// every file it touched to the Debian package that owns it, and fails when a package is neither on
// a new machine of this kind (scripts/fresh-machine/debian-packages.txt) nor installed by scripts/
// (scripts/lib/packages.sh, with what apt pulls in for those). A machine where someone installed
// a package by hand passes every build and test; this is what still notices.
//
//   node scripts/audit-tools.mjs TRACE_FILE...
//
// Files that no Debian package owns (rustup's toolchain, node_modules, the repository) are not
// judged here: what the npm registry and rustup bring is pinned by the lockfile and the setup.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const traces = process.argv.slice(2);
if (traces.length === 0) {
  console.error('usage: node scripts/audit-tools.mjs TRACE_FILE...');
  process.exit(2);
}
for (const t of traces) {
  if (!existsSync(t)) {
    console.error(`audit-tools: trace file ${t} does not exist`);
    process.exit(2);
  }
}

/** Absolute paths of successful execve/openat calls in strace's -f output, with the first line seen. */
async function touchedPaths(file) {
  const paths = new Map();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  const call = /(execve|openat|open)\((?:AT_FDCWD, |\d+, )?"(\/[^"]*)"/;
  for await (const line of lines) {
    const m = call.exec(line);
    if (!m || / = -1 /.test(line)) continue;
    if (!paths.has(m[2])) paths.set(m[2], m[1]);
  }
  return paths;
}

/** path -> package, from dpkg's own file lists. */
function dpkgOwners() {
  const owners = new Map();
  const info = '/var/lib/dpkg/info';
  for (const name of readdirSync(info)) {
    if (!name.endsWith('.list')) continue;
    const pkg = name.slice(0, -'.list'.length).replace(/:.*/, '');
    for (const path of readFileSync(join(info, name), 'utf8').split('\n')) {
      if (path) owners.set(path, pkg);
    }
  }
  return owners;
}

/** The names a path may have in dpkg's lists: as opened, resolved, and across Debian's merged /usr. */
function aliases(path) {
  const names = new Set([path]);
  try {
    names.add(realpathSync(path));
  } catch {
    // gone since the run (a temporary file): its traced name is all there is
  }
  for (const n of [...names]) {
    const merged = /^\/(bin|sbin|lib|lib32|lib64|libx32)\//;
    if (merged.test(n)) names.add(`/usr${n}`);
    else if (/^\/usr\/(bin|sbin|lib|lib32|lib64|libx32)\//.test(n)) names.add(n.slice(4));
  }
  return names;
}

/** Packages named in scripts/lib/packages.sh's ACME_*_PACKAGES arrays. */
function declaredPackages() {
  const text = readFileSync(join(root, 'scripts/lib/packages.sh'), 'utf8');
  const names = new Set();
  for (const m of text.matchAll(/^ACME_\w+_PACKAGES=\(([^)]*)\)/gm)) {
    for (const n of m[1].split(/\s+/)) if (n) names.add(n);
  }
  return names;
}

/** The declared packages and everything they depend on (Depends, Pre-Depends), as installed here. */
function dependencyClosure(start) {
  // dpkg-query's own ${Field} syntax, not a template string.
  const format = ['Package', 'Provides', 'Depends'].map((f) => `\${${f}}`).join('\t');
  const out = execFileSync('dpkg-query', ['-W', `-f=${format}, \${Pre-Depends}\n`], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const deps = new Map();
  const providers = new Map();
  const names = (field) =>
    field
      .split(/[,|]/)
      .map((s) => s.trim().replace(/[\s(:].*$/, ''))
      .filter(Boolean);
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [pkg, provides, depends] = line.split('\t');
    deps.set(pkg, names(depends));
    for (const v of names(provides)) providers.set(v, [...(providers.get(v) ?? []), pkg]);
  }
  const seen = new Set();
  const stack = [...start];
  while (stack.length > 0) {
    const p = stack.pop();
    if (seen.has(p)) continue;
    seen.add(p);
    for (const d of deps.get(p) ?? []) stack.push(d, ...(providers.get(d) ?? []));
  }
  return seen;
}

const fresh = new Set(
  readFileSync(join(root, 'scripts/fresh-machine/debian-packages.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#')),
);
const declared = declaredPackages();
const allowed = dependencyClosure(declared);
const owners = dpkgOwners();

const touched = new Map(); // package -> first path seen
for (const trace of traces) {
  for (const [path] of await touchedPaths(trace)) {
    if (path.startsWith('/proc/') || path.startsWith('/sys/') || path.startsWith('/dev/')) continue;
    for (const name of aliases(path)) {
      const pkg = owners.get(name);
      if (pkg === undefined) continue;
      try {
        if (statSync(name).isDirectory()) continue;
      } catch {
        continue;
      }
      if (!touched.has(pkg)) touched.set(pkg, path);
    }
  }
}

const missing = [...touched].filter(([pkg]) => !fresh.has(pkg) && !allowed.has(pkg));
const byScripts = [...touched.keys()].filter((pkg) => !fresh.has(pkg) && allowed.has(pkg));
console.log(
  `audit-tools: ${touched.size} Debian packages used; ${touched.size - byScripts.length - missing.length} on a new machine, ` +
    `${byScripts.length} installed by scripts/ (${byScripts.sort().join(', ') || 'none'})`,
);
if (missing.length > 0) {
  for (const [pkg, path] of missing) {
    console.error(
      `audit-tools: missing install step: Debian package ${pkg} (${path}) is used, is not on a new machine, ` +
        'and no script installs it; add it to scripts/lib/packages.sh and install it where it is needed',
    );
  }
  process.exit(1);
}
