// Loaded backends kept open between requests, capped by memory: when a new model would pass the
// cap, the least recently used ones are closed. Sizes are estimates (the model file's size).
import type { Backend } from './backends/backend.js';

interface Slot {
  backend: Promise<Backend>;
  bytes: number;
}

export class BackendPool {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly maxBytes: number) {}

  /** The backend under `key`, loading it with `load` on first use; `bytes` is asked only then. */
  get(key: string, bytes: () => number, load: () => Promise<Backend>): Promise<Backend> {
    const hit = this.slots.get(key);
    if (hit) {
      this.slots.delete(key);
      this.slots.set(key, hit);
      return hit.backend;
    }
    const backend = load();
    backend.catch(() => this.slots.delete(key));
    this.slots.set(key, { backend, bytes: bytes() });
    this.evict(key);
    return backend;
  }

  private evict(keep: string): void {
    let total = [...this.slots.values()].reduce((n, s) => n + s.bytes, 0);
    for (const [key, slot] of this.slots) {
      if (total <= this.maxBytes) break;
      if (key === keep) continue;
      this.slots.delete(key);
      total -= slot.bytes;
      void slot.backend.then((b) => b.close()).catch(() => undefined);
    }
  }

  keys(): string[] {
    return [...this.slots.keys()];
  }

  async closeAll(): Promise<void> {
    const all = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(all.map(async (s) => (await s.backend).close().catch(() => undefined)));
  }
}
