// "Did you mean …?": the closest known name to a mistyped command or flag, when it is close enough
// to be a likely typo (edit distance at most a third of the word, and at least 2 allowed: a swap of two letters).
import { distance } from 'fastest-levenshtein';

export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(input) && input.length >= 2 ? 0.5 : distance(input, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}
