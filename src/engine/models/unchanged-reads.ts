// Reads of the model folders that every request repeats (a model's manifest, the names in its
// folders), remembered while one stat says the file or folder is unchanged: resolving a voice costs
// a few stats instead of a dozen opens, reads and listings. A change is seen on the next read —
// adding, removing or renaming an entry changes a folder's modification time, and rewriting a file
// changes its own. As git does for its index, nothing is remembered whose modification time is too
// recent to tell a later change apart (file systems stamp times at a coarse tick).
import { readdirSync, readFileSync, statSync, type BigIntStats } from 'node:fs';

/** Modification times this close to the moment of reading may not show a change made just after. */
const RACY_NS = 2_000_000_000n;

const remembered = new Map<string, { stamp: string; value: unknown }>();

/** What changes when the path is written, replaced or (for a folder) has entries added, removed or renamed. */
function stampOf(st: BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * `read(path)`, or what it returned last time for the same `kind` of read when the path is
 * unchanged since; undefined when the path does not exist. Do not change the result.
 */
export function whileUnchanged<T>(kind: string, path: string, read: (path: string) => T): T | undefined {
  const st = statSync(path, { throwIfNoEntry: false, bigint: true });
  const key = `${kind}\u0000${path}`;
  if (!st) {
    remembered.delete(key);
    return undefined;
  }
  const stamp = stampOf(st);
  const hit = remembered.get(key);
  if (hit?.stamp === stamp) return hit.value as T;
  const value = read(path);
  // A write in the same tick as the last one would leave its modification time as it is.
  if (BigInt(Date.now()) * 1_000_000n - st.mtimeNs > RACY_NS) remembered.set(key, { stamp, value });
  else remembered.delete(key);
  return value;
}

/** The names in a folder (as readdirSync), or undefined when it does not exist. Do not change the array. */
export function folderNames(dir: string): readonly string[] | undefined {
  return whileUnchanged('names', dir, (p) => readdirSync(p));
}

/** The folder's subfolders' names, or undefined when it does not exist. */
export function subfolderNames(dir: string): readonly string[] | undefined {
  return whileUnchanged('subfolders', dir, (p) =>
    readdirSync(p, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name),
  );
}

/**
 * `parse` of a file's text (`kind` names the parse), or undefined when the file does not exist. An
 * error reading or parsing is thrown, and nothing remembered. Do not change the result.
 */
export function parsedFile<T>(kind: string, path: string, parse: (text: string) => T): T | undefined {
  return whileUnchanged(kind, path, (p) => parse(readFileSync(p, 'utf8')));
}
