// A model file's identity is its sha256. Hashing 300 MB on every run would cost a second, so the
// hash is kept beside the file (`<file>.sha256`, with the size and mtime it was computed for) and
// recomputed only when the file changes.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile, rename } from 'node:fs/promises';

interface Sidecar {
  sha256: string;
  size: number;
  mtimeMs: number;
}

export const sidecarPath = (file: string): string => `${file}.sha256`;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Records `sha256` as the identity of `file` as it is now. */
export async function recordIdentity(file: string, sha256: string): Promise<void> {
  const st = await stat(file);
  const body: Sidecar = { sha256, size: st.size, mtimeMs: st.mtimeMs };
  // An unpredictable name, created exclusively: a link planted in the cache is never written through.
  const tmp = `${sidecarPath(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  await writeFile(tmp, JSON.stringify(body) + '\n', { flag: 'wx' });
  await rename(tmp, sidecarPath(file));
}

/** The recorded sha256 of `file` if the record still matches the file, else undefined. */
export async function recordedIdentity(file: string): Promise<string | undefined> {
  try {
    const [st, raw] = await Promise.all([stat(file), readFile(sidecarPath(file), 'utf8')]);
    const s = JSON.parse(raw) as Sidecar;
    return s.size === st.size && s.mtimeMs === st.mtimeMs && /^[0-9a-f]{64}$/.test(s.sha256) ? s.sha256 : undefined;
  } catch {
    return undefined;
  }
}

/** The sha256 of `file`, from its record when valid, else computed and recorded. */
export async function fileIdentity(file: string): Promise<string> {
  const known = await recordedIdentity(file);
  if (known) return known;
  const sha = await sha256File(file);
  await recordIdentity(file, sha).catch(() => undefined); // a read-only folder just means no record
  return sha;
}
