// Stage 1 of text → audio: make the text plain and predictable before it is split and phonemized.
// Minimal for now: Unicode, whitespace and punctuation clean-up. Numbers, currency, dates and
// abbreviations are read out by later rules added here.

/** Normalizes text for synthesis; the result is also what cache keys are computed from. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ')
    .replace(/\.{3,}/g, '…')
    .replace(/[‘’]/g, "'")
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
