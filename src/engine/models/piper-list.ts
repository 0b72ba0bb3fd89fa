// Piper's full voice list: the voices.json that rhasspy/piper-voices publishes (one entry per voice:
// key, language, quality, speakers, and each file's path, size and md5). It is third-party data, so
// it is not in the package: the catalog names its pinned URL, it is downloaded into the cache folder
// on first use (<cache-dir>/catalog/piper-voices.json), and $TTS_PIPER_VOICES may name a local copy.
// Its voices become catalog models (`tts warm --model en_GB-alan-medium`, `--voice piper:…`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TtsError } from '../errors.js';
import { addCatalogModels, loadCatalog, type CatalogModel } from './catalog.js';
import { downloadFile, type DownloadOptions } from './download.js';

/** One entry of voices.json, as published. */
interface PublishedVoice {
  key: string;
  name: string;
  language: { code: string; family: string; region?: string; name_english?: string; country_english?: string };
  quality: string;
  num_speakers: number;
  speaker_id_map?: Record<string, number>;
  files: Record<string, { size_bytes: number; md5_digest: string }>;
  aliases?: string[];
}

export interface PiperVoiceInfo {
  id: string;
  /** BCP 47 style, e.g. en-US. */
  language: string;
  languageName: string;
  quality: string;
  sampleRate: number;
  speakers: number;
  /** Bytes of the .onnx file. */
  size: number;
  /** md5 of the .onnx file as published (Piper publishes md5, not sha256). */
  md5: string;
  model: CatalogModel;
}

/** Names that become paths (voice keys are model folder names) must be plain: no "/", no "..". */
const PLAIN_NAME = /^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*$/;
const plainPath = (path: string): boolean => path.split('/').every((seg) => PLAIN_NAME.test(seg));

/** Piper's training presets: x_low and low voices are 16 kHz, medium and high 22.05 kHz. */
const RATE_BY_QUALITY: Record<string, number> = { x_low: 16000, low: 16000, medium: 22050, high: 22050 };

export const piperListPath = (cacheDir: string): string => join(cacheDir, 'catalog', 'piper-voices.json');

/** The voices of a voices.json text; `base` is the URL its file paths are relative to. */
export function parsePiperList(text: string, base: string, source: string): PiperVoiceInfo[] {
  let data: Record<string, PublishedVoice>;
  try {
    data = JSON.parse(text) as Record<string, PublishedVoice>;
  } catch (err) {
    throw new TtsError('BAD_INPUT', `${source} is not Piper's voices.json: ${(err as Error).message}.`, `Delete it; it is downloaded again on next use.`);
  }
  const out: PiperVoiceInfo[] = [];
  for (const [key, v] of Object.entries(data ?? {})) {
    const files = Object.entries(v?.files ?? {});
    const onnx = files.find(([p]) => p.endsWith('.onnx'));
    const config = files.find(([p]) => p.endsWith('.onnx.json'));
    // An entry that is incomplete or whose names are not plain is skipped, never used as a path.
    if (!onnx || !config || !v.language?.code || !PLAIN_NAME.test(key) || !plainPath(onnx[0]) || !plainPath(config[0])) continue;
    const fileOf = ([path, f]: [string, { size_bytes: number }]) => ({ file: path.split('/').pop()!, url: `${base}/${path}`, size: f.size_bytes ?? null, sha256: null });
    const sampleRate = RATE_BY_QUALITY[v.quality] ?? 22050;
    const language = v.language.code.replace('_', '-');
    out.push({
      id: key,
      language,
      languageName: [v.language.name_english, v.language.country_english].filter(Boolean).join(', '),
      quality: v.quality,
      sampleRate,
      speakers: v.num_speakers ?? 1,
      size: onnx[1].size_bytes,
      md5: onnx[1].md5_digest,
      model: {
        id: key,
        family: 'piper',
        description: `Piper voice "${v.name}" (${language}, ${v.quality}${v.num_speakers > 1 ? `, ${v.num_speakers} speakers` : ''})`,
        sampleRate,
        defaultDtype: 'fp32',
        variants: { fp32: fileOf(onnx) },
        config: fileOf(config),
      },
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Piper's voice list: $TTS_PIPER_VOICES, else the copy in the cache folder, else (when `download`
 * is given) fetched from the catalog's pinned URL. Undefined when there is none and no download.
 * Its voices are added to the catalog.
 */
export async function loadPiperList(cacheDir: string, opts: { download?: DownloadOptions } = {}): Promise<PiperVoiceInfo[] | undefined> {
  const remote = loadCatalog().piperVoices;
  const local = process.env.TTS_PIPER_VOICES || piperListPath(cacheDir);
  if (!existsSync(local)) {
    if (!opts.download || !remote || process.env.TTS_PIPER_VOICES) return undefined;
    await downloadFile({ url: remote.url, dest: local, size: remote.size, sha256: remote.sha256 }, opts.download);
  }
  const base = remote ? remote.url.slice(0, remote.url.lastIndexOf('/')) : '';
  const voices = parsePiperList(readFileSync(local, 'utf8'), base, local);
  addCatalogModels(voices.map((v) => v.model));
  return voices;
}
