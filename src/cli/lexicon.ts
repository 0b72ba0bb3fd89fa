// The lexicon a command uses: --lexicon FILE, else $TTS_LEXICON, else <config dir>/lexicon.txt when
// that file exists, else none.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lexicon } from '../engine/text/pronunciation.js';

export async function loadLexiconFor(flag: string | undefined = process.env.TTS_LEXICON): Promise<Lexicon | undefined> {
  const { configDir } = await import('../engine/models/paths.js');
  const path = flag ?? [join(configDir(), 'lexicon.txt')].find((p) => existsSync(p));
  if (!path) return undefined;
  const { loadLexicon } = await import('../engine/text/pronunciation.js');
  return loadLexicon(path);
}
