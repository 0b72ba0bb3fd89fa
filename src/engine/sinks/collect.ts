// Gathers a stream of audio chunks into one buffer (for sinks that need the whole clip).
import { concatPcm16 } from '../audio/pcm.js';
import type { AudioChunk } from '../engine.js';

export interface Clip {
  pcm: Int16Array;
  sampleRate: number;
}

export async function collectPcm(chunks: AsyncIterable<AudioChunk>): Promise<Clip> {
  const parts: Int16Array[] = [];
  let sampleRate = 0;
  for await (const c of chunks) {
    parts.push(c.pcm);
    sampleRate = c.sampleRate;
  }
  return { pcm: concatPcm16(parts), sampleRate };
}
