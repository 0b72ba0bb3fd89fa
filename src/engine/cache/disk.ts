// A disk cache of byte payloads, safe with several processes at once:
// - each entry is one file `<dir>/<key[0..2]>/<key>`, written to a unique temp file and renamed,
//   so readers see a whole entry or none;
// - each entry starts with a magic and the sha256 of its payload, so a damaged entry is detected,
//   deleted and reported as a miss;
// - the folder is kept under `maxBytes` by deleting the least recently used entries (a hit touches
//   the file's mtime, so recency is shared between processes).
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const MAGIC = Buffer.from('TTC1');
const HEADER = MAGIC.length + 32;
const STALE_TEMP_MS = 10 * 60_000;

export interface DiskCacheStats {
  entries: number;
  bytes: number;
}

export class DiskCache {
  private approxBytes: number | undefined;
  private evicting: Promise<void> | undefined;
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
    if (this.approxBytes === undefined) this.approxBytes = (await this.stats()).bytes;
    else this.approxBytes += payload.byteLength + HEADER;
    if (this.approxBytes > this.maxBytes) await this.evict();
  }

  /** Deletes least recently used entries until the cache is at 90 % of its bound. */
  evict(): Promise<void> {
    this.evicting ??= this.evictNow().finally(() => (this.evicting = undefined));
    return this.evicting;
  }

  private async evictNow(): Promise<void> {
    const files = await this.scan();
    let total = files.reduce((n, f) => n + f.size, 0);
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    const target = this.maxBytes * 0.9;
    for (const f of files) {
      if (total <= target) break;
      await rm(f.path, { force: true });
      total -= f.size;
    }
    this.approxBytes = total;
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
    for (const sub of subs) {
      let names: string[];
      try {
        names = await readdir(join(this.dir, sub));
      } catch {
        continue;
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
