// espeak-ng as misaki uses it for Kokoro (`misaki/espeak.py`): IPA with tie marks (`a^ɪ`),
// rewritten into Kokoro's alphabet with misaki's tables, reproduced here as data:
//  - EspeakFallback (English words the lexicon does not know): E2M, then the American or British
//    rules, `o`→`ɔ`, and flaps/glottal stops as `T`/`t`;
//  - EspeakG2P (es, fr-fr, hi, it, pt-br): its e2m table, ties and hyphens dropped.
// espeak-ng runs as the WebAssembly program (espeak-wasm.ts), loaded only when a word needs it;
// the words of one call share a single run, one paragraph each.
import { espeakPhonemeLines } from '../espeak-wasm.js';

const TIE = '^';

/** misaki EspeakFallback.E2M, applied longest key first (ties in table order). */
const E2M: [string, string][] = (
  [
    ['ʔˌn\u0329', 'ʔn'], ['ʔn\u0329', 'ʔn'],
    ['a^ɪ', 'I'], ['a^ʊ', 'W'],
    ['d^ʒ', 'ʤ'],
    ['e^ɪ', 'A'], ['e', 'A'],
    ['t^ʃ', 'ʧ'],
    ['ɔ^ɪ', 'Y'],
    ['ə^l', 'ᵊl'],
    ['ʲo', 'jo'], ['ʲə', 'jə'], ['ʲ', ''],
    ['ɚ', 'əɹ'],
    ['r', 'ɹ'],
    ['x', 'k'], ['ç', 'k'],
    ['ɐ', 'ə'],
    ['ɬ', 'l'],
    ['\u0303', ''],
  ] as [string, string][]
)
  .map((kv, i) => ({ kv, i }))
  .sort((a, b) => b.kv[0].length - a.kv[0].length || a.i - b.i)
  .map(({ kv }) => kv);

/** misaki EspeakG2P.e2m (version None), applied in sorted key order. */
const G2P_TABLE: [string, string][] = (
  [
    ['a^ɪ', 'I'], ['a^ʊ', 'W'],
    ['d^z', 'ʣ'], ['d^ʒ', 'ʤ'],
    ['e^ɪ', 'A'],
    ['o^ʊ', 'O'], ['ə^ʊ', 'Q'],
    ['s^s', 'S'],
    ['t^s', 'ʦ'], ['t^ʃ', 'ʧ'],
    ['ɔ^ɪ', 'Y'],
  ] as [string, string][]
).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const LANGUAGE_FLAG = /\([a-z]{2,3}(?:-[a-z0-9]+)?\)/gi;

function replaceAll(ps: string, table: [string, string][]): string {
  for (const [from, to] of table) ps = ps.split(from).join(to);
  return ps;
}

/** One English word's espeak IPA (with ties) → Kokoro phonemes, as EspeakFallback does. */
export function englishFromEspeak(ipa: string, british: boolean): string {
  let ps = replaceAll(ipa.replace(LANGUAGE_FLAG, '').trim(), E2M);
  ps = ps.replace(/(\S)\u0329/gu, 'ᵊ$1').replaceAll('\u0329', '');
  if (british) {
    ps = ps.replaceAll('e^ə', 'ɛː').replaceAll('iə', 'ɪə').replaceAll('ə^ʊ', 'Q');
  } else {
    ps = ps.replaceAll('o^ʊ', 'O').replaceAll('ɜːɹ', 'ɜɹ').replaceAll('ɜː', 'ɜɹ').replaceAll('ɪə', 'iə').replaceAll('ː', '');
  }
  ps = ps.replaceAll('o', 'ɔ');
  ps = ps.replaceAll('ɾ', 'T').replaceAll('ʔ', 't');
  return ps.replaceAll(TIE, '');
}

/** espeak IPA (with ties) of es/fr/hi/it/pt-br text → Kokoro phonemes, as EspeakG2P does. */
export function otherFromEspeak(ipa: string): string {
  let ps = replaceAll(ipa.replace(LANGUAGE_FLAG, ''), G2P_TABLE);
  return ps.replaceAll(TIE, '').replaceAll('-', '');
}

/** espeak-ng's tied IPA of each text, each phonemized as a paragraph of its own. */
export async function espeakEach(texts: string[], voice: string): Promise<string[]> {
  if (texts.length === 0) return [];
  const lines = texts.length === 1 ? [] : await espeakPhonemeLines(texts.join('\n\n'), voice, TIE);
  if (lines.length === texts.length) return lines;
  // A text espeak read as several clauses (or as none): one run each.
  const out: string[] = [];
  for (const t of texts) out.push((await espeakPhonemeLines(t, voice, TIE)).join(' '));
  return out;
}
