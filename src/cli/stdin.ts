// Stdin as UTF-8 text, read once per process and shared (on globalThis) by the fast path
// (cli/fast-say.ts) and the oclif command, which are separate bundles: either can wait for all of
// it, or take it piece by piece as it arrives (`llm … | tts say` speaks while the text comes).
import { StringDecoder } from 'node:string_decoder';

const KEY = Symbol.for('tts.stdin');

interface Shared {
  text: string;
  ended: boolean;
  wake: (() => void)[];
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
    const decoder = new StringDecoder('utf8');
    process.stdin.on('data', (d: Buffer) => {
      s.text += decoder.write(d);
      notify();
    });
    process.stdin.on('end', () => {
      s.text += decoder.end();
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
    } else if (s.ended) return;
    else await changed(s);
  }
}
