// Installed models: one folder per model under <cache-dir>/models, described by its model.json.
// Downloads write model.json; a generated or hand-placed model only needs one of its own.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { TtsError } from '../errors.js';
import { isSafeName } from '../safe-path.js';
import type { ModelFamily } from './catalog.js';
import { modelDir, modelsDir } from './paths.js';
import { NpzFile } from './npz.js';
import { folderNames, parsedFile, subfolderNames, whileUnchanged } from './unchanged-reads.js';

export interface ModelManifest {
  id: string;
  /** 'espeak' only for the built-in voice, which has no folder. */
  family: ModelFamily | 'espeak';
  sampleRate: number;
  defaultVoice?: string;
  defaultDtype: string;
  /** dtype → file name inside the model folder. */
  variants: Record<string, string>;
  /** Piper: the voice config file name. */
  config?: string;
  /** Kokoro: folder of voice packs, relative to the model folder (default "voices"). */
  voicesDir?: string;
  /** Kokoro: a NumPy .npz of voice packs (kokoro-onnx's voices-v1.0.bin), relative to the model folder. */
  voicesFile?: string;
  source?: 'catalog' | 'generated' | 'manual' | 'embedded';
  description?: string;
}

export interface InstalledModel {
  dir: string;
  manifest: ModelManifest;
}

export const MANIFEST_FILE = 'model.json';

/** The manifest in `text` (read from `path`), checked. */
function checkedManifest(path: string, text: string): ModelManifest {
  let m: ModelManifest;
  try {
    m = JSON.parse(text) as ModelManifest;
  } catch (err) {
    throw new TtsError('MODEL_CORRUPT', `Cannot read ${path}: ${(err as Error).message}`, 'Fix or delete that file, then run `tts warm` to reinstall the model.');
  }
  if (!m.id || (m.family !== 'kokoro' && m.family !== 'piper') || !m.variants || typeof m.variants !== 'object') {
    throw new TtsError('MODEL_CORRUPT', `${path} is not a valid model manifest (needs id, family "kokoro" or "piper", variants).`, 'Fix or delete that file, then run `tts warm` to reinstall the model.');
  }
  const names = [...Object.keys(m.variants), ...Object.values(m.variants), ...(m.config !== undefined ? [m.config] : []), ...(m.voicesDir !== undefined ? [m.voicesDir] : [])];
  const bad = names.find((n) => !isSafeName(n));
  if (bad !== undefined) {
    throw new TtsError('MODEL_CORRUPT', `${path} names ${JSON.stringify(bad)}, which is not a plain file name inside the model folder.`, 'Fix or delete that file, then run `tts warm` to reinstall the model.');
  }
  return Object.freeze(m);
}

/** The folder's model.json, checked (read again only when it changed); undefined when it has none. */
function manifestIn(dir: string): ModelManifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  try {
    return parsedFile('manifest', path, (text) => checkedManifest(path, text));
  } catch (err) {
    if (err instanceof TtsError) throw err;
    throw new TtsError('MODEL_CORRUPT', `Cannot read ${path}: ${(err as Error).message}`, 'Fix or delete that file, then run `tts warm` to reinstall the model.');
  }
}

export function readManifest(dir: string): ModelManifest {
  const m = manifestIn(dir);
  if (!m) throw new TtsError('MODEL_CORRUPT', `Cannot read ${join(dir, MANIFEST_FILE)}: it does not exist.`, 'Fix or delete that folder, then run `tts warm` to reinstall the model.');
  return m;
}

/** Every model folder with a model.json, sorted by id. */
export function listInstalledModels(cacheDir: string): InstalledModel[] {
  const root = modelsDir(cacheDir);
  const out: InstalledModel[] = [];
  for (const name of subfolderNames(root) ?? []) {
    const dir = join(root, name);
    const manifest = manifestIn(dir);
    if (manifest) out.push({ dir, manifest });
  }
  return out.sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
}

export function findInstalledModel(cacheDir: string, id: string): InstalledModel | undefined {
  const dir = modelDir(cacheDir, id);
  const manifest = manifestIn(dir);
  return manifest ? { dir, manifest } : undefined;
}

export function voicesDirOf(model: InstalledModel): string {
  return join(model.dir, model.manifest.voicesDir ?? 'voices');
}

/** A file that starts as a ZIP archive does (an .npz is one). */
function isZip(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(4);
      return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0x04034b50;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Kokoro: the .npz holding all voices, as kokoro-onnx ships them — the manifest's `voicesFile`, else
 * a `voices*.bin` / `voices*.npz` ZIP in the model folder (a user's kokoro-onnx download as it is).
 */
export function voicesArchiveOf(model: InstalledModel): string | undefined {
  if (model.manifest.voicesFile) return join(model.dir, model.manifest.voicesFile);
  const found = (folderNames(model.dir) ?? []).filter((f) => /^voices.*\.(bin|npz)$/i.test(f)).sort();
  return found.map((f) => join(model.dir, f)).find((f) => whileUnchanged('zip', f, isZip));
}

const archives = new Map<string, NpzFile>();

/** The voice archive opened once per process (its directory is read on open). */
export function openVoicesArchive(path: string): NpzFile {
  let npz = archives.get(path);
  if (!npz) {
    npz = NpzFile.open(path);
    archives.set(path, npz);
  }
  return npz;
}

/** The parts of a Piper voice config read before loading it. */
interface PiperConfigHead {
  speaker_id_map?: Record<string, number>;
  espeak?: { voice?: unknown };
}

/** A Piper voice's config (read again only when it changed), or undefined when it cannot be read: loading the voice reports why. */
export function piperConfigHead(model: InstalledModel): PiperConfigHead | undefined {
  if (!model.manifest.config) return undefined;
  try {
    return parsedFile('piper-config', join(model.dir, model.manifest.config), JSON.parse) as PiperConfigHead | undefined;
  } catch {
    return undefined;
  }
}

/** A Piper voice's speaker names (speaker_id_map), read from its config; [] for one-speaker voices. */
export function piperSpeakers(model: InstalledModel): string[] {
  return Object.keys(piperConfigHead(model)?.speaker_id_map ?? {});
}

/** Kokoro: the names of the voice packs present; Piper: the model itself, then `<model>:<speaker>` per speaker. */
export function installedVoices(model: InstalledModel): string[] {
  if (model.manifest.family === 'kokoro') {
    const dir = voicesDirOf(model);
    const files = (folderNames(dir) ?? []).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4));
    const archive = voicesArchiveOf(model);
    const packed = archive && existsSync(archive) ? openVoicesArchive(archive).names() : [];
    return [...new Set([...files, ...packed])].sort();
  }
  return [model.manifest.id, ...piperSpeakers(model).map((s) => `${model.manifest.id}:${s}`)];
}
