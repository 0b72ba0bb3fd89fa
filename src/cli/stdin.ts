// Reads all of stdin as UTF-8 (for `echo text | tts say`). Kept on globalThis so that the fast path
// (cli/fast-say.ts) and the oclif command, which are separate bundles, read it only once.
const KEY = Symbol.for('tts.stdin');

export function readStdin(): Promise<string> {
  const g = globalThis as unknown as Record<symbol, Promise<string> | undefined>;
  g[KEY] ??= (async () => {
    const parts: Buffer[] = [];
    for await (const chunk of process.stdin) parts.push(chunk as Buffer);
    return Buffer.concat(parts).toString('utf8');
  })();
  return g[KEY]!;
}
