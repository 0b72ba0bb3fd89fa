// The fast path of `tts say`: when every chunk of the text is already in the cache, speak it
// without loading oclif, onnxruntime, the model or the phonemizer. Anything else — a cache miss,
// --help, a flag this parser does not know, any error — returns false, and bin/run.cjs hands the
// same arguments to the oclif command, which does the full work and reports errors.
// SAY_FLAGS must name exactly the flags of commands/say.ts (a test holds them together).
import { parseArgs } from 'node:util';
import type { AudioChunk } from '../engine/audio-chunk.js';
import { resolveCacheDir } from '../engine/models/paths.js';
import { cachedWholeRequest, wholeChunks } from '../engine/request-cache.js';
import { readStdin, stdinEndsWithin } from './stdin.js';

export const SAY_FLAGS = {
  voice: { type: 'string', short: 'v' },
  model: { type: 'string', short: 'm' },
  dtype: { type: 'string' },
  speed: { type: 'string', short: 's' },
  out: { type: 'string', short: 'o' },
  device: { type: 'string' },
  lexicon: { type: 'string' },
  'cache-dir': { type: 'string' },
  cache: { type: 'boolean' },
  offline: { type: 'boolean' },
  format: { type: 'string' },
  'sample-rate': { type: 'string' },
  loudness: { type: 'string' },
  normalize: { type: 'boolean' },
  pause: { type: 'string' },
  file: { type: 'string', short: 'f' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  threads: { type: 'string' },
  spinning: { type: 'boolean' },
  'execution-mode': { type: 'string' },
  'mem-arena': { type: 'boolean' },
} as const;

/** As in commands/say.ts: stdin that has not ended by then is spoken live, by the full command. */
const STDIN_WHOLE_MS = 300;

/** The engine's module (the bundle's own file, dist/fast-say-engine.mjs: bin/run.cjs knows where). */
export type LoadEngine = () => Promise<typeof import('../engine/engine.js')>;

export async function sayFromCache(argv: string[], loadEngine: LoadEngine): Promise<boolean> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: SAY_FLAGS, allowPositionals: true, strict: true });
  } catch {
    return false; // --help, --phonemes, --no-cache, typos: oclif's business
  }
  const { values: f, positionals } = parsed;
  if (f.file !== undefined && positionals.length) return false;
  let chunks: AsyncIterable<AudioChunk> | undefined;
  let format: import('./say-options.js').SayAudioOptions['format'] | undefined;
  let close = async (): Promise<void> => undefined;
  try {
    const fromStdin = f.file === '-' || (f.file === undefined && !positionals.length && !process.stdin.isTTY);
    if (fromStdin && !(await stdinEndsWithin(STDIN_WHOLE_MS))) return false;
    const text = positionals.length ? positionals.join(' ') : f.file && f.file !== '-' ? await (await import('./text-file.js')).readTextFile(f.file) : fromStdin ? await readStdin() : '';
    (await import('../engine/config.js')).applyConfigToEnv();
    const audio = (await import('./say-options.js')).sayAudioOptions(f);
    (await import('./session-options.js')).sessionOptionsFrom(f, () => 1); // checked only (a hit runs no session): a bad value is oclif's to report
    const { loadLexiconFor } = await import('./lexicon.js');
    const lexicon = await loadLexiconFor(f.lexicon);
    const env = process.env;
    const req = { text, voice: f.voice ?? env.TTS_VOICE, model: f.model, dtype: f.dtype ?? env.TTS_DTYPE, speed: f.speed ?? env.TTS_SPEED ?? '1', loudness: audio.loudness, sampleRate: audio.sampleRate, pauseMs: audio.pauseMs };
    const cacheDir = resolveCacheDir(f['cache-dir']);
    // The whole request as an earlier `say` left it: one read, nothing else loaded.
    const whole = await cachedWholeRequest(cacheDir, req, lexicon);
    if (whole) chunks = wholeChunks(text, whole);
    else {
      // Else every chunk from the cache, through the engine's output stage (without the model).
      const { Engine } = await loadEngine();
      const engine = new Engine({ cacheDir, wholeRequests: true, ...(lexicon ? { lexicon } : {}) });
      chunks = await engine.fromCache(req);
      close = () => engine.close(); // the whole request, stored for next time
    }
    format = audio.format;
  } catch {
    return false;
  }
  if (!chunks) return false;
  // Everything is cached, so there is no progress line to show (and stderr is not touched: the
  // stream it would need costs start-up time).
  const stream = chunks;
  // From here a failure is reported, not handed to oclif: that would play or write the audio again.
  const { explain, guardStdout, printError } = await import('./report.js');
  if (f.out === '-') guardStdout();
  try {
    if (f.out) await (await import('../engine/sinks/audio-out.js')).writeAudio(f.out, stream, { format });
    else {
      const device = f.device ?? process.env.TTS_DEVICE;
      await (await import('../engine/sinks/speaker.js')).playChunks(stream, device ? { device } : {});
    }
  } catch (err) {
    const known = explain(err);
    if (!known) throw err;
    printError(known);
    process.exit(1);
  }
  await close();
  return true;
}
