import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLAUSE_PAUSE_MS, pauseSamples, SENTENCE_PAUSE_MS, trimAndFade, withPause } from '../src/engine/audio/postprocess.js';

const SR = 24000;

function toneWithSilence(lead: number, tone: number, tail: number): Float32Array {
  const x = new Float32Array(lead + tone + tail);
  for (let i = 0; i < tone; i++) x[lead + i] = 0.5 * Math.sin(i / 3) + (i % 2 ? 0.1 : -0.1);
  return x;
}

test('silence at both ends is trimmed to a 10 ms margin', () => {
  const margin = SR / 100;
  const out = trimAndFade(toneWithSilence(12000, 4800, 9000), SR);
  assert.is(out.length, 4800 + 2 * margin);
  // A short margin at the start is kept as it is.
  assert.is(trimAndFade(toneWithSilence(50, 4800, 0), SR).length, 4800 + 50);
});

test('the edges fade in and out, so joins do not click', () => {
  const out = trimAndFade(Float32Array.from({ length: 4800 }, () => 0.8), SR);
  assert.is(out.length, 4800);
  assert.ok(Math.abs(out[0]!) < 0.01 && Math.abs(out.at(-1)!) < 0.01, 'edges near zero');
  assert.ok(Math.abs(out[2400]! - 0.8) < 1e-6, 'middle untouched');
  const fade = (SR * 4) / 1000;
  for (let i = 1; i < fade; i++) assert.ok(out[i]! >= out[i - 1]!, 'fade-in rises');
});

test('all-silent input becomes empty', () => {
  assert.is(trimAndFade(new Float32Array(1000), SR).length, 0);
});

test('pauses: a sentence pause after . ! ? …, a clause pause otherwise, none after the last chunk', () => {
  assert.is(pauseSamples('Hello there.', false, SR, 1), (SENTENCE_PAUSE_MS * SR) / 1000);
  assert.is(pauseSamples('Really?"', false, SR, 1), (SENTENCE_PAUSE_MS * SR) / 1000);
  assert.is(pauseSamples('When it rains,', false, SR, 1), (CLAUSE_PAUSE_MS * SR) / 1000);
  assert.is(pauseSamples('Hello there.', true, SR, 1), 0);
  assert.is(pauseSamples('Hello there.', false, SR, 2), (SENTENCE_PAUSE_MS * SR) / 2000);
  const p = withPause(Int16Array.of(5, 6), 3);
  assert.equal(Array.from(p), [5, 6, 0, 0, 0]);
});

test.run();
