// How letter-by-letter readings are written: capital letters joined by hyphens ("FBI" → "F-B-I").
// Hyphens rather than spaces because espeak-ng reads a lone "A" before another word as the article
// ("A P I" → "uh P I"), while "A-P-I" is read as three letter names; joined letters also stay one
// word for the model's prosody.

/** Spells a run of letters: "fbi" → "F-B-I". */
export function spellLetters(letters: string): string {
  return [...letters.toUpperCase()].join('-');
}

/**
 * Joins the readings of a token's pieces with spaces ("MP3" → "M-P three"), except that a lone
 * letter A is hyphenated onto what follows ("A4" → "A-four") so it is not read as the article.
 */
export function joinPieces(pieces: readonly string[]): string {
  let out = '';
  pieces.forEach((p, i) => {
    out += p;
    if (i < pieces.length - 1) out += p === 'A' ? '-' : ' ';
  });
  return out;
}
