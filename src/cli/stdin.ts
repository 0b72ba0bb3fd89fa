// Stdin as UTF-8 text, read once per process and shared (on globalThis) by the fast path
// (cli/fast-say.ts) and the oclif command, which are separate bundles: either can wait for all of
// it, or take it piece by piece as it arrives (`llm … | tts say` speaks while the text comes).
// Bytes that are not UTF-8 are refused (never spoken as "�"), with where they are and how to convert.
import { TtsError } from '../engine/errors.js';

const KEY = Symbol.for('tts.stdin');

interface Shared {
  text: string;
  ended: boolean;
  /** Set when the input is not UTF-8: readers throw it. */
  error?: TtsError;
  wake: (() => void)[];
}

/** Strict UTF-8: a clear error naming the first bad byte's offset instead of replacement characters. */
export function decodeUtf8(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8(bytes, firstInvalidUtf8(bytes), source, 0);
  }
}

function notUtf8(bytes: Buffer, at: number, source: string, before: number): TtsError {
  return new TtsError('BAD_INPUT', `The text on ${source} is not valid UTF-8 (byte ${before + at}: 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}).`, 'Convert it first, e.g. iconv -f latin1 -t utf-8 file.txt | tts say');
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

function shared(): Shared {
  const g = globalThis as unknown as Record<symbol, Shared | undefined>;
  if (!g[KEY]) {
    const s: Shared = { text: '', ended: false, wake: [] };
    const notify = (): void => {
      const w = s.wake;
      s.wake = [];
      for (const f of w) f();
    };
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let seen = 0;
    const fail = (d: Buffer): void => {
      s.error ??= notUtf8(d, firstInvalidUtf8(d), 'stdin', seen);
      s.ended = true;
      process.stdin.pause();
    };
    process.stdin.on('data', (d: Buffer) => {
      if (s.error) return;
      try {
        s.text += decoder.decode(d, { stream: true });
      } catch {
        fail(d);
      }
      seen += d.length;
      notify();
    });
    process.stdin.on('end', () => {
      try {
        if (!s.error) s.text += decoder.decode();
      } catch {
        fail(Buffer.alloc(0));
      }
      s.ended = true;
      notify();
    });
    process.stdin.on('error', () => {
      s.ended = true;
      notify();
    });
    g[KEY] = s;
  }
  return g[KEY]!;
}

function changed(s: Shared): Promise<void> {
  process.stdin.resume(); // in case a library paused it (readline does when it closes)
  return new Promise((res) => s.wake.push(res));
}

/** All of stdin, once it has ended. */
export async function readStdin(): Promise<string> {
  const s = shared();
  while (!s.ended) await changed(s);
  if (s.error) throw s.error;
  return s.text;
}

/** Whether stdin ends within `ms` (a program piping a whole text) or stays open (a live producer). */
export async function stdinEndsWithin(ms: number): Promise<boolean> {
  const s = shared();
  const deadline = Date.now() + ms;
  while (!s.ended) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([changed(s), new Promise<void>((res) => (timer = setTimeout(res, left)))]);
    clearTimeout(timer);
  }
  return true;
}

/** Stdin's text as it arrives, from its start: each yield is the text received since the last. */
export async function* stdinPieces(): AsyncGenerator<string> {
  const s = shared();
  let at = 0;
  for (;;) {
    if (s.text.length > at) {
      const piece = s.text.slice(at);
      at = s.text.length;
      yield piece;
    } else if (s.error) throw s.error;
    else if (s.ended) return;
    else await changed(s);
  }
}
