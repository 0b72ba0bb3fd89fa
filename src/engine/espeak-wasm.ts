// espeak-ng compiled to WebAssembly (the `espeak-ng` npm package: the espeak-ng program with all
// of its language data inside, no native build, nothing downloaded at run time). It is the
// embedded offline voice, and the phonemizer for languages the `phonemizer` package lacks.
// The package runs the espeak-ng command line once per instance; the WebAssembly module is
// compiled once per process and each call gets a fresh, cheap instance.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TtsError } from './errors.js';

type EspeakFactory = (opts: Record<string, unknown>) => Promise<{ FS: { readFile(path: string, opts?: { encoding: 'utf8' }): Uint8Array & string } }>;

// The few WebAssembly calls used here (the lib settings of this project do not declare them).
type WasmModule = object;
type WasmInstance = object;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loaded: Promise<{ factory: EspeakFactory; module: WasmModule }> | undefined;

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('espeak-ng'));
}

function load(): Promise<{ factory: EspeakFactory; module: WasmModule }> {
  loaded ??= (async () => {
    const factory = (await import('espeak-ng')).default as unknown as EspeakFactory;
    const module = await WA.compile(readFileSync(join(packageDir(), 'espeak-ng.wasm')));
    return { factory, module };
  })();
  return loaded;
}

/** The installed espeak-ng package version: part of the cache identity of its audio. */
export function espeakVersion(): string {
  try {
    return `espeak-ng@${(JSON.parse(readFileSync(join(packageDir(), '..', 'package.json'), 'utf8')) as { version: string }).version}`;
  } catch {
    return 'espeak-ng@unknown';
  }
}

/** Runs `espeak-ng <args>` and returns the named output file. */
async function run(args: string[], outFile: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  const { factory, module } = await load();
  const errors: string[] = [];
  let status = 0;
  const instance = await factory({
    arguments: args,
    print: () => undefined,
    printErr: (s: string) => errors.push(s),
    // The program's exit status. Emscripten's default sets process.exitCode, which made a failed
    // espeak-ng run (an unknown voice) end the whole of tts with code 1 and no message.
    quit: (code: number, toThrow: unknown) => {
      status = code;
      throw toThrow;
    },
    instantiateWasm(imports: object, receive: (i: WasmInstance) => void) {
      void WA.instantiate(module, imports).then(receive);
      return {};
    },
  });
  const why = errors.join(' ').trim();
  const failed = (): TtsError => {
    if (/voice|language/i.test(why)) {
      return new TtsError('UNKNOWN_VOICE', `espeak-ng has no voice "${args[args.indexOf('-v') + 1]}".`, 'Use a language code such as en-us, en-gb, de, fr, es (see `tts voices --available`).');
    }
    return new TtsError('INTERNAL', `espeak-ng failed${status ? ` (exit status ${status})` : ''}${why ? `: ${why}` : ''}.`);
  };
  if (status !== 0) throw failed();
  try {
    return encoding ? instance.FS.readFile(outFile, { encoding }) : instance.FS.readFile(outFile);
  } catch {
    throw failed();
  }
}

/** Words per minute espeak-ng speaks at speed 1. */
export const ESPEAK_WPM = 175;

/** Synthesizes `text` with an espeak-ng voice; mono float samples at the returned rate. */
export async function espeakSynthesize(text: string, voice: string, speed: number): Promise<{ samples: Float32Array; sampleRate: number }> {
  const wav = Buffer.from((await run(['-w', 'out.wav', '-v', voice, '-s', String(Math.round(ESPEAK_WPM * speed)), '--', text], 'out.wav')) as Uint8Array);
  // espeak-ng writes a canonical 44-byte header, mono 16-bit PCM; its length fields are not
  // final when it streams, so the data is taken as everything after the header.
  const sampleRate = wav.readUInt32LE(24);
  const pcm = wav.subarray(44, 44 + ((wav.length - 44) & ~1));
  const samples = new Float32Array(pcm.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(i * 2) / 32768;
  return { samples, sampleRate };
}

/** espeak-ng's IPA for `text` (clauses joined by spaces), for any of its languages. */
export async function espeakPhonemes(text: string, voice: string): Promise<string> {
  return (await espeakPhonemeLines(text, voice)).join(' ');
}

/**
 * espeak-ng's IPA for `text`, one line per clause (a paragraph break also ends a clause); `tie`
 * joins the letters of multi-letter phonemes (`a^ɪ`), as misaki asks espeak-ng for them.
 */
export async function espeakPhonemeLines(text: string, voice: string, tie?: string): Promise<string[]> {
  const out = (await run(['-q', '--ipa', ...(tie ? [`--tie=${tie}`] : []), '--phonout', 'ph.txt', '-v', voice, '--', text], 'ph.txt', 'utf8')) as string;
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}
