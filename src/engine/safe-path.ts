// Names that become paths: model ids, voice names, dtypes and file names come from catalogs,
// flags and requests, and each one ends up joined to a folder. Every such name is checked against
// a safe character set, and every path built from one is checked to stay inside its root, so a
// catalog entry "../../x.onnx", `--model ../../dir` or `piper:../../x` cannot reach outside the
// cache. Lookups by such names go through `own()`, never `obj[name]`, so `constructor` and
// `__proto__` are just unknown names.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TtsError, type ErrorCode } from './errors.js';

/** Letters, digits, `_`, `-`, `.` and `+`; starting with a letter or digit; at most 128 characters. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;

export function isSafeName(name: unknown): name is string {
  return typeof name === 'string' && SAFE_NAME.test(name) && !name.includes('..');
}

/** `name` itself when it is safe to use as one path component; else a TtsError saying what is allowed. */
export function safeName(name: unknown, what: string, code: ErrorCode = 'BAD_INPUT'): string {
  if (isSafeName(name)) return name;
  const shown = typeof name === 'string' ? JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name) : String(name);
  throw new TtsError(code, `${what} ${shown} is not a valid name.`, 'Names use letters, digits, "_", "-", "." and "+", start with a letter or digit, and contain no "..", "/" or "\\".');
}

/** True when `path` is `root` or inside it (after resolving `..`). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `root` joined with path components that are each a safe name, checked to stay inside `root`. */
export function joinInside(root: string, names: string[], what: string, code: ErrorCode = 'BAD_INPUT'): string {
  const path = join(root, ...names.map((n) => safeName(n, what, code)));
  if (!isInside(root, path)) throw new TtsError(code, `${what} ${JSON.stringify(names.join('/'))} leads outside ${root}.`, 'Use a plain name.');
  return path;
}

/** `obj[key]` only when it is the object's own property: no prototype names. */
export function own<T>(obj: Record<string, T> | undefined | null, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}
