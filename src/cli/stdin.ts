// Reads all of stdin as UTF-8 (for `echo text | tts say`). Kept on globalThis so that the fast path
// (cli/fast-say.ts) and the oclif command, which are separate bundles, read it only once. Bytes
// that are not UTF-8 are refused (never spoken as "�"), with where they are and how to convert.
import { TtsError } from '../engine/errors.js';

const KEY = Symbol.for('tts.stdin');

/** Strict UTF-8: a clear error naming the first bad byte's offset instead of replacement characters. */
export function decodeUtf8(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new TtsError('BAD_INPUT', `The text on ${source} is not valid UTF-8 (byte ${bad}: 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}).`, 'Convert it first, e.g. iconv -f latin1 -t utf-8 file.txt | tts say');
  }
}

/** Offset of the first byte that does not begin or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  // Decode growing prefixes cut at sequence starts; the first failing one locates the bad byte.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    let end = mid + 1;
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end++; // finish the sequence at mid
    try {
      decoder.decode(bytes.subarray(0, end));
      lo = end;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export function readStdin(): Promise<string> {
  const g = globalThis as unknown as Record<symbol, Promise<string> | undefined>;
  g[KEY] ??= (async () => {
    const parts: Buffer[] = [];
    for await (const chunk of process.stdin) parts.push(chunk as Buffer);
    return decodeUtf8(Buffer.concat(parts), 'stdin');
  })();
  return g[KEY]!;
}
