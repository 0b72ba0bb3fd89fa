// Where encoded audio goes: "-" is stdout, anything else a file (or a device or pipe by name).
import type { AudioChunk } from '../engine.js';
import { writeAudioFile } from './audio-file.js';
import { writeAudioStream } from './audio-stream.js';
import type { SinkOptions, SinkResult } from './encode.js';

export function writeAudio(out: string, chunks: AsyncIterable<AudioChunk>, opts: SinkOptions = {}): Promise<SinkResult> {
  return out === '-' ? writeAudioStream(process.stdout, chunks, opts) : writeAudioFile(out, chunks, opts);
}
