// The embedded espeak-ng voice as a model: what resolving a voice and cache keys need to know of it,
// apart from the backend (backends/espeak.ts), which loads the phonemizer and synthesizer.
import type { InstalledModel } from '../models/installed.js';

export const ESPEAK_SAMPLE_RATE = 22050;

/** The embedded voice presented as a model, so it resolves, caches and lists like the others. */
export const ESPEAK_MODEL: InstalledModel = {
  dir: '',
  manifest: {
    id: 'espeak-ng',
    family: 'espeak',
    sampleRate: ESPEAK_SAMPLE_RATE,
    defaultVoice: 'en-us',
    defaultDtype: 'wasm',
    variants: { wasm: '' },
    source: 'embedded',
    description: 'espeak-ng compiled to WebAssembly, built in (works offline)',
  },
};
