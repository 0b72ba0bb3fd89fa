// The embedded voice: espeak-ng in WebAssembly (espeak-wasm.ts). Formant synthesis — robotic, but
// it needs no model file and no network, so `tts say` can always speak. Voices are espeak-ng's
// languages: espeak:en-us, espeak:en-gb, espeak:de …
import { espeakPhonemes, espeakSynthesize, espeakVersion } from '../espeak-wasm.js';
import { plainWords } from '../text/pronunciation.js';
import type { Backend } from './backend.js';
import { ESPEAK_SAMPLE_RATE } from './espeak-model.js';

/** Languages listed by `tts voices`; espeak-ng knows about a hundred more (any of its codes works). */
export const ESPEAK_LISTED = ['en-us', 'en-gb', 'de', 'fr-fr', 'es', 'it', 'pt-br', 'nl', 'sv', 'pl', 'ru', 'hi', 'cmn', 'ja'];

export { espeakVersion };

export class EspeakBackend implements Backend {
  readonly family = 'espeak' as const;
  readonly sampleRate = ESPEAK_SAMPLE_RATE;
  readonly provider = 'wasm';
  readonly loadMs = 0;
  readonly threads = 1;

  voices(): string[] {
    return ESPEAK_LISTED;
  }

  async synthesize(text: string, voice: string, speed: number): Promise<Float32Array> {
    // espeak reads text: a phoneme override (in a neural model's alphabet) gives way to its word.
    const { samples, sampleRate } = await espeakSynthesize(plainWords(text), voice, speed);
    if (sampleRate !== this.sampleRate) throw new Error(`espeak-ng produced ${sampleRate} Hz audio, expected ${this.sampleRate}`);
    return samples;
  }

  async inspect(text: string, voice: string): Promise<{ phonemes: string; ids: number[][] }> {
    return { phonemes: await espeakPhonemes(plainWords(text), voice), ids: [] };
  }

  async close(): Promise<void> {}
}
