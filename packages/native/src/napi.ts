/** Loads the N-API addon (`binaries/acme_native.node`, built from crates/node). Node only. */
import type { Binding } from './binding.js';

export function loadNapi(): Binding {
  const proc = globalThis.process;
  if (!proc?.versions?.node) throw new Error('the N-API addon needs Node.js');
  const { createRequire } = proc.getBuiltinModule('node:module') as typeof import('node:module');
  const { fileURLToPath } = proc.getBuiltinModule('node:url') as typeof import('node:url');
  const require = createRequire(import.meta.url);
  const addon = require(fileURLToPath(new URL('../binaries/acme_native.node', import.meta.url)));
  return { kind: 'napi', ...addon } as Binding;
}
