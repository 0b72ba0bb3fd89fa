// Downloads one file into the cache, safely:
// - one process at a time per file (a lock that works across processes), and a file another
//   process finished meanwhile is used, not fetched again;
// - bounded: a connect timeout, a response timeout and a stall detector (so an unreachable or
//   stalled host fails within seconds), bytes capped at the declared size, and an overall
//   deadline scaled to the size;
// - resumable: a `.part` file and a Range request with If-Range (the ETag or Last-Modified seen
//   first), so a file that changed upstream is never spliced from two versions;
// - verified on disk: size and sha256 of the file as written, checked before it is renamed into
//   place; a file without a known sha256 must at least look like what it claims to be;
// - `.part` files opened without following symlinks, so a planted link cannot redirect a write.
// `opts.fromDir` installs from a local folder instead, with the same checks.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { lstat, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { TtsError } from '../errors.js';
import { diskError } from '../system-error.js';
import { fileProblem, isHtmlContentType } from './content-check.js';
import { downloadProgress, type DownloadProgress } from './download-progress.js';
import { fileIdentity, recordIdentity } from './identity.js';
import { localCandidates } from './local-source.js';
import { httpClient, isOffline, type HttpClient } from './net.js';

export interface DownloadSpec {
  url: string;
  dest: string;
  size?: number | null;
  sha256?: string | null;
}

export interface DownloadOptions {
  /** Show progress on stderr: a bar on a terminal, else a line every few seconds. */
  progress?: boolean;
  /** Further attempts after a transfer that broke after making progress, each resuming. */
  retries?: number;
  /** Give up on a host that does not accept the connection within this (default 4 s). */
  connectTimeoutMs?: number;
  /** Give up when no response headers arrive within this after the request starts (default 6 s). */
  responseTimeoutMs?: number;
  /** Stall detector: give up when fewer than `stallBytes` (default 1 KiB) arrive in any `stallMs` (default 8 s). */
  stallMs?: number;
  stallBytes?: number;
  /** Overall deadline: `deadlineBaseMs` (default 60 s) plus the size at `minBytesPerSecond` (default 64 KiB/s). */
  deadlineBaseMs?: number;
  minBytesPerSecond?: number;
  /** Cap for a file whose size the catalog does not declare (default 2 GiB). */
  maxUnknownBytes?: number;
  /** Make no network call (also TTS_OFFLINE=1). */
  offline?: boolean;
  /** Take files from this local folder instead of the network (`tts warm --from DIR`). */
  fromDir?: string;
  signal?: AbortSignal;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** Bytes that were already there from an earlier, interrupted transfer. */
  resumedFrom: number;
  /** True when another process installed the file while this one waited for the lock. */
  installedByOther?: boolean;
}

const KiB = 1024;
const defaults = {
  retries: 3,
  connectTimeoutMs: 4000,
  responseTimeoutMs: 6000,
  stallMs: 8000,
  stallBytes: KiB,
  deadlineBaseMs: 60_000,
  minBytesPerSecond: 64 * KiB,
  maxUnknownBytes: 2 * KiB ** 3,
};

const partPath = (dest: string): string => `${dest}.part`;
const metaPath = (dest: string): string => `${dest}.part.meta`;

/** Where a resumable transfer came from: a resume is only made against the same validator. */
interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

/** A failure after which trying again (resuming) makes sense. */
class Retryable extends Error {}

function manualHint(spec: DownloadSpec): string {
  const sha = spec.sha256 ? ` (sha256 ${spec.sha256})` : '';
  return `To install it by hand, fetch ${spec.url} on a machine that can reach it and copy it to ${spec.dest}${sha}, or put it in a folder and run \`tts warm --from DIR\`.`;
}

function failed(spec: DownloadSpec, reason: string, hint = manualHint(spec)): TtsError {
  return new TtsError('DOWNLOAD_FAILED', `Could not download ${basename(spec.dest)} from ${spec.url}: ${reason}.`, hint);
}

/** The overall time allowed for `size` bytes. */
export function deadlineFor(size: number | null | undefined, opts: DownloadOptions = {}): number {
  const rate = opts.minBytesPerSecond ?? defaults.minBytesPerSecond;
  const bytes = size ?? opts.maxUnknownBytes ?? defaults.maxUnknownBytes;
  return (opts.deadlineBaseMs ?? defaults.deadlineBaseMs) + (bytes / rate) * 1000;
}

export async function downloadFile(spec: DownloadSpec, opts: DownloadOptions = {}): Promise<DownloadResult> {
  await mkdir(dirname(spec.dest), { recursive: true });
  const deadlineMs = deadlineFor(spec.size, opts);
  const release = await lockFile(spec, deadlineMs);
  try {
    const done = await alreadyInstalled(spec);
    if (done) return done;
    if (opts.fromDir) return await copyFromDir(spec, opts.fromDir);
    if (isOffline(opts.offline)) throw failed(spec, 'offline mode (--offline or TTS_OFFLINE) allows no network access', manualHint(spec));
    return await downloadWithRetries(spec, opts, deadlineMs);
  } finally {
    await release();
  }
}

/** Takes the per-file lock, waiting while another process holds it (at most the download deadline). */
async function lockFile(spec: DownloadSpec, waitMs: number): Promise<() => Promise<void>> {
  const mod = await import('proper-lockfile');
  const lockfile = (mod as unknown as { default?: typeof mod }).default ?? mod;
  let compromised: Error | undefined;
  try {
    const release = await lockfile.lock(spec.dest, {
      realpath: false,
      lockfilePath: `${spec.dest}.lock`,
      stale: 20_000,
      update: 5_000,
      retries: { retries: Math.ceil(waitMs / 500), minTimeout: 100, maxTimeout: 500, factor: 1.5 },
      onCompromised: (err) => (compromised = err),
    });
    return async () => {
      if (compromised) return;
      await release().catch(() => undefined);
    };
  } catch (err) {
    throw new TtsError('DOWNLOAD_FAILED', `Could not lock ${spec.dest} for download: ${(err as Error).message}.`, `Another tts process is installing it; wait for it, or delete ${spec.dest}.lock if no tts process is running.`);
  }
}

/** The file as another process left it, when it is complete and right. */
async function alreadyInstalled(spec: DownloadSpec): Promise<DownloadResult | undefined> {
  let st;
  try {
    st = await lstat(spec.dest);
  } catch {
    return undefined;
  }
  if (st.isFile()) {
    const sizeOk = spec.size == null || st.size === spec.size;
    const sha = sizeOk ? await fileIdentity(spec.dest) : '';
    if (sizeOk && (!spec.sha256 || sha === spec.sha256.toLowerCase())) return { sha256: sha, bytes: st.size, resumedFrom: 0, installedByOther: true };
  }
  // Wrong, damaged, or not a plain file: move it aside and fetch the real one.
  await rename(spec.dest, `${spec.dest}.bad`);
  return undefined;
}

async function downloadWithRetries(spec: DownloadSpec, opts: DownloadOptions, deadlineMs: number): Promise<DownloadResult> {
  const retries = opts.retries ?? defaults.retries;
  const connectTimeoutMs = opts.connectTimeoutMs ?? defaults.connectTimeoutMs;
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(new Error(`no complete transfer within the deadline of ${Math.round(deadlineMs / 1000)} s for its size`)), deadlineMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  const client = await httpClient(Math.min(connectTimeoutMs, opts.responseTimeoutMs ?? defaults.responseTimeoutMs));
  const progress = opts.progress ? { bar: undefined as DownloadProgress | undefined } : undefined;
  let lastError: unknown;
  try {
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        return await attemptDownload(spec, opts, client, signal, progress);
      } catch (err) {
        if (err instanceof TtsError || opts.signal?.aborted) throw err;
        lastError = err;
        if (deadline.signal.aborted || !(err instanceof Retryable)) break;
        if (attempt < retries) await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  } finally {
    clearTimeout(deadlineTimer);
    progress?.bar?.stop();
    await client.close();
  }
  const reason = deadline.signal.aborted ? String((deadline.signal.reason as Error).message) : reasonOf(lastError);
  const proxy = proxyFor(spec.url);
  throw failed(spec, proxy ? `${reason}; a proxy is set in the environment: ${proxy} (NO_PROXY exempts hosts)` : reason);
}

/** The proxy the environment names for `url` (before NO_PROXY), for error messages. */
function proxyFor(url: string): string | undefined {
  const e = process.env;
  const https = url.startsWith('https:');
  return (https ? (e.https_proxy ?? e.HTTPS_PROXY) : undefined) ?? e.http_proxy ?? e.HTTP_PROXY ?? undefined;
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = (cause as { code?: string } | undefined)?.code ?? (err as { code?: string }).code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'the host did not accept a connection in time (unreachable or filtered network)';
  return (cause?.message ?? err.message).replace(/\.$/, '');
}

/** Size of the `.part` file when it is a plain file; a planted symlink or other odd entry is removed. */
async function partSize(part: string): Promise<number> {
  try {
    const st = await lstat(part);
    if (st.isFile()) return st.size;
    await rm(part, { force: true }); // a symlink is removed, never followed
    return 0;
  } catch {
    return 0;
  }
}

async function readMeta(dest: string): Promise<PartMeta | undefined> {
  try {
    const fh = await open(metaPath(dest), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return JSON.parse(await fh.readFile('utf8')) as PartMeta;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

async function writeNoFollow(path: string, data: string): Promise<void> {
  await rm(path, { force: true });
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}

async function discardPart(dest: string): Promise<void> {
  await rm(partPath(dest), { force: true });
  await rm(metaPath(dest), { force: true });
}

/** The resume validator: a strong ETag (weak ones cannot be used with If-Range), else Last-Modified. */
function validatorOf(h: Headers): Omit<PartMeta, 'url'> {
  const etag = h.get('etag');
  const lastModified = h.get('last-modified');
  return { ...(etag && !etag.startsWith('W/') ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function sameValidator(a: Omit<PartMeta, 'url'>, b: Omit<PartMeta, 'url'>): boolean {
  if (a.etag || b.etag) return a.etag === b.etag;
  return a.lastModified === b.lastModified;
}

async function attemptDownload(
  spec: DownloadSpec,
  opts: DownloadOptions,
  client: HttpClient,
  outer: AbortSignal,
  progress: { bar: DownloadProgress | undefined } | undefined,
): Promise<DownloadResult> {
  const { dest } = spec;
  const part = partPath(dest);
  const cap = spec.size ?? opts.maxUnknownBytes ?? defaults.maxUnknownBytes;
  let have = await partSize(part);
  const prev = have > 0 ? await readMeta(dest) : undefined;
  // Resume only what is known to be the same file: the same URL, and a validator to send with
  // If-Range or a sha256 that will catch a splice anyway.
  if (have > 0 && ((prev && prev.url !== spec.url) || (!prev?.etag && !prev?.lastModified && !spec.sha256) || have > cap)) {
    await discardPart(dest);
    have = 0;
  }
  if (have > 0 && spec.size != null && have === spec.size) {
    // Whole already: verify it; a wrong one (left by another version) is discarded and fetched anew.
    try {
      return await finish(spec, have);
    } catch (err) {
      if (!(err instanceof TtsError) || err.code !== 'CHECKSUM_MISMATCH') throw err;
      throw new Retryable('the partial file left by an earlier run was not the expected file; starting over');
    }
  }

  const abort = new AbortController();
  const signal = AbortSignal.any([outer, abort.signal]);
  const responseTimer = setTimeout(() => abort.abort(new Error('the host accepted the connection but sent no response in time (stalled network or server)')), opts.responseTimeoutMs ?? defaults.responseTimeoutMs);
  let stallTimer: NodeJS.Timeout | undefined;
  let fh: FileHandle | undefined;
  let received = have;
  let progressed = false;
  try {
    const headers: Record<string, string> = {};
    if (have > 0) {
      headers.Range = `bytes=${have}-`;
      const v = prev?.etag ?? prev?.lastModified;
      if (v) headers['If-Range'] = v;
    }
    let res: Response;
    try {
      res = await client.fetch(spec.url, { headers, signal });
    } catch (err) {
      throw signal.aborted ? new Error((signal.reason as Error)?.message ?? 'aborted', { cause: err }) : err;
    } finally {
      clearTimeout(responseTimer);
    }
    if (res.status === 416 && have > 0) {
      // The server has no bytes past ours: the part is stale or whole. Start over.
      await res.body?.cancel();
      await discardPart(dest);
      throw new Retryable('the server refused the resume range (416); starting over');
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw failed(spec, `HTTP ${res.status} ${res.statusText}`);
    }
    if (isHtmlContentType(res.headers.get('content-type')) && !/\.html?$/i.test(dest)) {
      await res.body?.cancel();
      throw failed(spec, `the server sent a web page (Content-Type ${res.headers.get('content-type')}), not the file`, `The URL may need a login, or a proxy or captive portal is answering instead of the server. ${manualHint(spec)}`);
    }
    const now = validatorOf(res.headers);
    let resuming = false;
    if (res.status === 206) {
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      const validatorChanged = have > 0 && prev && (now.etag || now.lastModified) && !sameValidator(prev, now);
      if (!m || Number(m[1]) !== have || validatorChanged) {
        // The server ignored If-Range (or answered another range): splicing would mix versions.
        await res.body?.cancel();
        await discardPart(dest);
        throw new Retryable(validatorChanged ? 'the file changed on the server since the transfer began (new ETag/Last-Modified); starting over' : 'the server answered a different range; starting over');
      }
      resuming = have > 0;
    }
    if (!resuming) have = 0;
    const announced = Number(res.headers.get('content-length'));
    if (Number.isFinite(announced) && announced > 0 && have + announced > cap) {
      await res.body?.cancel();
      await discardPart(dest);
      throw failed(spec, `the server announces ${have + announced} bytes for a file ${spec.size != null ? `declared as ${spec.size} bytes` : `capped at ${cap} bytes`}`, `The server is serving a different file. ${manualHint(spec)}`);
    }
    await writeNoFollow(metaPath(dest), JSON.stringify({ url: spec.url, ...now } satisfies PartMeta) + '\n');
    fh = await open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (resuming ? constants.O_APPEND : constants.O_TRUNC), 0o644);
    received = have;
    const total = spec.size ?? (Number.isFinite(announced) && announced > 0 ? announced + have : 0);
    if (progress) progress.bar ??= await downloadProgress(basename(dest), total, have);

    // Stall detector: a transfer that delivers less than stallBytes in a window is given up.
    const stallMs = opts.stallMs ?? defaults.stallMs;
    const stallBytes = opts.stallBytes ?? defaults.stallBytes;
    let mark = received;
    stallTimer = setInterval(() => {
      if (received - mark < stallBytes) abort.abort(new Error(`the transfer stalled (under ${stallBytes} bytes in ${stallMs / 1000} s)`));
      mark = received;
    }, stallMs);

    try {
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          if (received + chunk.byteLength > cap) {
            await fh.write(chunk.subarray(0, cap - received));
            received = cap;
            await fh.close();
            fh = undefined;
            await discardPart(dest);
            throw failed(spec, `the server sent more than the ${spec.size != null ? `declared ${spec.size}` : `allowed ${cap}`} bytes`, `The server is serving a different file; nothing was kept. ${manualHint(spec)}`);
          }
          await fh.write(chunk);
          received += chunk.byteLength;
          if (chunk.byteLength > 0) progressed = true;
          progress?.bar?.update(received);
        }
      }
    } catch (err) {
      if (err instanceof TtsError) throw err;
      const disk = diskError(err, part); // a full or read-only disk: retrying cannot help
      if (disk) {
        await fh?.close().catch(() => undefined);
        fh = undefined;
        await discardPart(dest);
        throw disk;
      }
      const why = signal.aborted ? ((signal.reason as Error)?.message ?? 'aborted') : reasonOf(err);
      if (progressed && !outer.aborted) throw new Retryable(why, { cause: err });
      throw new Error(why, { cause: err });
    }
    await fh.close();
    fh = undefined;
    if (spec.size != null && received < spec.size) {
      const msg = `transfer ended after ${received} of ${spec.size} bytes`;
      throw progressed ? new Retryable(msg) : new Error(msg);
    }
    return await finish(spec, resuming ? have : 0);
  } finally {
    clearTimeout(responseTimer);
    clearInterval(stallTimer);
    await fh?.close().catch(() => undefined);
  }
}

/** Hashes a file on disk without following a symlink. */
async function hashNoFollow(path: string): Promise<{ sha256: string; bytes: number }> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of fh.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Verifies the `.part` file as it is on disk, then renames it into place. */
async function finish(spec: DownloadSpec, resumedFrom: number): Promise<DownloadResult> {
  const part = partPath(spec.dest);
  const { sha256, bytes } = await hashNoFollow(part);
  const wrongSize = spec.size != null && bytes !== spec.size;
  const wrongHash = spec.sha256 != null && sha256 !== spec.sha256.toLowerCase();
  if (wrongSize || wrongHash) {
    await discardPart(spec.dest);
    const what = wrongHash ? `sha256 ${sha256}, expected ${spec.sha256}` : `${bytes} bytes, expected ${spec.size}`;
    throw new TtsError('CHECKSUM_MISMATCH', `Downloaded ${basename(spec.dest)} from ${spec.url} is not the expected file (${what}); it was deleted.`, `Try again; if it keeps failing the server is serving a different file. ${manualHint(spec)}`);
  }
  if (!spec.sha256) {
    const problem = await fileProblem(basename(spec.dest), part);
    if (problem) {
      await discardPart(spec.dest);
      throw failed(spec, `the file received cannot be ${basename(spec.dest)}: ${problem}; it was deleted (the catalog gives no sha256 to verify it)`);
    }
  }
  await rename(part, spec.dest);
  await rm(metaPath(spec.dest), { force: true });
  await recordIdentity(spec.dest, sha256);
  return { sha256, bytes, resumedFrom };
}

async function copyFromDir(spec: DownloadSpec, dir: string): Promise<DownloadResult> {
  const candidates = localCandidates(dir, spec);
  let source: string | undefined;
  for (const c of candidates) {
    try {
      if ((await stat(c)).isFile()) {
        source = c;
        break;
      }
    } catch {
      /* next */
    }
  }
  if (!source) {
    throw new TtsError('MODEL_MISSING', `${basename(spec.dest)} is not in ${dir}.`, `Put it there (looked for ${candidates.join(', ')})${spec.sha256 ? `; its sha256 must be ${spec.sha256}` : ''}. It is published at ${spec.url}.`);
  }
  const cap = spec.size ?? defaults.maxUnknownBytes;
  const size = (await stat(source)).size;
  if (size > cap) throw new TtsError('CHECKSUM_MISMATCH', `${source} is ${size} bytes, but ${basename(spec.dest)} is ${cap} bytes.`, 'It is another file; copy the right one.');
  await discardPart(spec.dest);
  const fh = await open(partPath(spec.dest), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    for await (const chunk of createReadStream(source)) await fh.write(chunk as Buffer);
  } finally {
    await fh.close();
  }
  try {
    return await finish({ ...spec, url: source }, 0);
  } catch (err) {
    if (err instanceof TtsError && err.code === 'CHECKSUM_MISMATCH') throw new TtsError('CHECKSUM_MISMATCH', err.message.replace(/^Downloaded /, 'The copy of '), 'It is another or a damaged file; copy the right one and run `tts warm --from DIR` again.');
    throw err;
  }
}
