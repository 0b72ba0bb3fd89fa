import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadVoicePack, PACK_BYTES, styleRow } from '../src/engine/backends/kokoro-voices.js';
import { TtsError } from '../src/engine/errors.js';
import { reference, tempDir } from './helpers.js';

test('style row n of the real af_heart pack is bytes [n·1024, (n+1)·1024)', async () => {
  const ref = reference('style-row selection with af_heart.bin');
  if (!ref) return;
  const file = join(ref, 'kokoro', 'voices', 'af_heart.bin');
  const bytes = readFileSync(file);
  assert.is(bytes.byteLength, 522240);
  const pack = await loadVoicePack(file);
  for (const n of [0, 1, 13, 100, 509]) {
    const row = styleRow(pack, n);
    assert.is(row.length, 256);
    const expected = new Float32Array(bytes.buffer.slice(bytes.byteOffset + n * 1024, bytes.byteOffset + (n + 1) * 1024));
    assert.equal(Array.from(row), Array.from(expected), `row ${n}`);
  }
  // Known values of the real pack (row 0 and the last row).
  assert.ok(Math.abs(styleRow(pack, 0)[0]! - -0.25429046) < 1e-7);
  assert.ok(Math.abs(styleRow(pack, 509)[0]! - -0.21525179) < 1e-7);
  // 510 ids (the most the model takes) use the last row.
  assert.equal(Array.from(styleRow(pack, 510)), Array.from(styleRow(pack, 509)));
});

test('a voice pack of the wrong size is rejected, naming the file', async () => {
  const dir = tempDir();
  const bad = join(dir, 'af_bad.bin');
  writeFileSync(bad, Buffer.alloc(PACK_BYTES - 4));
  try {
    await loadVoicePack(bad);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, TtsError);
    assert.is((err as TtsError).code, 'VOICE_CORRUPT');
    assert.match((err as TtsError).message, bad);
  }
  const ref = reference('copying af_heart.bin');
  if (ref) {
    copyFileSync(join(ref, 'kokoro', 'voices', 'af_heart.bin'), join(dir, 'ok.bin'));
    assert.is((await loadVoicePack(join(dir, 'ok.bin'))).length, 510 * 256);
  }
});

test.run();
