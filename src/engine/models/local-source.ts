// `tts warm --from DIR`: where catalog files are looked for in a local folder, for machines
// without network. The files are copied in and checked exactly like downloads (download.ts).
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isInside, isSafeName, own } from '../safe-path.js';
import type { CatalogModel } from './catalog.js';

/** Candidates for one file: DIR/<name>, DIR/voices/<name>, DIR/<model>/<name>, also under the URL's file name. */
export function localCandidates(dir: string, spec: { url: string; dest: string }): string[] {
  const names = new Set([basename(spec.dest)]);
  try {
    names.add(decodeURIComponent(basename(new URL(spec.url).pathname)));
  } catch {
    /* not a URL: the file name alone */
  }
  const out: string[] = [];
  for (const n of names) {
    if (!isSafeName(n)) continue;
    for (const p of [join(dir, n), join(dir, 'voices', n), join(dir, basename(dirname(spec.dest)), n)]) {
      if (isInside(dir, p) && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

/** Kokoro voices of `entry` that DIR holds (as <voice>.bin in DIR or DIR/voices). */
export function voicesInDir(dir: string, entry: CatalogModel): string[] {
  const found = new Set<string>();
  for (const d of [dir, join(dir, 'voices')]) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const f of names) {
      const v = f.endsWith('.bin') ? f.slice(0, -4) : '';
      if (isSafeName(v) && own(entry.voices?.sha256, v)) found.add(v);
    }
  }
  return [...found].sort();
}
