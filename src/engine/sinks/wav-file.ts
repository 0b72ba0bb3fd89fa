// WAV file sink: the file appears only when it is complete (written to a temp file in the same
// folder, then renamed), so a failure never leaves a partial file or clobbers an existing one.
import { constants } from 'node:fs';
import { access, rm, stat, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { encodeWav } from '../audio/wav.js';
import type { AudioChunk } from '../engine.js';
import { TtsError } from '../errors.js';
import { collectPcm, type Clip } from './collect.js';

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

export async function writeWavFile(path: string, chunks: AsyncIterable<AudioChunk>): Promise<Clip> {
  await checkWritable(path);
  const clip = await collectPcm(chunks);
  const full = resolve(path);
  const bytes = encodeWav(clip.pcm, clip.sampleRate);
  const existing = await stat(full).catch(() => undefined);
  if (existing && !existing.isFile()) {
    // A device or pipe (/dev/null, a FIFO): write into it; renaming over it would replace it.
    await writeFile(full, bytes).catch((err: Error) => {
      throw new TtsError('OUTPUT_UNWRITABLE', `Cannot write ${path}: ${err.message}.`, 'Check that the device or pipe accepts writes.');
    });
    return clip;
  }
  const tmp = join(dirname(full), `.${basename(full)}.tmp-${process.pid}`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, full);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new TtsError('OUTPUT_UNWRITABLE', `Cannot write ${path}: ${(err as Error).message}.`, 'Check the free space and permissions of that folder.');
  }
  return clip;
}

/** Writes the WAV to stdout (the whole file, so its header carries the real length). */
export async function writeWavStdout(chunks: AsyncIterable<AudioChunk>, out: NodeJS.WritableStream = process.stdout): Promise<Clip> {
  const clip = await collectPcm(chunks);
  const bytes = encodeWav(clip.pcm, clip.sampleRate);
  await new Promise<void>((res, rej) => {
    out.write(bytes, (err) => (err ? rej(err) : res()));
  });
  return clip;
}
