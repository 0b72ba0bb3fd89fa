// The loudness meter (ITU-R BS.1770-4) and the true-peak meter against signals whose readings are
// known, and the limiter and normalizer on synthetic audio.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { integratedLoudness, kWeighting, LoudnessMeter } from '../src/engine/audio/loudness-meter.js';
import { LoudnessNormalizer } from '../src/engine/audio/loudness-normalizer.js';
import { TruePeakLimiter } from '../src/engine/audio/limiter.js';
import { toDb, truePeak } from '../src/engine/audio/true-peak.js';

function sine(freq: number, amplitude: number, seconds: number, rate: number, phase = 0): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return x;
}

const near = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual.toFixed(3)}, expected ${expected} ± ${tol}`);

test('K-weighting at 48 kHz matches the coefficients printed in BS.1770-4', () => {
  const [shelf, hp] = kWeighting(48000);
  const close = (a: number, b: number): void => near(a, b, 1e-8, 'coefficient');
  close(shelf.b0, 1.53512485958697);
  close(shelf.b1, -2.69169618940638);
  close(shelf.b2, 1.19839281085285);
  close(shelf.a1, -1.69065929318241);
  close(shelf.a2, 0.73248077421585);
  close(hp.a1, -1.99004745483398);
  close(hp.a2, 0.99007225036621);
});

test('a 1 kHz sine at -20 dBFS reads -23.0 LUFS at 48 kHz, 24 kHz and the other model rates', () => {
  for (const rate of [48000, 24000, 22050, 16000, 44100]) near(integratedLoudness(sine(1000, 0.1, 5, rate), rate), -23, 0.1, `${rate} Hz`);
  // Full scale: -3.01 LUFS (the definition's anchor).
  near(integratedLoudness(sine(1000, 1, 5, 48000), 48000), -3.01, 0.05, 'full scale');
});

test('silence and audio under the absolute gate read -Infinity; too short for a block too', () => {
  assert.is(integratedLoudness(new Float32Array(48000 * 3), 48000), -Infinity);
  assert.is(integratedLoudness(sine(1000, 10 ** (-75 / 20), 3, 48000), 48000), -Infinity); // about -78 LUFS
  assert.is(integratedLoudness(sine(1000, 0.1, 0.3, 48000), 48000), -Infinity);
  // A tone of 3 s followed by 30 s of silence: the silent blocks are gated out; the 27 blocks inside
  // the tone and the three that hold 3/4, 1/2 and 1/4 of it count: -23 + 10·log10(28.5 / 30).
  const x = new Float32Array(48000 * 33);
  x.set(sine(1000, 0.1, 3, 48000));
  near(integratedLoudness(x, 48000), -23 + 10 * Math.log10(28.5 / 30), 0.02, 'tone then silence');
});

test('the relative gate drops blocks 10 LU under the rest', () => {
  // 10 s at -23 LUFS and 10 s at -43 LUFS: the quiet part is gated, so the reading stays -23.
  const rate = 48000;
  const x = new Float32Array(rate * 20);
  x.set(sine(1000, 0.1, 10, rate));
  x.set(sine(1000, 0.01, 10, rate), rate * 10);
  near(integratedLoudness(x, rate), -23, 0.1, 'gated');
  // 10 s at -23 and 10 s at -29: both count, and the mean of their energies is about -25.2.
  x.set(sine(1000, 0.05, 10, rate), rate * 10);
  near(integratedLoudness(x, rate), 10 * Math.log10((10 ** (-2.3) + 10 ** (-2.9)) / 2), 0.1, 'both counted');
});

test('pushing in pieces reads the same as pushing at once', () => {
  const x = sine(440, 0.3, 4, 24000);
  const m = new LoudnessMeter(24000);
  for (let at = 0; at < x.length; at += 777) m.push(x.subarray(at, at + 777));
  near(m.integrated(), integratedLoudness(x, 24000), 1e-9, 'pieces');
});

test('true peak: a sine at -20 dBFS reads -20 dBTP; a quarter-rate sine sampled off its peaks reads its real peak', () => {
  near(toDb(truePeak(sine(1000, 0.1, 1, 48000))), -20, 0.05, '1 kHz');
  // fs/4 at 45°: every sample is ±0.707 of the peak, so the sample peak under-reads by 3 dB.
  const x = sine(12000, 1, 1, 48000, Math.PI / 4);
  near(toDb(Math.max(...x.subarray(1000, 2000).map(Math.abs))), -3.01, 0.01, 'sample peak');
  near(toDb(truePeak(x.subarray(1000, 40000))), 0, 0.2, 'true peak');
});

test('clipping: a square wave at full scale reads above 0 dBTP, and the limiter brings it under the ceiling', () => {
  const rate = 24000;
  const x = new Float32Array(rate);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * 997 * i) / rate) >= 0 ? 1 : -1;
  assert.ok(toDb(truePeak(x)) > 0.5, `square wave: ${toDb(truePeak(x))} dBTP`);
  const ceiling = 10 ** (-1.5 / 20);
  const limited = new TruePeakLimiter(rate, ceiling).process(Float32Array.from(x));
  assert.ok(truePeak(limited) <= ceiling * 1.01, `limited: ${toDb(truePeak(limited))} dBTP`);
});

test('the normalizer brings quiet and loud audio to the target, chunk by chunk, under -1 dBTP', () => {
  for (const amplitude of [0.02, 0.9]) {
    const n = new LoudnessNormalizer(24000, -16);
    const parts: Float32Array[] = [];
    for (let k = 0; k < 6; k++) parts.push(n.process(sine(300 + 50 * k, amplitude, 1.5, 24000)));
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    near(integratedLoudness(out, 24000), -16, 1, `amplitude ${amplitude}`);
    assert.ok(toDb(truePeak(out)) <= -1, `true peak ${toDb(truePeak(out))}`);
  }
});

test.run();
