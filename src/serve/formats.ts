// response_format → the engine's streaming encoder (audio/formats.ts), the one factory every sink
// shares: the HTTP response is encoded exactly as `tts say --out` encodes a pipe. OpenAI's `aac`
// is the one format it names that this build cannot produce: a clear 400.
import { createEncoder, isAudioFormat, MIME_TYPES, FORMATS, type AudioFormat } from '../engine/audio/formats.js';
import type { StreamEncoder as EngineEncoder } from '../engine/audio/encoders/encoder.js';
import { TtsError } from '../engine/errors.js';

/** Every format OpenAI's API names; `availableFormats` says which this build can produce. */
export const OPENAI_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type ResponseFormat = (typeof OPENAI_FORMATS)[number];

export interface StreamEncoder {
  contentType: string;
  /** Bytes for one chunk of audio (the first call includes the header). */
  write(pcm: Int16Array, sampleRate: number): Promise<Uint8Array>;
  /** Bytes that close the stream (may be empty). */
  end(): Uint8Array;
}

/** Formats this build can encode. */
export function availableFormats(): ResponseFormat[] {
  return OPENAI_FORMATS.filter((f): f is ResponseFormat & AudioFormat => (FORMATS as readonly string[]).includes(f));
}

/** The format a request gets when it names none: OpenAI's default, mp3. */
export function defaultFormat(): ResponseFormat {
  return 'mp3';
}

/** The encoder for a response_format; a TtsError (BAD_INPUT) for one this build cannot produce. */
export function encoderFor(format: string): StreamEncoder {
  if (!isAudioFormat(format)) {
    const known = (OPENAI_FORMATS as readonly string[]).includes(format);
    throw new TtsError(
      'BAD_INPUT',
      known ? `response_format "${format}" is not available in this build.` : `Unknown response_format "${format}".`,
      `Use one of: ${availableFormats().join(', ')}.`,
    );
  }
  // OpenAI's `pcm` is raw samples; a streamed WAV carries "unknown" sizes (its length is not known yet).
  let encoder: Promise<EngineEncoder> | undefined;
  let ended: EngineEncoder | undefined;
  return {
    contentType: format === 'pcm' ? 'audio/pcm' : MIME_TYPES[format],
    async write(pcm, sampleRate) {
      encoder ??= createEncoder(format, sampleRate, { seekable: false });
      ended = await encoder;
      return ended.write(pcm);
    },
    end: () => (ended ? ended.end() : new Uint8Array(0)),
  };
}
