// The shape of every streaming encoder: PCM16 mono in, bytes out as soon as the codec has them.

export interface StreamEncoder {
  /** Encodes more samples; returns the bytes ready now (possibly none). */
  write(pcm: Int16Array): Uint8Array;
  /** Flushes the codec; returns the last bytes. */
  end(): Uint8Array;
  /**
   * For a seekable output, after end(): bytes to write over part of the header now that the
   * length is known (WAV's sizes, FLAC's STREAMINFO), and where. Undefined when nothing needs it.
   */
  finalHeader?(): { offset: number; bytes: Uint8Array } | undefined;
}

export const EMPTY = new Uint8Array(0);

/** Joins byte arrays. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
}
