// A lexicon dictionary in a form that loads in milliseconds: `key\tvalue\n` lines sorted by the
// key's UTF-8 bytes, searched in place (binary search over line offsets), nothing parsed up front.
// A value is the phonemes, or a heteronym's readings as JSON (`{"DEFAULT":…}`).
// misaki's JSON (~3 MB per file) takes JSON.parse plus building a Map, a few hundred ms; the packed
// file is written beside an installed model's copy the first time it is read, and used from then on.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

export type Entry = string | Record<string, string | null>;

/** What the lexicon needs of a dictionary (a Map has it too). */
export interface Dict {
  has(key: string): boolean;
  get(key: string): Entry | undefined;
}

const MAGIC = 'tts-packed-lexicon 1\n';

export function packDict(d: Map<string, Entry>): Buffer {
  const rows = [...d].map(([k, v]) => ({ k: Buffer.from(k), v: typeof v === 'string' ? v : JSON.stringify(v) }));
  rows.sort((a, b) => Buffer.compare(a.k, b.k));
  return Buffer.concat([Buffer.from(MAGIC), ...rows.map((r) => Buffer.concat([r.k, Buffer.from(`\t${r.v}\n`)]))]);
}

export class PackedDict implements Dict {
  private readonly starts: Uint32Array;
  private readonly parsed = new Map<number, Entry>();

  constructor(private readonly buf: Buffer) {
    let n = 0;
    for (let i = buf.indexOf(10); i >= 0 && i < buf.length - 1; i = buf.indexOf(10, i + 1)) n++;
    this.starts = new Uint32Array(n);
    let j = 0;
    for (let i = buf.indexOf(10); i >= 0 && i < buf.length - 1; i = buf.indexOf(10, i + 1)) this.starts[j++] = i + 1;
  }

  private readonly seen = new Map<string, number>();

  /** Index of the line holding `key`, or -1 (remembered: texts repeat their words). */
  private find(key: string): number {
    let i = this.seen.get(key);
    if (i === undefined) {
      i = this.search(key);
      if (this.seen.size >= 65536) this.seen.clear();
      this.seen.set(key, i);
    }
    return i;
  }

  private search(key: string): number {
    const k = Buffer.from(key);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.starts[mid]!;
      const tab = this.buf.indexOf(9, s);
      const c = Buffer.compare(this.buf.subarray(s, tab), k);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  get(key: string): Entry | undefined {
    const i = this.find(key);
    if (i < 0) return undefined;
    let e = this.parsed.get(i);
    if (e === undefined) {
      const s = this.starts[i]!;
      const v = this.buf.toString('utf8', this.buf.indexOf(9, s) + 1, this.buf.indexOf(10, s));
      e = v.startsWith('{') ? (JSON.parse(v) as Entry) : v;
      this.parsed.set(i, e);
    }
    return e;
  }
}

/**
 * The dictionary of `jsonPath`: from its packed copy when that is at least as new, else from the
 * JSON (through `prepare`, e.g. misaki's case variants), then, with `writePacked` (a folder of
 * our own, such as an installed model's), writing the packed copy for next time (best effort).
 */
export function loadDict(jsonPath: string, prepare: (raw: Record<string, Entry>) => Map<string, Entry>, writePacked: boolean): Dict {
  const packed = jsonPath.replace(/\.json$/, '.packed');
  try {
    if (statSync(packed).mtimeMs >= statSync(jsonPath).mtimeMs) {
      const buf = readFileSync(packed);
      if (buf.subarray(0, MAGIC.length).toString() === MAGIC) return new PackedDict(buf);
    }
  } catch {
    // no packed copy yet
  }
  const d = prepare(JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, Entry>);
  if (!writePacked) return d;
  try {
    const tmp = `${packed}.tmp-${process.pid}`;
    writeFileSync(tmp, packDict(d));
    renameSync(tmp, packed);
  } catch {
    // read-only folder: fine
  }
  return d;
}
