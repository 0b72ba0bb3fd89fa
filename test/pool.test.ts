import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Backend } from '../src/engine/backends/backend.js';
import { BackendPool } from '../src/engine/pool.js';

function fake(name: string, closed: string[]): Backend {
  return {
    family: 'kokoro',
    sampleRate: 24000,
    provider: 'cpu',
    loadMs: 0,
    threads: 1,
    voices: () => [name],
    synthesize: async () => new Float32Array(0),
    inspect: async () => ({ phonemes: '', ids: [] }),
    close: async () => void closed.push(name),
  };
}

test('models stay loaded until the memory cap forces out the least recently used', async () => {
  const closed: string[] = [];
  let loads = 0;
  const pool = new BackendPool(250);
  const get = (k: string, bytes: number): Promise<Backend> => pool.get(k, () => bytes, async () => (loads++, fake(k, closed)));
  await get('a', 100);
  await get('b', 100);
  await get('a', 100); // a is now the most recently used
  assert.is(loads, 2, 'a second request reuses the loaded model');
  await get('c', 100); // 300 > 250: b goes
  await new Promise((r) => setImmediate(r));
  assert.equal(closed, ['b']);
  assert.equal(pool.keys(), ['a', 'c']);
  await get('b', 100);
  assert.is(loads, 4, 'an evicted model is loaded again when needed');
  await pool.closeAll();
  assert.equal(closed.sort(), ['a', 'b', 'b', 'c']);
});

test('a model that fails to load is not kept', async () => {
  const pool = new BackendPool(1000);
  await pool.get('x', () => 10, async () => Promise.reject(new Error('bad model'))).catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  assert.equal(pool.keys(), []);
});

test.run();
