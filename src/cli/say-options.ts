// From the flags of `tts say` to what the engine and the sinks take: the audio options (loudness,
// sample rate, pause) and the output format. Shared by the oclif command and the fast path, so
// both read the flags the same way. Throws TtsError; the command reports them as usage errors.
import { resolveFormat, type AudioFormat } from '../engine/audio/formats.js';
import { TtsError } from '../engine/errors.js';
import { validateSampleRate } from '../engine/audio/resample.js';

export interface SayAudioFlags {
  out?: string | undefined;
  format?: string | undefined;
  'sample-rate'?: string | undefined;
  loudness?: string | undefined;
  normalize?: boolean | undefined;
  pause?: string | undefined;
}

export interface SayAudioOptions {
  format: AudioFormat;
  loudness: number | null;
  sampleRate?: number;
  pauseMs?: number;
}

function numberFlag(name: string, value: string, min: number, max: number, example: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new TtsError('BAD_INPUT', `--${name} "${value}" is not a number from ${min} to ${max}.`, `For example --${name} ${example}.`);
  }
  return n;
}

export function sayAudioOptions(f: SayAudioFlags): SayAudioOptions {
  if (f.normalize === false && f.loudness !== undefined) {
    throw new TtsError('BAD_INPUT', '--loudness and --no-normalize contradict each other.', 'Pass one of them.');
  }
  return {
    format: resolveFormat(f.out, f.format),
    loudness: f.normalize === false ? null : f.loudness !== undefined ? numberFlag('loudness', f.loudness, -70, 0, '-16') : -16,
    ...(f['sample-rate'] !== undefined ? { sampleRate: validateSampleRate(f['sample-rate']) } : {}),
    ...(f.pause !== undefined ? { pauseMs: numberFlag('pause', f.pause, 0, 10000, '500') } : {}),
  };
}
