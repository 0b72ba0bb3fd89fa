// A disk cache of byte payloads, safe with several processes at once:
// - each entry is one file `<dir>/<key[0..2]>/<key>`, written to a unique temp file and renamed,
//   so readers see a whole entry or none;
// - each entry starts with a magic and the sha256 of its payload, so a damaged entry is detected,
//   deleted and reported as a miss;
// - the folder is kept under `maxBytes` by deleting the least recently used entries (a hit touches
//   the file's mtime, so recency is shared between processes);
// - no request scans the cache: the size is estimated from a sample of the 256 shard folders (keys
//   are hashes, so shards fill evenly) after the first write, kept up to date by each write, and a
//   full scan happens only to evict, in the background — `put` never waits for either.
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const MAGIC = Buffer.from('TTC1');
const HEADER = MAGIC.length + 32;
const STALE_TEMP_MS = 10 * 60_000;
/** Shard folders sampled to estimate the cache's size. */
const SAMPLE_SHARDS = 8;

export interface DiskCacheStats {
  entries: number;
  bytes: number;
}

export class DiskCache {
  private approxBytes: number | undefined;
  private written = 0;
  private estimating: Promise<void> | undefined;
  private evicting: Promise<void> | undefined;
  private readonly background = new Set<Promise<void>>();
  /** Entries found damaged (and removed) by this process. */
  corrupt = 0;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), key);
  }

  /** Whether an entry exists (not verified; `get` checks it). */
  has(key: string): Promise<boolean> {
    return access(this.path(key)).then(
      () => true,
      () => false,
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    const file = this.path(key);
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch {
      return undefined;
    }
    const payload = raw.subarray(HEADER);
    const ok =
      raw.length >= HEADER &&
      raw.subarray(0, MAGIC.length).equals(MAGIC) &&
      createHash('sha256').update(payload).digest().equals(raw.subarray(MAGIC.length, HEADER));
    if (!ok) {
      this.corrupt++;
      await rm(file, { force: true });
      return undefined;
    }
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return payload;
  }

  async put(key: string, payload: Uint8Array): Promise<void> {
    const file = this.path(key);
    const sub = join(this.dir, key.slice(0, 2));
    const tmp = join(sub, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const sha = createHash('sha256').update(payload).digest();
    await mkdir(sub, { recursive: true });
    try {
      await writeFile(tmp, Buffer.concat([MAGIC, sha, payload]));
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    this.account(key, payload.byteLength + HEADER);
  }

  /**
   * Counts a write and, in the background, takes the first estimate and evicts when over the bound.
   * `written` counts every byte this process wrote, so a measurement (sample or scan) can add what
   * was written while it ran: that may count a file twice, and an overestimate only makes the next
   * eviction (which measures exactly) come a little early.
   */
  private account(key: string, bytes: number): void {
    this.written += bytes;
    if (this.approxBytes !== undefined) this.approxBytes += bytes;
    this.estimating ??= this.measure(() => this.estimate(key.slice(0, 2)));
    this.inBackground(this.estimating.then(() => this.evictIfOver()));
  }

  private async evictIfOver(): Promise<void> {
    while (this.approxBytes! > this.maxBytes) {
      const before = this.written;
      await this.evict();
      if (this.written === before) break; // measured exactly, nothing written since: done
    }
  }

  /** Runs a measurement of the cache's bytes and sets approxBytes to it plus what was written meanwhile. */
  private async measure(run: () => Promise<number>): Promise<void> {
    const before = this.written;
    const bytes = await run();
    this.approxBytes = bytes + (this.written - before);
  }

  private inBackground(p: Promise<void>): void {
    const tracked: Promise<void> = p.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Resolves when background accounting and eviction are done (tests, and a process about to exit). */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** The cache's size from SAMPLE_SHARDS shard folders (starting at `from`), scaled to all of them. */
  private async estimate(from: string): Promise<number> {
    let shards: string[];
    try {
      shards = (await readdir(this.dir)).filter((s) => s.length === 2).sort();
    } catch {
      return 0;
    }
    const start = Math.max(0, shards.indexOf(from));
    const sample = Array.from({ length: Math.min(SAMPLE_SHARDS, shards.length) }, (_, i) => shards[(start + i) % shards.length]!);
    let bytes = 0;
    for (const shard of sample) bytes += (await this.scanShard(shard, Date.now())).reduce((n, f) => n + f.size, 0);
    return sample.length > 0 ? (bytes * shards.length) / sample.length : 0;
  }

  /** Deletes least recently used entries until the cache is at 90 % of its bound. */
  evict(): Promise<void> {
    this.evicting ??= this.measure(() => this.evictNow()).finally(() => (this.evicting = undefined));
    return this.evicting;
  }

  /** One full scan: deletes the oldest entries down to 90 % of the bound; returns the bytes left. */
  private async evictNow(): Promise<number> {
    const files = await this.scan();
    let total = files.reduce((n, f) => n + f.size, 0);
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    const target = this.maxBytes * 0.9;
    for (const f of files) {
      if (total <= target) break;
      await rm(f.path, { force: true });
      total -= f.size;
    }
    return total;
  }

  /** Every entry file with its size and mtime; removes temp files left by crashed writers. */
  private async scan(): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    let subs: string[];
    try {
      subs = await readdir(this.dir);
    } catch {
      return out;
    }
    const now = Date.now();
    for (const sub of subs) out.push(...(await this.scanShard(sub, now)));
    return out;
  }

  /** The entries of one shard folder; removes temp files left there by crashed writers. */
  private async scanShard(sub: string, now: number): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    let names: string[];
    try {
      names = await readdir(join(this.dir, sub));
    } catch {
      return out;
    }
    for (const name of names) {
      const path = join(this.dir, sub, name);
      const st = await stat(path).catch(() => undefined);
      if (!st?.isFile()) continue;
      if (name.endsWith('.tmp')) {
        if (now - st.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
        continue;
      }
      out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    }
    return out;
  }

  async stats(): Promise<DiskCacheStats> {
    const files = await this.scan();
    return { entries: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
  }

  /** Checks every entry; returns how many were damaged (they are removed). */
  async verify(): Promise<{ entries: number; corrupt: number }> {
    const before = this.corrupt;
    const files = await this.scan();
    for (const f of files) await this.get(basename(f.path));
    return { entries: files.length, corrupt: this.corrupt - before };
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    this.approxBytes = 0;
  }
}
