// The fast path of `tts say`: when every chunk of the text is already in the cache, speak it
// without loading oclif, onnxruntime, the model or the phonemizer. Anything else — a cache miss,
// --help, a flag this parser does not know, any error — returns false, and bin/run.js hands the
// same arguments to the oclif command, which does the full work and reports errors.
// SAY_FLAGS must name exactly the flags of commands/say.ts (a test holds them together).
import { parseArgs } from 'node:util';
import { readStdin } from './stdin.js';

export const SAY_FLAGS = {
  voice: { type: 'string', short: 'v' },
  model: { type: 'string', short: 'm' },
  dtype: { type: 'string' },
  speed: { type: 'string', short: 's' },
  out: { type: 'string', short: 'o' },
  lexicon: { type: 'string' },
  'cache-dir': { type: 'string' },
  cache: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
} as const;

export async function sayFromCache(argv: string[]): Promise<boolean> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: SAY_FLAGS, allowPositionals: true, strict: true });
  } catch {
    return false; // --help, --phonemes, --no-cache, typos: oclif's business
  }
  const { values: f, positionals } = parsed;
  try {
    const text = positionals.length ? positionals.join(' ') : process.stdin.isTTY ? '' : await readStdin();
    (await import('../engine/config.js')).applyConfigToEnv();
    const { Engine } = await import('../engine/engine.js');
    const { loadLexiconFor } = await import('./lexicon.js');
    const lexicon = await loadLexiconFor(f.lexicon);
    const engine = new Engine({ cacheDir: f['cache-dir'] ?? process.env.TTS_CACHE_DIR, ...(lexicon ? { lexicon } : {}) });
    const env = process.env;
    const chunks = await engine.fromCache({ text, voice: f.voice ?? env.TTS_VOICE, model: f.model, dtype: f.dtype ?? env.TTS_DTYPE, speed: f.speed ?? env.TTS_SPEED ?? '1' });
    if (!chunks) return false;
    const stream = (async function* () {
      yield* chunks;
    })();
    if (f.out === '-') await (await import('../engine/sinks/wav-file.js')).writeWavStdout(stream);
    else if (f.out) await (await import('../engine/sinks/wav-file.js')).writeWavFile(f.out, stream);
    else await (await import('../engine/sinks/speaker.js')).playChunks(stream);
    return true;
  } catch {
    return false;
  }
}
