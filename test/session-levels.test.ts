// A model file is called damaged only after loading it failed at every optimization level, and
// the error says what failed where.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildKokoroModel } from '../scripts/gen-test-models.js';
import { TtsError } from '../src/engine/errors.js';
import { createSession } from '../src/engine/session.js';
import { tempDir } from './helpers.js';

test('a good model loads at the full optimization level and says so', async () => {
  const path = join(tempDir(), 'model.onnx');
  writeFileSync(path, buildKokoroModel());
  const s = await createSession(path, { providers: ['cpu'], threads: 1 });
  try {
    assert.is(s.optimizationLevel, 'all');
  } finally {
    await s.session.release();
  }
});

test('a truncated model is tried at every level before it is called damaged, and the error lists them', async () => {
  const model = buildKokoroModel();
  const path = join(tempDir(), 'model.onnx');
  writeFileSync(path, model.subarray(0, Math.floor(model.byteLength / 2)));
  try {
    await createSession(path, { providers: ['cpu'], threads: 1 });
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, TtsError);
    const e = err as TtsError;
    assert.is(e.code, 'MODEL_CORRUPT');
    assert.match(e.message, 'could not be loaded at any optimization level');
    assert.match(e.message, 'cpu/all, cpu/basic, cpu/disabled: ');
  }
});

test.run();
