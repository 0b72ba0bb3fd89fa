// Installs a catalog model into the cache directory: downloads what is missing (a model variant,
// voice packs, a Piper config), verifies what is there, and writes the folder's model.json.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TtsError } from '../errors.js';
import { joinInside, own } from '../safe-path.js';
import { catalogVoiceFile, findCatalogModel, loadCatalog, type CatalogModel, type RemoteFile } from './catalog.js';
import { downloadFile, type DownloadOptions } from './download.js';
import { fileIdentity } from './identity.js';
import { voicesInDir } from './local-source.js';
import { MANIFEST_FILE, readManifest, type InstalledModel, type ModelManifest } from './installed.js';
import { lexiconsFor, writeLexiconNotice } from './lexicons.js';
import { modelDir } from './paths.js';
import { defaultProviders } from '../session.js';

export interface InstallRequest {
  model: string;
  dtype?: string;
  /** Kokoro voices to make sure of (default: the model's default voice). */
  voices?: string[];
}

export interface InstallReport {
  model: InstalledModel;
  /** Files fetched now. */
  downloaded: string[];
  /** Files that were already there and checked out. */
  verified: string[];
}

export function requireCatalogModel(id: string): CatalogModel {
  const m = findCatalogModel(id);
  if (!m) {
    const known = loadCatalog().models.map((x) => x.id);
    throw new TtsError('UNKNOWN_MODEL', `Unknown model "${id}".`, `Known models: ${known.join(', ')}. Installed models are listed by \`tts voices\`.`);
  }
  return m;
}

/** Makes sure a file is present and, where the catalog knows its sha256, that it is the right one. */
async function ensureFile(remote: RemoteFile, dest: string, report: Pick<InstallReport, 'downloaded' | 'verified'>, opts: DownloadOptions): Promise<void> {
  if (existsSync(dest)) {
    const sha = await fileIdentity(dest);
    if (!remote.sha256 || sha === remote.sha256) {
      report.verified.push(dest);
      return;
    }
    // Wrong or damaged: move it aside and fetch the real one.
    await rename(dest, `${dest}.bad`);
  }
  const r = await downloadFile({ url: remote.url, dest, size: remote.size, sha256: remote.sha256 }, opts);
  (r.installedByOther ? report.verified : report.downloaded).push(dest);
}

export async function installModel(cacheDir: string, req: InstallRequest, opts: DownloadOptions = {}): Promise<InstallReport> {
  const entry = requireCatalogModel(req.model);
  const dtype = req.dtype ?? entry.defaultDtype;
  const variant = own(entry.variants, dtype);
  if (!variant) {
    throw new TtsError('UNKNOWN_DTYPE', `Model ${entry.id} has no "${dtype}" variant.`, `Choose one of: ${Object.keys(entry.variants).join(', ')}.`);
  }
  checkProviders(entry.id, dtype, variant);
  const dir = modelDir(cacheDir, entry.id);
  await mkdir(dir, { recursive: true });
  const files = { downloaded: [] as string[], verified: [] as string[] };

  // Every file and name is checked before anything is fetched.
  const wanted: [RemoteFile, string][] = [[variant, joinInside(dir, [variant.file], 'Catalog file')]];
  if (entry.config) wanted.push([entry.config, joinInside(dir, [entry.config.file], 'Catalog file')]);
  if (entry.family === 'kokoro') {
    const voices = req.voices?.length ? [...req.voices] : entry.defaultVoice ? [entry.defaultVoice] : [];
    if (opts.fromDir) voices.push(...voicesInDir(opts.fromDir, entry).filter((v) => !voices.includes(v)));
    for (const v of voices) {
      const remote = catalogVoiceFile(entry, v);
      if (!remote) {
        throw new TtsError('UNKNOWN_VOICE', `Model ${entry.id} has no voice "${v}".`, `Voices: ${Object.keys(entry.voices?.sha256 ?? {}).join(', ')}.`);
      }
      wanted.push([remote, joinInside(dir, ['voices', remote.file], 'Catalog file')]);
    }
    if (entry.lexicons) {
      const lexDir = join(dir, 'lexicons');
      await mkdir(lexDir, { recursive: true });
      for (const f of lexiconsFor(entry, voices)) await ensureFile(f, join(lexDir, f.file), files, opts);
      await writeLexiconNotice(entry, lexDir);
    }
  }
  for (const [remote, dest] of wanted) await ensureFile(remote, dest, files, opts);

  return { model: { dir, manifest: await writeManifest(dir, entry, dtype, variant.file) }, ...files };
}

/**
 * A variant meant for a GPU (fp16: slower than fp32 on CPU, and such exports have failed to load
 * at full optimization) is installed only where one of its providers is available.
 */
function checkProviders(id: string, dtype: string, variant: RemoteFile): void {
  if (!variant.providers?.length || process.env.TTS_ALLOW_ANY_PROVIDER === '1') return;
  const here = defaultProviders();
  if (variant.providers.some((p) => here.includes(p))) return;
  throw new TtsError(
    'UNKNOWN_DTYPE',
    `The ${dtype} variant of ${id} is meant for ${variant.providers.join(' or ')} (a GPU), which is not available here (${here.join(', ')}).`,
    'On a CPU use --dtype q8 (smallest and fastest) or fp32. TTS_ALLOW_ANY_PROVIDER=1 installs it anyway.',
  );
}

/** Adds the installed variant to the folder's model.json (creating it on first install). */
async function writeManifest(dir: string, entry: CatalogModel, dtype: string, file: string): Promise<ModelManifest> {
  const previous = existsSync(join(dir, MANIFEST_FILE)) ? readManifest(dir) : undefined;
  const manifest: ModelManifest = {
    id: entry.id,
    family: entry.family,
    sampleRate: entry.sampleRate,
    ...(entry.defaultVoice ? { defaultVoice: entry.defaultVoice } : {}),
    defaultDtype: previous?.defaultDtype ?? dtype,
    variants: { ...previous?.variants, [dtype]: file },
    ...(entry.config ? { config: entry.config.file } : {}),
    source: 'catalog',
    description: entry.description,
  };
  const tmp = join(dir, `${MANIFEST_FILE}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx' });
  await rename(tmp, join(dir, MANIFEST_FILE));
  return manifest;
}

