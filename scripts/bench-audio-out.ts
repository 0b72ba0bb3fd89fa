#!/usr/bin/env node
// Figures for the audio output (issue 11's closing note): the encoding cost of each format in ms
// per second of audio, the cost of the loudness stage, and the time to the first byte of
// `tts say --out -` on a 20-sentence text against the time to the last.
//
// Usage: node dist/scripts/bench-audio-out.js [--cache-dir DIR] [--runs N]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEncoder, FORMATS } from '../src/engine/audio/formats.js';
import { LoudnessNormalizer } from '../src/engine/audio/loudness-normalizer.js';
import { floatToPcm16 } from '../src/engine/audio/pcm.js';
import { packageRoot } from '../src/engine/package-root.js';

const { values } = parseArgs({ options: { 'cache-dir': { type: 'string' }, runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Speech-like test audio: tone bursts of varying pitch and level with gaps, 24 kHz. */
function speechLike(seconds: number, rate = 24000): Float32Array {
  const x = new Float32Array(seconds * rate);
  for (let i = 0; i < x.length; i++) {
    const syllable = Math.floor(i / (rate * 0.2));
    const env = Math.sin((Math.PI * (i % (rate * 0.2))) / (rate * 0.2)) ** 2 * (syllable % 7 === 6 ? 0 : 0.3 + 0.2 * Math.sin(syllable));
    x[i] = env * (Math.sin((2 * Math.PI * (120 + 15 * (syllable % 5)) * i) / rate) + 0.3 * Math.sin((2 * Math.PI * 900 * i) / rate));
  }
  return x;
}

async function encodingCost(): Promise<void> {
  const seconds = 30;
  const pcm = floatToPcm16(speechLike(seconds));
  const chunk = 24000 * 3;
  for (const format of FORMATS) {
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const enc = await createEncoder(format, 24000, { seekable: true });
      for (let at = 0; at < pcm.length; at += chunk) enc.write(pcm.subarray(at, at + chunk));
      enc.end();
      times.push(performance.now() - t);
    }
    console.log(`encode ${format.padEnd(5)} ${(median(times) / seconds).toFixed(2)} ms per audio second (median of ${runs}, ${seconds} s at 24 kHz)`);
  }
  const times: number[] = [];
  const x = speechLike(seconds);
  for (let r = 0; r < runs; r++) {
    const n = new LoudnessNormalizer(24000);
    const t = performance.now();
    for (let at = 0; at < x.length; at += chunk) n.process(x.subarray(at, at + chunk));
    times.push(performance.now() - t);
  }
  console.log(`loudness stage ${(median(times) / seconds).toFixed(2)} ms per audio second`);
}

function firstByte(cacheDir: string, voice: string): Promise<{ first: number; last: number }> {
  const text = Array.from({ length: 20 }, (_, i) => `This is sentence number ${i + 1}, and it is spoken as the others are made.`).join(' ');
  return new Promise((res, rej) => {
    const t = performance.now();
    let first = 0;
    const p = spawn(process.execPath, [join(packageRoot(), 'bin', 'run.cjs'), 'say', text, '--out', '-', '--voice', voice, '--no-cache'], { env: { ...process.env, TTS_CACHE_DIR: cacheDir }, stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', () => (first ||= performance.now() - t));
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res({ first, last: performance.now() - t }) : rej(new Error(`exit ${code}`))));
  });
}

await encodingCost();
if (values['cache-dir']) {
  for (const voice of ['gen_alpha', 'espeak:en-us']) {
    const r: { first: number; last: number }[] = [];
    for (let i = 0; i < runs; i++) r.push(await firstByte(values['cache-dir'], voice));
    console.log(`--out - (20 sentences, ${voice}): first byte ${median(r.map((x) => x.first)).toFixed(0)} ms, last byte ${median(r.map((x) => x.last)).toFixed(0)} ms (median of ${runs})`);
  }
}
