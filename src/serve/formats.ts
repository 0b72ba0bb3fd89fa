// response_format → a streaming encoder: the one place `tts serve` turns PCM16 chunks into the
// bytes of a response. WAV and raw PCM are built in; other formats (mp3, opus, flac, aac) plug in
// here once the engine provides their encoders, and until then are refused with a clear 400.
import { pcm16Bytes } from '../engine/audio/pcm.js';
import { WAV_HEADER_BYTES, wavHeader } from '../engine/audio/wav.js';
import { TtsError } from '../engine/errors.js';

/** Every format OpenAI's API names; `encoderFor` says which this build can produce. */
export const OPENAI_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type ResponseFormat = (typeof OPENAI_FORMATS)[number];

export interface StreamEncoder {
  contentType: string;
  /** Bytes for one chunk of audio (the first call may include a header). */
  write(pcm: Int16Array, sampleRate: number): Buffer;
  /** Bytes that close the stream (may be empty). */
  end(): Buffer;
}

/** Formats this build can encode. */
export function availableFormats(): ResponseFormat[] {
  return ['wav', 'pcm'];
}

/** The format a request gets when it names none: OpenAI's default (mp3) when available, else wav. */
export function defaultFormat(): ResponseFormat {
  return availableFormats().includes('mp3') ? 'mp3' : 'wav';
}

/**
 * A streaming WAV: the header cannot know the length of audio not yet synthesized, so its RIFF and
 * data sizes are 0xFFFFFFFF ("unknown; read to the end"), as streaming servers and ffmpeg do. The
 * samples are exactly those `tts say --out` writes.
 */
function wavStream(): StreamEncoder {
  let started = false;
  return {
    contentType: 'audio/wav',
    write(pcm, sampleRate) {
      const body = pcm16Bytes(pcm);
      if (started) return body;
      started = true;
      const h = wavHeader(sampleRate, 0);
      h.writeUInt32LE(0xffffffff, 4);
      h.writeUInt32LE(0xffffffff, WAV_HEADER_BYTES - 4);
      return Buffer.concat([h, body]);
    },
    end: () => Buffer.alloc(0),
  };
}

/** Raw little-endian 16-bit mono samples at the model's rate (OpenAI's `pcm`; 24 kHz for Kokoro). */
function pcmStream(): StreamEncoder {
  return { contentType: 'audio/pcm', write: (pcm) => pcm16Bytes(pcm), end: () => Buffer.alloc(0) };
}

/** The encoder for a response_format; a TtsError (BAD_INPUT) for one this build cannot produce. */
export function encoderFor(format: string): StreamEncoder {
  if (format === 'wav') return wavStream();
  if (format === 'pcm') return pcmStream();
  const known = (OPENAI_FORMATS as readonly string[]).includes(format);
  throw new TtsError(
    'BAD_INPUT',
    known ? `response_format "${format}" is not available in this build.` : `Unknown response_format "${format}".`,
    `Use one of: ${availableFormats().join(', ')}.`,
  );
}
