// The voice list behind `tts voices`: installed voices of every installed model, the built-in
// espeak-ng voices, the catalog's voices, and every voice of Piper's published list — each with its
// language, gender, quality, sample rate, download size and whether it is ready to speak.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESPEAK_LISTED } from './backends/espeak.js';
import { KOKORO_LANGUAGE_TAGS } from './kokoro-languages.js';
import { loadCatalog, type CatalogModel } from './models/catalog.js';
import type { DownloadOptions } from './models/download.js';
import { installedVoices, listInstalledModels, type InstalledModel } from './models/installed.js';
import { resolveCacheDir } from './models/paths.js';
import { loadPiperList, type PiperVoiceInfo } from './models/piper-list.js';
import { defaultModel } from './resolve.js';

export interface VoiceRow {
  voice: string;
  model: string;
  family: 'kokoro' | 'piper' | 'espeak';
  /** e.g. en-US; '' when unknown. */
  language: string;
  gender: 'female' | 'male' | '';
  /** Piper: x_low, low, medium, high; Kokoro: neural; espeak: formant. */
  quality: string;
  sampleRate: number;
  /** Bytes to download for this voice (Kokoro: its voice pack; Piper: its model); 0 when built in. */
  size: number | null;
  /** Ready to speak: installed, or built in. */
  installed: boolean;
  builtIn?: boolean;
  isDefault: boolean;
}

export interface ListVoicesOptions {
  cacheDir?: string;
  /** Only voices that are ready to speak. */
  installedOnly?: boolean;
  /** Language prefix: `en` matches en-US and en-GB, `en-gb` only en-GB. */
  lang?: string;
  /** Fetch Piper's voice list when it is not in the cache yet (default: do not). */
  download?: DownloadOptions;
}

export interface VoiceList {
  rows: VoiceRow[];
  /** Why Piper's full list is missing, when it is. */
  piperListMissing?: string;
}

/** Kokoro names a voice by language and gender: af_heart is American English, female. */
function kokoroRow(voice: string, model: string, sampleRate: number, size: number | null, installed: boolean, isDefault: boolean): VoiceRow {
  const gender = voice[1] === 'f' ? 'female' : voice[1] === 'm' ? 'male' : '';
  return { voice, model, family: 'kokoro', language: KOKORO_LANGUAGE_TAGS[voice[0] ?? ''] ?? '', gender, quality: 'neural', sampleRate, size, installed, isDefault };
}

function piperLanguage(m: InstalledModel): { language: string; quality: string } {
  try {
    const c = JSON.parse(readFileSync(join(m.dir, m.manifest.config ?? ''), 'utf8')) as { language?: { code?: string }; espeak?: { voice?: string }; audio?: { quality?: string } };
    return { language: (c.language?.code ?? c.espeak?.voice ?? '').replace('_', '-'), quality: c.audio?.quality ?? '' };
  } catch {
    return { language: '', quality: '' };
  }
}

function piperRow(v: PiperVoiceInfo): VoiceRow {
  return { voice: `piper:${v.id}`, model: v.id, family: 'piper', language: v.language, gender: '', quality: v.quality, sampleRate: v.sampleRate, size: v.size, installed: false, isDefault: false };
}

function catalogRows(m: CatalogModel): VoiceRow[] {
  if (m.family === 'kokoro') return Object.keys(m.voices?.sha256 ?? {}).map((v) => kokoroRow(v, m.id, m.sampleRate, m.voices?.size ?? null, false, false));
  const lang = /^([a-z]{2,3})_([A-Z]{2})-/.exec(m.id);
  const quality = /-(x_low|low|medium|high)$/.exec(m.id)?.[1] ?? '';
  const size = m.variants[m.defaultDtype]?.size ?? null;
  return [{ voice: `piper:${m.id}`, model: m.id, family: 'piper', language: lang ? `${lang[1]}-${lang[2]}` : '', gender: '', quality, sampleRate: m.sampleRate, size, installed: false, isDefault: false }];
}

export function matchesLanguage(language: string, want: string): boolean {
  const a = language.toLowerCase().replace('_', '-');
  const b = want.toLowerCase().replace('_', '-');
  return a === b || a.startsWith(`${b}-`);
}

export async function listVoices(opts: ListVoicesOptions = {}): Promise<VoiceList> {
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
    const piper = m.manifest.family === 'piper' ? piperLanguage(m) : undefined;
    for (const v of installedVoices(m)) {
      const voice = piper ? `piper:${v}` : v;
      const isDefault = def?.dir === m.dir && (m.manifest.family === 'piper' || v === (m.manifest.defaultVoice ?? installedVoices(m)[0]));
      if (piper) rows.push({ voice, model: m.manifest.id, family: 'piper', language: piper.language, gender: '', quality: piper.quality, sampleRate: m.manifest.sampleRate, size: null, installed: true, isDefault });
      else rows.push(kokoroRow(voice, m.manifest.id, m.manifest.sampleRate, null, true, isDefault));
      seen.add(voice);
    }
  }
  for (const lang of ESPEAK_LISTED) {
    rows.push({ voice: `espeak:${lang}`, model: 'espeak-ng', family: 'espeak', language: lang, gender: '', quality: 'formant', sampleRate: 22050, size: 0, installed: true, builtIn: true, isDefault: false });
  }
  let piperListMissing: string | undefined;
  if (!opts.installedOnly) {
    const add = (r: VoiceRow): void => {
      if (seen.has(r.voice)) return;
      seen.add(r.voice);
      rows.push(r);
    };
    for (const m of loadCatalog().models) catalogRows(m).forEach(add);
    try {
      const list = await loadPiperList(cacheDir, opts.download ? { download: opts.download } : {});
      if (list) list.map(piperRow).forEach(add);
      else piperListMissing = 'not downloaded yet';
    } catch (err) {
      piperListMissing = (err as Error).message;
    }
  }
  return { rows: opts.lang ? rows.filter((r) => matchesLanguage(r.language, opts.lang!)) : rows, ...(piperListMissing ? { piperListMissing } : {}) };
}
