import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiskCache } from '../src/engine/cache/disk.js';
import { MemoryLru } from '../src/engine/cache/memory.js';
import { tempDir } from './helpers.js';

const key = (i: number): string => i.toString(16).padStart(64, '0');
/** Keys as the caches make them: sha256 hashes, spread over the 256 shards. */
const hashKey = (i: number): string => createHash('sha256').update(String(i)).digest('hex');

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
  await c.idle(); // eviction runs in the background, never inside a put
  const total = entryFiles(dir).reduce((n, f) => n + statSync(f).size, 0);
  assert.ok(total <= 50_000, `total ${total}`);
  for (const i of [1, 2, 3, 4]) assert.is(await c.get(key(i)), undefined, `old entry ${i} evicted`);
  for (const i of [0, 5, 6, 7]) assert.ok(await c.get(key(i)), `recent entry ${i} kept`);
  const s = await c.stats();
  assert.is(s.bytes, total);
});

test('a put never waits for accounting or eviction, and no put scans the whole cache', async () => {
  const dir = tempDir();
  const c = new DiskCache(dir, 1_000_000);
  // 300 entries spread over the shards, written by "another process" (a first cache object).
  const filler = new DiskCache(dir, 1e9);
  for (let i = 0; i < 300; i++) await filler.put(hashKey(i), Buffer.alloc(4000, i));
  await filler.idle();
  const shardsBefore = readdirSync(dir).length;
  assert.ok(shardsBefore > 100, `${shardsBefore} shards`);
  const size = (): number => entryFiles(dir).reduce((n, f) => n + statSync(f).size, 0);
  assert.ok(size() > 1_000_000, 'the filler put the cache over this bound');
  // This process's first put returns before any accounting I/O is done: nothing was evicted yet.
  await c.put(hashKey(1000), Buffer.alloc(4000, 7));
  assert.ok(size() > 1_000_000, 'put did not wait for eviction');
  // In the background, the estimate from 8 sampled shards saw the cache over its bound and evicted to 90 %.
  await c.idle();
  assert.ok(size() <= 1_000_000, `after eviction ${size()}`);
  assert.ok(await c.get(hashKey(1000)), 'the entry just written is the most recent and stays');
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
