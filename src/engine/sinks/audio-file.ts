// File sink: the audio is encoded into a temp file beside the destination as each chunk arrives,
// the header is completed at the end, and only then is the file renamed into place — so an error,
// a cancel or Ctrl-C never leaves a partial file or replaces an existing one (see temp-files.ts).
// A device or a pipe (/dev/null, a FIFO) is written into directly: renaming would replace it.
import { constants, createWriteStream } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { AudioChunk } from '../engine.js';
import { isTtsError, TtsError } from '../errors.js';
import { encodeChunks, type SinkOptions, type SinkResult } from './encode.js';
import { writeAudioStream } from './audio-stream.js';
import { createTemp, untrackTemp } from './temp-files.js';

/** Fails early, before any synthesis, when `path` cannot be written. */
export async function checkWritable(path: string): Promise<void> {
  const full = resolve(path);
  const dir = dirname(full);
  const hint = 'Choose a path in an existing folder you can write to, e.g. --out ./speech.wav.';
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) throw new TtsError('OUTPUT_UNWRITABLE', `Cannot write ${path}: it is a folder.`, hint);
  if (existing && !existing.isFile()) return; // a device or pipe such as /dev/null
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
    await access(dir, constants.W_OK);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the folder does not exist' : 'the folder is not writable';
    throw new TtsError('OUTPUT_UNWRITABLE', `Cannot write ${path}: ${why} (${dir}).`, hint);
  }
}

function unwritable(path: string, err: unknown): unknown {
  if (isTtsError(err)) return err;
  return new TtsError('OUTPUT_UNWRITABLE', `Cannot write ${path}: ${(err as Error).message}.`, 'Check the free space and permissions of that folder.');
}

export async function writeAudioFile(path: string, chunks: AsyncIterable<AudioChunk>, opts: SinkOptions = {}): Promise<SinkResult> {
  await checkWritable(path);
  const full = resolve(path);
  const existing = await stat(full).catch(() => undefined);
  if (existing && !existing.isFile()) {
    const out = createWriteStream(full, { flags: 'w' });
    try {
      return await writeAudioStream(out, chunks, opts, path);
    } finally {
      await new Promise<void>((res) => out.end(() => res()));
    }
  }
  let temp;
  try {
    temp = await createTemp(dirname(full), basename(full));
  } catch (err) {
    throw unwritable(path, err);
  }
  const { path: tmp, handle } = temp;
  try {
    let at = 0;
    const r = await encodeChunks(chunks, { ...opts, seekable: true }, async (b) => {
      await handle.write(b, 0, b.length, at);
      at += b.length;
    });
    if (r.chunks === 0) throw new TtsError('CANCELLED', 'No audio was produced; the file was not written.');
    const head = r.encoder?.finalHeader?.();
    if (head) await handle.write(head.bytes, 0, head.bytes.length, head.offset);
    await handle.close();
    await rename(tmp, full);
    return { chunks: r.chunks, samples: r.samples, sampleRate: r.sampleRate, bytes: r.bytes };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw unwritable(path, err);
  } finally {
    untrackTemp(tmp);
  }
}
