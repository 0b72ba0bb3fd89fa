// Kokoro voice names start with their language, as Kokoro's lang_code: a = American English,
// b = British English, e = Spanish, f = French, h = Hindi, i = Italian, j = Japanese,
// p = Brazilian Portuguese, z = Mandarin; then f/m (female/male) and `_`. One table for resolving
// a voice, choosing its G2P and listing it; a module of its own so none of them loads the others.

/** Voice prefix → the espeak-ng language of its G2P. */
export const KOKORO_LANGUAGES: Readonly<Record<string, string>> = { a: 'en-us', b: 'en-gb', e: 'es', f: 'fr-fr', h: 'hi', i: 'it', j: 'ja', p: 'pt-br', z: 'cmn' };

/** Voice prefix → its language as a BCP 47 tag, for listing voices. */
export const KOKORO_LANGUAGE_TAGS: Readonly<Record<string, string>> = { a: 'en-US', b: 'en-GB', e: 'es', f: 'fr-FR', h: 'hi', i: 'it', j: 'ja', p: 'pt-BR', z: 'zh' };

/** The espeak-ng language of a Kokoro voice (en-us for a name without a language prefix). */
export function kokoroLanguage(voice: string): string {
  return /^[a-z][fm]_/.test(voice) ? (KOKORO_LANGUAGES[voice[0]!] ?? 'en-us') : 'en-us';
}
