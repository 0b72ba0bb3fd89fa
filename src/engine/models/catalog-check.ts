// A catalog is data from a file anyone can point TTS_CATALOG at: before any of it is used, every
// name that becomes a path (model ids, dtypes, file names, voice names) must be a plain name and
// every URL http(s), so a hostile entry ("file": "../../../x.onnx") is refused as a whole.
import { TtsError } from '../errors.js';
import { isSafeName } from '../safe-path.js';
import type { Catalog } from './catalog.js';

function refuse(path: string, where: string, what: string): never {
  throw new TtsError('BAD_CATALOG', `The model catalog ${path} is not safe to use: ${where} ${what}.`, 'Names in a catalog use letters, digits, "_", "-", "." and "+" only; URLs are http(s). Fix the catalog or unset TTS_CATALOG.');
}

/** Every `file` and `url` anywhere in a model entry (variants, config, voices, lexicons…). */
function checkFiles(node: unknown, path: string, where: string): void {
  if (Array.isArray(node)) return node.forEach((x, i) => checkFiles(x, path, `${where}[${i}]`));
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'file' && !isSafeName(v)) refuse(path, `${where}.file`, `${JSON.stringify(v)} is not a plain file name`);
    if (k === 'url' && (typeof v !== 'string' || !/^https?:\/\//i.test(v))) refuse(path, `${where}.url`, `${JSON.stringify(v)} is not an http(s) URL`);
    if (k === 'sha256' && v && typeof v === 'object') {
      for (const name of Object.keys(v)) if (!isSafeName(name)) refuse(path, `${where}.sha256`, `names a voice ${JSON.stringify(name)}`);
    }
    checkFiles(v, path, `${where}.${k}`);
  }
}

export function checkCatalog(catalog: Catalog, path: string): void {
  if (!catalog || !Array.isArray(catalog.models)) refuse(path, 'the file', 'has no "models" list');
  for (const [i, m] of catalog.models.entries()) {
    const where = `models[${i}]`;
    if (!isSafeName(m?.id)) refuse(path, `${where}.id`, `${JSON.stringify(m?.id)} is not a plain name`);
    if (!m.variants || typeof m.variants !== 'object') refuse(path, `${where} (${m.id})`, 'has no variants');
    for (const dtype of Object.keys(m.variants)) if (!isSafeName(dtype)) refuse(path, `${where}.variants`, `names a variant ${JSON.stringify(dtype)}`);
    checkFiles(m, path, `${where} (${m.id})`);
  }
}
