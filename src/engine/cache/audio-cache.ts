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
  misses: number;
  /** hits / (hits + misses), or 0 before any lookup. */
  hitRate: number;
  memoryEntries: number;
  memoryBytes: number;
  /** Damaged disk entries found (and removed) by this process. */
  corrupt: number;
}

export interface AudioCacheOptions {
  /** Disk cache folder; undefined keeps the cache in memory only. */
  dir?: string;
  memoryBytes?: number;
  diskBytes?: number;
}

export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_DISK_BYTES = 512 * 1024 * 1024;

export class AudioCache {
  private readonly memory: MemoryLru<CachedClip>;
  readonly disk: DiskCache | undefined;
  private counts = { memoryHits: 0, diskHits: 0, misses: 0 };

  constructor(opts: AudioCacheOptions = {}) {
    this.memory = new MemoryLru(opts.memoryBytes ?? DEFAULT_MEMORY_BYTES, (c) => c.pcm.byteLength + 64);
    this.disk = opts.dir ? new DiskCache(opts.dir, opts.diskBytes ?? DEFAULT_DISK_BYTES) : undefined;
  }

  async get(key: string): Promise<(CachedClip & { tier: 'memory' | 'disk' }) | undefined> {
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
    this.counts.misses++;
    return undefined;
  }

  async put(key: string, clip: CachedClip): Promise<void> {
    this.memory.set(key, clip);
    if (this.disk) {
      const head = Buffer.alloc(4);
      head.writeUInt32LE(clip.sampleRate, 0);
      await this.disk.put(key, Buffer.concat([head, pcm16Bytes(clip.pcm)]));
    }
  }

  stats(): CacheStats {
    const { memoryHits, diskHits, misses } = this.counts;
    const hits = memoryHits + diskHits;
    return {
      hits,
      memoryHits,
      diskHits,
      misses,
      hitRate: hits + misses > 0 ? hits / (hits + misses) : 0,
      memoryEntries: this.memory.size,
      memoryBytes: this.memory.bytes,
      corrupt: this.disk?.corrupt ?? 0,
    };
  }

  resetStats(): void {
    this.counts = { memoryHits: 0, diskHits: 0, misses: 0 };
  }
}
