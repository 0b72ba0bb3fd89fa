// The loop under every byte sink: each chunk is encoded and handed to `write` as soon as it
// arrives (nothing is gathered, so memory does not grow with the text), in the format asked for.
import { createEncoder, type AudioFormat, type StreamEncoder } from '../audio/formats.js';
import type { AudioChunk } from '../engine.js';
import { TtsError } from '../errors.js';

export interface SinkOptions {
  /** Output format (default WAV). */
  format?: AudioFormat;
  /** Stops the output: what was written is discarded where it can be (a file is not created). */
  signal?: AbortSignal;
  /** Called after each chunk is written (progress). */
  onChunk?: (c: AudioChunk) => void;
}

export interface SinkResult {
  chunks: number;
  samples: number;
  sampleRate: number;
  bytes: number;
}

export function cancelled(): TtsError {
  return new TtsError('CANCELLED', 'Synthesis was cancelled.');
}

/** Encodes `chunks` into `write`; returns what was written and the encoder (for its final header). */
export async function encodeChunks(
  chunks: AsyncIterable<AudioChunk>,
  opts: SinkOptions & { seekable: boolean },
  write: (bytes: Uint8Array) => Promise<void>,
): Promise<SinkResult & { encoder: StreamEncoder | undefined }> {
  const format = opts.format ?? 'wav';
  const result = { chunks: 0, samples: 0, sampleRate: 0, bytes: 0 };
  let encoder: StreamEncoder | undefined;
  const put = async (b: Uint8Array): Promise<void> => {
    if (b.length === 0) return;
    result.bytes += b.length;
    await write(b);
  };
  for await (const c of chunks) {
    if (opts.signal?.aborted) throw cancelled();
    encoder ??= await createEncoder(format, c.sampleRate, { seekable: opts.seekable });
    await put(encoder.write(c.pcm));
    result.chunks++;
    result.samples += c.pcm.length;
    result.sampleRate = c.sampleRate;
    opts.onChunk?.(c);
  }
  if (opts.signal?.aborted) throw cancelled();
  if (encoder) await put(encoder.end());
  return { ...result, encoder };
}
