/**
 * The Rust objects that JavaScript objects own on the wasm binding: a handle (a pointer into wasm
 * memory) per live object, freed exactly once, by `free()` or else by a FinalizationRegistry.
 * A method on a freed or foreign receiver throws instead of passing a stale pointer to Rust, and
 * so does one on an object whose instance a trap replaced (see `WasmModule`).
 */
import type { WasmModule } from './module.js';

interface Owned {
  handle: number;
  generation: number;
}

export class Handles {
  readonly #wasm: WasmModule;
  readonly #className: string;
  readonly #freeHandle: (handle: number) => void;
  readonly #live = new WeakMap<object, Owned>();
  readonly #registry: FinalizationRegistry<Owned>;

  constructor(wasm: WasmModule, className: string, freeHandle: (handle: number) => void) {
    this.#wasm = wasm;
    this.#className = className;
    this.#freeHandle = freeHandle;
    // A handle of a replaced instance means nothing in the new one: it is never freed there.
    this.#registry = new FinalizationRegistry((owned) => {
      if (owned.generation === wasm.generation) wasm.release(className, () => freeHandle(owned.handle));
    });
  }

  /** Takes ownership of `handle` (as returned by a constructor export: read unsigned here). */
  add(self: object, handle: number): void {
    const owned = { handle: handle >>> 0, generation: this.#wasm.generation };
    this.#live.set(self, owned);
    this.#registry.register(self, owned, self);
  }

  /** The handle of a live `self`, or a TypeError naming the receiver. */
  get(self: object): number {
    const owned = this.#live.get(self);
    if (owned === undefined) throw new TypeError(`receiver must be a live ${this.#className} instance`);
    if (owned.generation !== this.#wasm.generation) {
      throw new TypeError(
        `receiver must be a live ${this.#className} instance; this one was lost with its wasm instance (${this.#wasm.lastTrap})`,
      );
    }
    return owned.handle;
  }

  /** Frees `self`'s Rust half now; later calls throw. Freeing twice, or a foreign object, does nothing. */
  free(self: object): void {
    const owned = this.#live.get(self);
    if (owned === undefined) return;
    this.#live.delete(self);
    this.#registry.unregister(self);
    if (owned.generation === this.#wasm.generation) this.#freeHandle(owned.handle);
  }
}
