// misaki's English lexicons for a Kokoro model: which of them its voices need (American voices
// the us_* pair, British ones the gb_* pair), and the licence notice kept beside them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogModel, RemoteFile } from './catalog.js';

/** The lexicon files the given Kokoro voices read (American by default). */
export function lexiconsFor(entry: CatalogModel, voices: string[]): RemoteFile[] {
  const accents = new Set<string>();
  for (const v of voices) if (v.startsWith('a') || v.startsWith('b')) accents.add(v.startsWith('b') ? 'gb' : 'us');
  if (accents.size === 0) accents.add('us');
  return (entry.lexicons?.files ?? []).filter((f) => accents.has(f.file.slice(0, 2)));
}

/** Writes NOTICE beside the lexicon files: where they come from and under which licence. */
export async function writeLexiconNotice(entry: CatalogModel, dir: string): Promise<void> {
  const lex = entry.lexicons!;
  const text = [
    `The files in this folder (${lex.files.map((f) => f.file).join(', ')}) are the English pronunciation`,
    `lexicons of misaki, by hexgrad, from ${lex.source}.`,
    `They are licensed under the ${lex.license === 'Apache-2.0' ? 'Apache License, Version 2.0' : lex.license}: http://www.apache.org/licenses/LICENSE-2.0`,
    'They are used unmodified; tts downloads them with the Kokoro model and does not redistribute them.',
    '',
  ].join('\n');
  await writeFile(join(dir, 'NOTICE'), text);
}
