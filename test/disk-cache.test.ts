import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiskCache } from '../src/engine/cache/disk.js';
import { MemoryLru } from '../src/engine/cache/memory.js';
import { tempDir } from './helpers.js';

const key = (i: number): string => i.toString(16).padStart(64, '0');

function entryFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f)));
}

test('put then get returns the same bytes; a missing key is a miss', async () => {
  const c = new DiskCache(tempDir(), 1e6);
  const payload = Buffer.from('some audio bytes');
  await c.put(key(1), payload);
  assert.ok((await c.get(key(1)))?.equals(payload));
  assert.is(await c.get(key(2)), undefined);
});

test('a damaged entry is a miss, is removed, and is counted', async () => {
  const dir = tempDir();
  const c = new DiskCache(dir, 1e6);
  await c.put(key(1), Buffer.alloc(1000, 3));
  const [file] = entryFiles(dir);
  const raw = readFileSync(file!);
  raw[raw.length - 10] ^= 0x55;
  writeFileSync(file!, raw);
  assert.is(await c.get(key(1)), undefined);
  assert.is(c.corrupt, 1);
  assert.equal(entryFiles(dir), []);
  // A truncated entry likewise.
  await c.put(key(2), Buffer.alloc(1000, 4));
  writeFileSync(entryFiles(dir)[0]!, Buffer.from('TTC1'));
  assert.is(await c.get(key(2)), undefined);
  assert.is(c.corrupt, 2);
});

test('the cache stays under its size bound, evicting the least recently used', async () => {
  const dir = tempDir();
  const c = new DiskCache(dir, 50_000);
  for (let i = 0; i < 5; i++) await c.put(key(i), Buffer.alloc(9000, i));
  // Make entry 0 the most recently used, the others older.
  const old = new Date(Date.now() - 60_000);
  for (const f of entryFiles(dir)) utimesSync(f, old, old);
  assert.ok(await c.get(key(0)));
  for (let i = 5; i < 8; i++) await c.put(key(i), Buffer.alloc(9000, i));
  const total = entryFiles(dir).reduce((n, f) => n + statSync(f).size, 0);
  assert.ok(total <= 50_000, `total ${total}`);
  for (const i of [1, 2, 3, 4]) assert.is(await c.get(key(i)), undefined, `old entry ${i} evicted`);
  for (const i of [0, 5, 6, 7]) assert.ok(await c.get(key(i)), `recent entry ${i} kept`);
  const s = await c.stats();
  assert.is(s.bytes, total);
});

test('memory LRU: bounded in bytes, least recently used out first', () => {
  const m = new MemoryLru<string>(30, (s) => s.length);
  m.set('a', '0123456789');
  m.set('b', '0123456789');
  m.set('c', '0123456789');
  m.get('a');
  m.set('d', '0123456789');
  assert.is(m.get('b'), undefined);
  assert.is(m.get('a'), '0123456789');
  assert.ok(m.bytes <= 30);
  m.set('huge', 'x'.repeat(31));
  assert.is(m.get('huge'), undefined, 'an entry larger than the bound is not kept');
});

test.run();
