// Downloads one file: resumable (a `.part` file and an HTTP Range request), verified (size and
// sha256 when known), atomic (the file appears under its name only once it is whole and right),
// with a progress bar on a TTY. Transfers that break are resumed a few times before giving up;
// a later call resumes from the `.part` file as well.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { TtsError } from '../errors.js';
import { diskError } from '../system-error.js';
import { recordIdentity } from './identity.js';

export interface DownloadSpec {
  url: string;
  dest: string;
  size?: number | null;
  sha256?: string | null;
}

export interface DownloadOptions {
  /** Show a progress bar on stderr (only when stderr is a TTY). */
  progress?: boolean;
  /** Further attempts after a broken transfer, each resuming where the last stopped. */
  retries?: number;
  /** Give up on a connection that sends nothing for this long. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** Bytes that were already there from an earlier, interrupted transfer. */
  resumedFrom: number;
}

const partPath = (dest: string): string => `${dest}.part`;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function manualHint(spec: DownloadSpec): string {
  const sha = spec.sha256 ? ` (sha256 ${spec.sha256})` : '';
  return `To install it by hand, fetch ${spec.url} on a machine that can reach it and copy it to ${spec.dest}${sha}; then run \`tts warm\` to verify it.`;
}

export async function downloadFile(spec: DownloadSpec, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const retries = opts.retries ?? 3;
  await mkdir(dirname(spec.dest), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      return await attemptDownload(spec, opts);
    } catch (err) {
      if (err instanceof TtsError || opts.signal?.aborted) throw err;
      lastError = err;
      if (unreachable(err)) break; // no server to resume from: retrying only makes the user wait
      if (attempt < retries) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
  const reason = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
  throw new TtsError('DOWNLOAD_FAILED', `Could not download ${basename(spec.dest)} from ${spec.url}: ${reason}.`, manualHint(spec));
}

function unreachable(err: unknown): boolean {
  const code = ((err as { cause?: { code?: string } }).cause ?? (err as { code?: string }))?.code;
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNREFUSED';
}

async function attemptDownload(spec: DownloadSpec, opts: DownloadOptions): Promise<DownloadResult> {
  const part = partPath(spec.dest);
  let have = await sizeOf(part);
  if (spec.size != null && have > spec.size) {
    await rm(part, { force: true });
    have = 0;
  }
  const idle = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, idle.signal]) : idle.signal;
  let timer: NodeJS.Timeout | undefined;
  const poke = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new Error('connection idle for too long')), opts.idleTimeoutMs ?? 30_000);
  };
  poke();
  try {
    const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
    const res = await fetch(spec.url, { headers, signal, redirect: 'follow' });
    if (res.status === 416 && have > 0) {
      // The part file already holds everything the server has: verify it as it is.
      await res.body?.cancel();
      return await finish(spec, part, have);
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new TtsError('DOWNLOAD_FAILED', `Could not download ${basename(spec.dest)} from ${spec.url}: HTTP ${res.status} ${res.statusText}.`, manualHint(spec));
    }
    const resuming = res.status === 206 && have > 0;
    const hash = createHash('sha256');
    if (resuming) await hashExisting(part, hash);
    else have = 0;
    const total = spec.size ?? (Number(res.headers.get('content-length')) || 0) + have;
    const bar = await progressBar(opts.progress ?? false, basename(spec.dest), total, have);
    const out = createWriteStream(part, { flags: resuming ? 'a' : 'w' });
    let writeError: Error | undefined; // a full disk: reported as such, not retried, .part removed
    out.on('error', (err) => (writeError ??= err));
    let received = have;
    try {
      if (res.body) {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          if (writeError) break;
          poke();
          hash.update(chunk);
          received += chunk.byteLength;
          if (!out.write(chunk)) await drainOrClose(out);
          bar?.update(received);
        }
      }
    } finally {
      if (writeError) out.destroy();
      else await closeStream(out).catch((err: Error) => void (writeError ??= err));
      bar?.stop();
    }
    if (writeError) {
      await rm(part, { force: true });
      throw diskError(writeError, part) ?? writeError;
    }
    return await finish(spec, part, received, hash.digest('hex'), resuming ? have : 0);
  } finally {
    clearTimeout(timer);
  }
}

async function finish(
  spec: DownloadSpec,
  part: string,
  bytes: number,
  sha?: string,
  resumedFrom = 0,
): Promise<DownloadResult> {
  if (spec.size != null && bytes < spec.size) {
    throw new Error(`transfer ended after ${bytes} of ${spec.size} bytes`); // retried, resuming
  }
  const sha256 = sha ?? (await hashFile(part));
  const wrongSize = spec.size != null && bytes !== spec.size;
  const wrongHash = spec.sha256 != null && sha256 !== spec.sha256.toLowerCase();
  if (wrongSize || wrongHash) {
    await rm(part, { force: true });
    const what = wrongHash ? `sha256 ${sha256}, expected ${spec.sha256}` : `${bytes} bytes, expected ${spec.size}`;
    throw new TtsError('CHECKSUM_MISMATCH', `Downloaded ${basename(spec.dest)} from ${spec.url} is not the expected file (${what}); it was deleted.`, `Try again; if it keeps failing the server is serving a different file. ${manualHint(spec)}`);
  }
  await rename(part, spec.dest);
  await recordIdentity(spec.dest, sha256);
  return { sha256, bytes, resumedFrom };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashExisting(path, hash);
  return hash.digest('hex');
}

/** Resolves when `out` wants more, or has closed (a write error destroys it: no drain will come). */
function drainOrClose(out: WriteStream): Promise<void> {
  return new Promise((res) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      res();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

function closeStream(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

interface Bar {
  update(n: number): void;
  stop(): void;
}

async function progressBar(enabled: boolean, label: string, total: number, start: number): Promise<Bar | undefined> {
  if (!enabled || !process.stderr.isTTY || total <= 0) return undefined;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value_mb}/{total_mb} MB | {speed} MB/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  bar.start(total, start, { value_mb: mb(start), total_mb: mb(total), speed: '0.0' });
  return {
    update: (n) => bar.update(n, { value_mb: mb(n), speed: ((n - start) / 1e3 / Math.max(1, Date.now() - t0)).toFixed(1) }),
    stop: () => bar.stop(),
  };
}
