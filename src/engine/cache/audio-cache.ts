// The audio cache: synthesized chunks by key, first in memory (LRU by bytes), then on disk.
// Keys come from cache/key.ts; a hit needs neither the phonemizer nor the model.
import { bytesToPcm16, pcm16Bytes } from '../audio/pcm.js';
import { DiskCache } from './disk.js';
import { MemoryLru } from './memory.js';

export interface CachedClip {
  pcm: Int16Array;
  sampleRate: number;
}

export interface CacheStats {
  hits: number;
  memoryHits: number;
  diskHits: number;
  /** Hits in the shared tier (e.g. Redis), written there by any process. */
  sharedHits: number;
  misses: number;
  /** hits / (hits + misses), or 0 before any lookup. */
  hitRate: number;
  memoryEntries: number;
  memoryBytes: number;
  /** Damaged disk entries found (and removed) by this process. */
  corrupt: number;
}

/** A cache shared by several processes (e.g. Redis), behind the local tiers; its failures count as misses. */
export interface SharedAudioStore {
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, bytes: Buffer): Promise<void>;
  has(key: string): Promise<boolean>;
}

export interface AudioCacheOptions {
  /** Disk cache folder; undefined keeps the cache in memory only. */
  dir?: string;
  /** Shared tier, looked up after memory and disk. */
  shared?: SharedAudioStore;
  memoryBytes?: number;
  diskBytes?: number;
}

export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_DISK_BYTES = 512 * 1024 * 1024;

export class AudioCache {
  private readonly memory: MemoryLru<CachedClip>;
  readonly disk: DiskCache | undefined;
  readonly shared: SharedAudioStore | undefined;
  private counts = { memoryHits: 0, diskHits: 0, sharedHits: 0, misses: 0 };

  constructor(opts: AudioCacheOptions = {}) {
    this.memory = new MemoryLru(opts.memoryBytes ?? DEFAULT_MEMORY_BYTES, (c) => c.pcm.byteLength + 64);
    this.disk = opts.dir ? new DiskCache(opts.dir, opts.diskBytes ?? DEFAULT_DISK_BYTES) : undefined;
    this.shared = opts.shared;
  }

  /** Whether `key` is cached in some tier, without reading its audio or counting a lookup. */
  async has(key: string): Promise<boolean> {
    if (this.memory.get(key)) return true;
    if (await this.disk?.has(key)) return true;
    return (await this.shared?.has(key).catch(() => false)) ?? false;
  }

  /** The clip under `key`, counted as a hit or a miss (`countMiss: false`: a miss is not counted, e.g. a whole-request look-up that the chunk look-ups follow). */
  async get(key: string, opts: { countMiss?: boolean } = {}): Promise<(CachedClip & { tier: 'memory' | 'disk' | 'shared' }) | undefined> {
    const m = this.memory.get(key);
    if (m) {
      this.counts.memoryHits++;
      return { ...m, tier: 'memory' };
    }
    const raw = await this.disk?.get(key);
    if (raw && raw.byteLength >= 4) {
      const clip = { sampleRate: raw.readUInt32LE(0), pcm: bytesToPcm16(raw.subarray(4)) };
      this.memory.set(key, clip);
      this.counts.diskHits++;
      return { ...clip, tier: 'disk' };
    }
    const shared = await this.shared?.get(key).catch(() => undefined);
    if (shared && shared.byteLength >= 4) {
      const clip = { sampleRate: shared.readUInt32LE(0), pcm: bytesToPcm16(shared.subarray(4)) };
      this.memory.set(key, clip);
      this.counts.sharedHits++;
      return { ...clip, tier: 'shared' };
    }
    if (opts.countMiss !== false) this.counts.misses++;
    return undefined;
  }

  async put(key: string, clip: CachedClip): Promise<void> {
    this.memory.set(key, clip);
    if (this.disk || this.shared) {
      const head = Buffer.alloc(4);
      head.writeUInt32LE(clip.sampleRate, 0);
      const bytes = Buffer.concat([head, pcm16Bytes(clip.pcm)]);
      await Promise.all([this.disk?.put(key, bytes), this.shared?.put(key, bytes).catch(() => undefined)]);
    }
  }

  stats(): CacheStats {
    const { memoryHits, diskHits, sharedHits, misses } = this.counts;
    const hits = memoryHits + diskHits + sharedHits;
    return {
      hits,
      memoryHits,
      diskHits,
      sharedHits,
      misses,
      hitRate: hits + misses > 0 ? hits / (hits + misses) : 0,
      memoryEntries: this.memory.size,
      memoryBytes: this.memory.bytes,
      corrupt: this.disk?.corrupt ?? 0,
    };
  }

  resetStats(): void {
    this.counts = { memoryHits: 0, diskHits: 0, sharedHits: 0, misses: 0 };
  }
}
