// The catalog of downloadable models (models/catalog.json in the package, or $TTS_CATALOG).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TtsError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { own } from '../safe-path.js';
import { checkCatalog } from './catalog-check.js';

export type ModelFamily = 'kokoro' | 'piper';

export interface RemoteFile {
  file: string;
  url: string;
  /** Bytes, when known in advance. */
  size: number | null;
  /** Hex sha256, when known in advance. */
  sha256: string | null;
  /** Execution providers the file is meant for (e.g. ["cuda"] for an fp16 export); any when absent. */
  providers?: string[];
}

export interface CatalogModel {
  id: string;
  family: ModelFamily;
  description: string;
  sampleRate: number;
  defaultVoice?: string;
  defaultDtype: string;
  /** dtype → file. */
  variants: Record<string, RemoteFile>;
  /** Piper: the voice config that goes with the model. */
  config?: RemoteFile;
  /** Kokoro: voice packs, one file per voice; `{voice}` in the URL is the voice name. */
  voices?: { url: string; size: number | null; sha256: Record<string, string> };
  /** Kokoro: misaki's English lexicons (us_gold.json …), installed with the model (models/lexicons.ts). */
  lexicons?: { source: string; license: string; files: RemoteFile[] };
}

export interface Catalog {
  version: number;
  default: string;
  models: CatalogModel[];
  /** Piper's published list of every voice (rhasspy/piper-voices voices.json), fetched at run time. */
  piperVoices?: RemoteFile;
}

let loaded: { path: string; catalog: Catalog } | undefined;

export function loadCatalog(): Catalog {
  const path = process.env.TTS_CATALOG || join(packageRoot(), 'models', 'catalog.json');
  if (loaded?.path === path) return loaded.catalog;
  let catalog: Catalog;
  try {
    catalog = JSON.parse(readFileSync(path, 'utf8')) as Catalog;
  } catch (err) {
    throw new TtsError('BAD_INPUT', `Cannot read the model catalog ${path}: ${(err as Error).message}`, 'Unset TTS_CATALOG to use the built-in catalog.');
  }
  checkCatalog(catalog, path);
  loaded = { path, catalog };
  return catalog;
}

/** Models known from lists fetched at run time (Piper's voices.json); the catalog file wins. */
const extraModels = new Map<string, CatalogModel>();

export function addCatalogModels(models: CatalogModel[]): void {
  for (const m of models) extraModels.set(m.id, m);
}

export function findCatalogModel(id: string): CatalogModel | undefined {
  return loadCatalog().models.find((m) => m.id === id) ?? extraModels.get(id);
}

/** The remote file of one voice of a Kokoro catalog model. */
export function catalogVoiceFile(model: CatalogModel, voice: string): RemoteFile | undefined {
  const sha = own(model.voices?.sha256, voice);
  if (!model.voices || !sha) return undefined;
  return { file: `${voice}.bin`, url: model.voices.url.replace('{voice}', encodeURIComponent(voice)), size: model.voices.size, sha256: sha };
}
