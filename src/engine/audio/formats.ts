// Output formats: which one a request means (from --format, else the file's extension), and the
// one engine-level factory from a format to a streaming encoder, shared by every sink (say --out,
// serve-stdin files, the HTTP server's response_format).
import { extname } from 'node:path';
import { TtsError } from '../errors.js';
import type { StreamEncoder } from './encoders/encoder.js';

export const FORMATS = ['wav', 'pcm', 'mp3', 'opus', 'flac'] as const;
export type AudioFormat = (typeof FORMATS)[number];
export type { StreamEncoder } from './encoders/encoder.js';

const EXTENSIONS: Record<string, AudioFormat> = {
  '.wav': 'wav',
  '.wave': 'wav',
  '.pcm': 'pcm',
  '.raw': 'pcm',
  '.mp3': 'mp3',
  '.opus': 'opus',
  '.ogg': 'opus',
  '.flac': 'flac',
};

export const MIME_TYPES: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  pcm: 'audio/L16',
  mp3: 'audio/mpeg',
  opus: 'audio/ogg; codecs=opus',
  flac: 'audio/flac',
};

export function isAudioFormat(s: string): s is AudioFormat {
  return (FORMATS as readonly string[]).includes(s);
}

/**
 * The format for an output: `format` when given (it must agree with the file's extension), else
 * the extension's, else WAV for stdout ("-") and devices. Throws BAD_FORMAT (a usage error).
 */
export function resolveFormat(out: string | undefined, format: string | undefined): AudioFormat {
  const names = FORMATS.join(', ');
  if (format !== undefined && !isAudioFormat(format)) {
    throw new TtsError('BAD_FORMAT', `Unknown format "${format}".`, `Use one of ${names}.`);
  }
  const ext = out && out !== '-' && !out.startsWith('/dev/') ? extname(out).toLowerCase() : '';
  const fromExt = ext ? EXTENSIONS[ext] : undefined;
  if (ext && !fromExt) {
    throw new TtsError('BAD_FORMAT', `Cannot tell the format of ${out} from its extension "${ext}".`, `Name the file .wav, .pcm, .mp3, .opus or .flac, or pass --format (${names}) with a matching name.`);
  }
  if (format && fromExt && format !== fromExt) {
    throw new TtsError('BAD_FORMAT', `--format ${format} does not match the extension of ${out} (${fromExt}).`, `Use --format ${fromExt}, or name the file .${format}.`);
  }
  return (format as AudioFormat | undefined) ?? fromExt ?? 'wav';
}

export interface EncoderOptions {
  /** The output can seek back (a regular file): WAV then gets its real sizes at the end. */
  seekable?: boolean;
}

/** A streaming encoder for `format` at `sampleRate` (mono, 16-bit input). */
export async function createEncoder(format: AudioFormat, sampleRate: number, opts: EncoderOptions = {}): Promise<StreamEncoder> {
  switch (format) {
    case 'wav':
      return new (await import('./encoders/wav-encoder.js')).WavEncoder(sampleRate, opts.seekable ?? false);
    case 'pcm':
      return new (await import('./encoders/pcm-encoder.js')).PcmEncoder();
    case 'mp3':
      return (await import('./encoders/mp3-encoder.js')).createMp3Encoder(sampleRate);
    case 'opus':
      return (await import('./encoders/opus-encoder.js')).createOpusEncoder(sampleRate);
    case 'flac':
      return (await import('./encoders/flac-encoder.js')).createFlacEncoder(sampleRate);
  }
}
