// Which files of a catalog model are not on disk yet: what `tts warm` reports, all at once, when
// downloading fails (so an offline user can fetch every one by hand in one go).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogVoiceFile, findCatalogModel, type RemoteFile } from './catalog.js';
import type { InstallRequest } from './install.js';
import { modelDir } from './paths.js';
import { own } from '../safe-path.js';

export interface MissingFile extends RemoteFile {
  /** Where the file belongs. */
  dest: string;
}

export function missingFiles(cacheDir: string, req: InstallRequest): MissingFile[] {
  const entry = findCatalogModel(req.model);
  if (!entry) return [];
  const dir = modelDir(cacheDir, entry.id);
  const wanted: { remote: RemoteFile | undefined; dest: (f: string) => string }[] = [
    { remote: own(entry.variants, req.dtype ?? entry.defaultDtype), dest: (f) => join(dir, f) },
    { remote: entry.config, dest: (f) => join(dir, f) },
  ];
  if (entry.family === 'kokoro') {
    const voices = req.voices?.length ? req.voices : entry.defaultVoice ? [entry.defaultVoice] : [];
    for (const v of voices) wanted.push({ remote: catalogVoiceFile(entry, v), dest: (f) => join(dir, 'voices', f) });
  }
  return wanted.flatMap(({ remote, dest }) => (remote && !existsSync(dest(remote.file)) ? [{ ...remote, dest: dest(remote.file) }] : []));
}
