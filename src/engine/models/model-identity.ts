// What a voice's audio depends on among the files on disk: the sha256 of the model file (and of its
// config), and for Kokoro of each voice pack (its own file, or its member of a kokoro-onnx .npz
// archive); espeak-ng's build for the built-in voice. Part of every cache key.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { espeakVersion } from '../espeak-wasm.js';
import type { ResolvedVoice } from '../resolve.js';
import { TtsError } from '../errors.js';
import { fileIdentity } from './identity.js';
import { voicesArchiveOf, voicesDirOf } from './installed.js';

/** The recorded sha256 of one file (see identity.ts), with a clear error when it is missing. */
export function recordedFileIdentity(file: string): Promise<string> {
  return fileIdentity(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new TtsError('MODEL_MISSING', `File ${file} is missing.`, 'Run `tts warm` to download it again.');
    throw err;
  });
}

/** The identity of a resolved voice; `identityOf` gives each file's (a caller may memoize it). */
export function modelIdentity(rv: ResolvedVoice, identityOf: (file: string) => Promise<string> = recordedFileIdentity): Promise<string> {
  if (rv.family === 'espeak') return Promise.resolve(espeakVersion());
  const files = [join(rv.model.dir, rv.modelFile)];
  if (rv.model.manifest.config) files.push(join(rv.model.dir, rv.model.manifest.config));
  const ids = files.map((f) => identityOf(f));
  if (rv.family === 'kokoro') {
    for (const name of rv.blend?.map((p) => p.name) ?? [rv.voice]) {
      const pack = join(voicesDirOf(rv.model), `${name}.bin`);
      const archive = existsSync(pack) ? undefined : voicesArchiveOf(rv.model);
      ids.push(archive ? identityOf(archive).then((id) => `${id}#${name}`) : identityOf(pack));
    }
  }
  return Promise.all(ids).then((all) => all.join('+'));
}
