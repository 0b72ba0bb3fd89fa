// The voice list behind `tts voices`: installed voices of every installed model, the built-in
// espeak-ng voice, and optionally the catalog's voices that can be downloaded.
import { ESPEAK_LISTED } from './backends/espeak.js';
import { loadCatalog } from './models/catalog.js';
import { installedVoices, listInstalledModels } from './models/installed.js';
import { resolveCacheDir } from './models/paths.js';
import { defaultModel } from './resolve.js';

export interface VoiceRow {
  voice: string;
  model: string;
  family: 'kokoro' | 'piper' | 'espeak';
  /** Ready to speak: installed, or built in. */
  installed: boolean;
  builtIn?: boolean;
  isDefault: boolean;
}

export function listVoices(opts: { cacheDir?: string; available?: boolean } = {}): VoiceRow[] {
  const cacheDir = resolveCacheDir(opts.cacheDir);
  const rows: VoiceRow[] = [];
  const seen = new Set<string>();
  let def: ReturnType<typeof defaultModel>;
  try {
    def = defaultModel(cacheDir);
  } catch {
    def = undefined;
  }
  for (const m of listInstalledModels(cacheDir)) {
    for (const v of installedVoices(m)) {
      const voice = m.manifest.family === 'piper' ? `piper:${v}` : v;
      const isDefault = def?.dir === m.dir && (m.manifest.family === 'piper' || v === (m.manifest.defaultVoice ?? installedVoices(m)[0]));
      rows.push({ voice, model: m.manifest.id, family: m.manifest.family, installed: true, isDefault });
      seen.add(`${m.manifest.id}/${voice}`);
    }
  }
  for (const lang of ESPEAK_LISTED) {
    rows.push({ voice: `espeak:${lang}`, model: 'espeak-ng', family: 'espeak', installed: true, builtIn: true, isDefault: false });
  }
  if (opts.available) {
    for (const m of loadCatalog().models) {
      const names = m.family === 'kokoro' ? Object.keys(m.voices?.sha256 ?? {}) : [`piper:${m.id}`];
      for (const voice of names) {
        if (!seen.has(`${m.id}/${voice}`)) rows.push({ voice, model: m.id, family: m.family, installed: false, isDefault: false });
      }
    }
  }
  return rows;
}
