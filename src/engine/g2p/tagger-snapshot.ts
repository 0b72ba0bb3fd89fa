// wink-pos-tagger, loaded fast. Its data (wink-lexicon: 77 000 words, their senses, exceptions)
// ships as JavaScript object literals — one statement per entry — which cost ~200 ms to compile
// and run on every cold start of a process that tags a sentence. After the first load, the same
// data is kept as one JSON file (with the null prototypes its dictionaries have) in a folder of
// ours; later processes parse that instead and hand the objects to require(), so the tagger's own
// modules get exactly the objects they would have built. A snapshot is written only when it
// reproduces every module's value exactly (checked on creation), and it is tied to the
// wink-lexicon version; anything else falls back to the plain load.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export type Tagger = { tagRawTokens(tokens: string[]): { pos: string }[] };

interface Snapshot {
  version: string;
  /**
   * Module file name in wink-lexicon/src → its value and the paths of its null-prototype objects;
   * or, for a dictionary of sorted words to their positions (wn-words: 77 000 of them), the words.
   */
  modules: Record<string, { value: unknown; nullProto: (string | number)[][] } | { sortedWords: string }>;
}

/** Whether `v` is a null-prototype dictionary of words in ascending order, each mapped to its position. */
function isSortedIndex(v: unknown): v is Record<string, number> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== null) return false;
  const keys = Object.keys(v);
  if (keys.length < 2) return false;
  for (let i = 0; i < keys.length; i++) {
    if ((v as Record<string, unknown>)[keys[i]!] !== i || keys[i]!.includes('\n') || (i > 0 && !(keys[i - 1]! < keys[i]!))) return false;
  }
  return true;
}

/**
 * The dictionary of sorted `words` to their positions, as an object that answers by binary search:
 * building 77 000 properties costs ~30 ms, splitting the words ~2. Reads, `in` and key listing
 * behave as on the plain object.
 */
function sortedIndex(words: string[]): Record<string, number> {
  const find = (k: string | symbol): number | undefined => {
    if (typeof k !== 'string') return undefined;
    let lo = 0;
    let hi = words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = words[mid]!;
      if (w === k) return mid;
      if (w < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  return new Proxy(Object.create(null) as Record<string, number>, {
    get: (_, k) => find(k),
    has: (_, k) => find(k) !== undefined,
    ownKeys: () => words,
    getOwnPropertyDescriptor: (_, k) => {
      const i = find(k);
      return i === undefined ? undefined : { value: i, writable: true, enumerable: true, configurable: true };
    },
  });
}

type NodeModule = { exports: unknown; filename: string; loaded: boolean; id: string; paths: string[] };

/** Paths of the objects in `v` whose prototype is null (the dictionaries), or undefined when `v` is not plain data. */
function nullProtoPaths(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return out;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !nullProtoPaths(v[i], [...path, i], out)) return undefined;
    return out;
  }
  if (typeof v !== 'object') return undefined;
  const proto = Object.getPrototypeOf(v);
  if (proto === null) out.push(path);
  else if (proto !== Object.prototype) return undefined;
  for (const k of Object.keys(v)) if (!nullProtoPaths((v as Record<string, unknown>)[k], [...path, k], out)) return undefined;
  return out;
}

/** Whether `a` and `b` are the same data: values, key order, array holes, null prototypes. */
function sameData(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || (Object.getPrototypeOf(a) === null) !== (Object.getPrototypeOf(b) === null)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || !sameData((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!])) return false;
  return true;
}

function revive(entry: Snapshot['modules'][string]): unknown {
  return 'sortedWords' in entry ? sortedIndex(entry.sortedWords.split('\n')) : restore(entry.value, entry.nullProto);
}

function restore(value: unknown, nullProto: (string | number)[][]): unknown {
  for (const path of nullProto) {
    let o = value as Record<string | number, unknown>;
    for (const k of path) o = o[k] as Record<string | number, unknown>;
    Object.setPrototypeOf(o, null);
  }
  return value;
}

/** Loads wink-pos-tagger, from (and then into) a snapshot of its data in `dir` when one is given. */
export function loadWinkTagger(dir: string | undefined): Tagger {
  const req = createRequire(import.meta.url);
  const main = req.resolve('wink-pos-tagger');
  // The data modules as the tagger's own modules resolve them.
  const lexiconDir = dirname(createRequire(main).resolve('wink-lexicon/src/lexicon.js'));
  const version = (JSON.parse(readFileSync(join(lexiconDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const file = dir ? join(dir, `wink-lexicon-${version}.json`) : undefined;
  const cache = req.cache as Record<string, NodeModule>;
  if (file && existsSync(file)) {
    try {
      const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
      if (snap.version === version) {
        const Module = req('node:module') as new (id: string) => NodeModule;
        for (const [name, entry] of Object.entries(snap.modules)) {
          const path = join(lexiconDir, name);
          if (cache[path]) continue;
          const m = new Module(path);
          m.filename = path;
          m.paths = [];
          m.exports = revive(entry);
          m.loaded = true;
          cache[path] = m;
        }
      }
    } catch {
      /* a damaged snapshot: the plain load below, and a new snapshot */
    }
  }
  const tagger = (req('wink-pos-tagger') as () => Tagger)();
  if (file && !existsSync(file)) writeSnapshot(file, version, lexiconDir, cache);
  return tagger;
}

function writeSnapshot(file: string, version: string, lexiconDir: string, cache: Record<string, NodeModule>): void {
  const snap: Snapshot = { version, modules: {} };
  for (const [path, m] of Object.entries(cache)) {
    if (dirname(path) !== lexiconDir) continue;
    if (isSortedIndex(m.exports)) {
      snap.modules[basename(path)] = { sortedWords: Object.keys(m.exports).join('\n') };
      continue;
    }
    const nullProto = nullProtoPaths(m.exports);
    if (!nullProto) continue;
    snap.modules[basename(path)] = { value: m.exports, nullProto };
  }
  const text = JSON.stringify(snap);
  const back = JSON.parse(text) as Snapshot;
  for (const [name, entry] of Object.entries(back.modules)) {
    if (!sameData(revive(entry), cache[join(lexiconDir, name)]!.exports)) return; // not reproduced exactly: no snapshot
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    /* a read-only folder: the plain load next time too */
  }
}
