// Stream sink (stdout, a pipe, a device): each chunk's bytes are written as soon as the chunk is
// ready, waiting for the reader when the pipe is full. WAV goes out with a streaming header.
import type { AudioChunk } from '../engine.js';
import { TtsError } from '../errors.js';
import { encodeChunks, type SinkOptions, type SinkResult } from './encode.js';

export async function writeAudioStream(out: NodeJS.WritableStream, chunks: AsyncIterable<AudioChunk>, opts: SinkOptions = {}, name = 'stdout'): Promise<SinkResult> {
  let failed: Error | undefined;
  const onError = (err: Error): void => void (failed ??= err);
  out.on('error', onError);
  const fail = (err: Error): TtsError =>
    new TtsError('OUTPUT_UNWRITABLE', `Cannot write to ${name}: ${(err as NodeJS.ErrnoException).code === 'EPIPE' ? 'the reader closed the pipe' : err.message}.`, 'Check that the program reading the audio keeps reading until the end.');
  try {
    const r = await encodeChunks(chunks, { ...opts, seekable: false }, (b) =>
      new Promise<void>((res, rej) => {
        if (failed) return rej(fail(failed));
        const ok = out.write(b, (err) => err && onError(err));
        if (ok) return res();
        const done = (): void => {
          out.removeListener('drain', done);
          out.removeListener('error', done);
          failed ? rej(fail(failed)) : res();
        };
        out.once('drain', done);
        out.once('error', done);
      }),
    );
    // Everything handed over: wait until it is flushed (or fails).
    await new Promise<void>((res, rej) => out.write('', (err) => (err || failed ? rej(fail((err ?? failed)!)) : res())));
    return { chunks: r.chunks, samples: r.samples, sampleRate: r.sampleRate, bytes: r.bytes };
  } finally {
    out.removeListener('error', onError);
  }
}
