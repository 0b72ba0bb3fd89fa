// Helpers for the audio-output tests: reading what a WAV holds (loudness, true peak, length) and
// decoding other formats with ffmpeg (installed by .ci/run; where it is absent outside CI, the
// tests that need it say so and skip).
import { spawnSync } from 'node:child_process';
import { integratedLoudness } from '../src/engine/audio/loudness-meter.js';
import { bytesToPcm16, pcm16ToFloat } from '../src/engine/audio/pcm.js';
import { toDb, truePeak } from '../src/engine/audio/true-peak.js';
import { readWavInfo } from '../src/engine/audio/wav.js';

export interface Measured {
  sampleRate: number;
  seconds: number;
  lufs: number;
  dbtp: number;
  samples: Float32Array;
}

export function measureWav(bytes: Buffer): Measured {
  const info = readWavInfo(bytes);
  const samples = pcm16ToFloat(bytesToPcm16(bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes)));
  return { sampleRate: info.sampleRate, seconds: samples.length / info.sampleRate, lufs: integratedLoudness(samples, info.sampleRate), dbtp: toDb(truePeak(samples)), samples };
}

/** Whether ffmpeg and ffprobe are here; outside CI their absence skips (with a message), in CI it fails. */
export function ffmpegPresent(what: string): boolean {
  const ok = spawnSync('ffprobe', ['-version']).status === 0 && spawnSync('ffmpeg', ['-version']).status === 0;
  if (!ok && process.env.CI) throw new Error('ffmpeg is missing: .ci/run installs it (apt-get install ffmpeg)');
  if (!ok) process.stdout.write(`\n  skipped: ffmpeg not installed (apt-get install ffmpeg); ${what}\n`);
  return ok;
}

/** What ffmpeg decodes from a file: its sample rate (as ffprobe reports it) and its samples, counted. */
export function decodeWithFfmpeg(file: string): { sampleRate: number; samples: number; codec: string } {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,codec_name', '-of', 'json', file], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`ffprobe failed on ${file}: ${probe.stderr}`);
  const s = (JSON.parse(probe.stdout) as { streams: { sample_rate: string; codec_name: string }[] }).streams[0]!;
  const pcm = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-'], { maxBuffer: 1 << 30 });
  if (pcm.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${pcm.stderr.toString()}`);
  return { sampleRate: Number(s.sample_rate), samples: pcm.stdout.length / 2, codec: s.codec_name };
}
