// What the engine yields to every sink: one chunk of a request's audio, in order.
export interface AudioChunk {
  /** 0-based position of the chunk in the text. */
  index: number;
  /** Chunks in the text (undefined while the text is still arriving). */
  total?: number;
  /** The normalized text this chunk speaks. */
  text: string;
  /** The chunk's audio, followed by the pause that separates it from the next chunk. */
  pcm: Int16Array;
  sampleRate: number;
  /** True when the audio came from the cache. */
  cached: boolean;
  isLast: boolean;
}
