// The shared scheduler, in process with the real engine and onnxruntime: hits bypass the queue,
// misses are shared round-robin, a full queue refuses, a cancelled request stops.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine } from '../src/engine/engine.js';
import { QueueFullError, Scheduler } from '../src/serve/scheduler.js';
import { cacheWithModels, collect } from './helpers.js';

const long = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag} sentence number ${i + 1} is here.`).join(' ');

test('a cached request is answered while misses hold the synthesis slot, and never queues', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels({ work: 2 }), diskCache: false });
  const s = new Scheduler({ engine, maxQueue: 10 });
  try {
    await collect(await s.submit('warm', { text: 'A phrase from the cache.' }));
    const order: string[] = [];
    const misses = await Promise.all(['a', 'b', 'c'].map((c) => s.submit(c, { text: long(6, c) })));
    const running = misses.map((t, i) =>
      (async () => {
        for await (const _ of t) order.push(`miss${i}`);
      })(),
    );
    const hit = await s.submit('d', { text: 'A phrase from the cache.' });
    assert.is(hit.scenario, 'hit');
    assert.is(hit.position, 0);
    const chunks = await collect(hit);
    order.push('hit');
    assert.ok(chunks.every((c) => c.cached));
    await Promise.all(running);
    // 18 miss chunks in all; the hit arrived among the first few, not after them.
    assert.ok(order.indexOf('hit') < 6, order.join(' '));
    assert.is(s.stats().pendingRequests, 0);
  } finally {
    await engine.close();
  }
});

test('misses are served round-robin: a short text is not starved by long ones', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels(), cache: false });
  const s = new Scheduler({ engine, maxQueue: 10 });
  try {
    const order: string[] = [];
    const drain = async (name: string, text: string): Promise<void> => {
      for await (const _ of await s.submit(name, { text })) order.push(name);
    };
    // Sentences long enough that Kokoro's chunk planner gives most of them a chunk of their own.
    const longer = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag} sentence number ${i + 1} is here, and it goes on for quite a while longer, so that the planner has enough words in it to make a whole chunk of its own from this one sentence alone.`).join(' ');
    const texts = { long1: longer(8, 'first'), long2: longer(8, 'second'), short: 'Just this.' };
    const counts = await Promise.all(Object.values(texts).map(async (text) => (await engine.prepare({ text })).texts.length));
    assert.ok(counts[0]! >= 6, `long texts have ${counts[0]} chunks`);
    const a = drain('long1', texts.long1);
    const b = drain('long2', texts.long2);
    await new Promise((r) => setImmediate(r));
    const c = drain('short', texts.short);
    await Promise.all([a, b, c]);
    assert.is(order.length, counts.reduce((x, y) => x + y, 0));
    assert.ok(order.indexOf('short') <= 4, `the short request came at position ${order.indexOf('short')}: ${order.join(' ')}`);
    assert.ok(order.slice(0, 6).includes('long2'), 'both long requests progress together');
  } finally {
    await engine.close();
  }
});

test('a full queue refuses misses with a retry estimate; hits are still admitted', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels(), diskCache: false });
  const s = new Scheduler({ engine, maxQueue: 2 });
  try {
    await collect(await s.submit('x', { text: 'Already here.' }));
    const t1 = await s.submit('x', { text: long(3, 'one') });
    const t2 = await s.submit('y', { text: long(3, 'two') });
    assert.is(t2.position, 1);
    const err = await s.submit('z', { text: 'Not cached yet.' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(err, QueueFullError);
    assert.is((err as QueueFullError).code, 'QUEUE_FULL');
    assert.ok((err as QueueFullError).retryAfterSeconds >= 1);
    const hit = await s.submit('z', { text: 'Already here.' });
    assert.is(hit.scenario, 'hit');
    await collect(hit);
    await Promise.all([collect(t1), collect(t2)]);
    assert.is(s.stats().pendingRequests, 0);
    await collect(await s.submit('z', { text: 'Not cached yet.' })); // room again
  } finally {
    await engine.close();
  }
});

test('an aborted request stops: no more chunks are synthesized for it', async () => {
  const engine = new Engine({ cacheDir: cacheWithModels({ work: 2 }), cache: false });
  const s = new Scheduler({ engine, maxQueue: 10 });
  try {
    const abort = new AbortController();
    const t = await s.submit('a', { text: long(30, 'cancelled'), signal: abort.signal });
    let got = 0;
    const err = await (async () => {
      for await (const _ of t) if (++got === 2) abort.abort();
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.is((err as { code?: string }).code, 'CANCELLED');
    const after = s.stats().synthesizedChunks;
    await collect(await s.submit('b', { text: 'Something else.' }));
    // At most the chunk that was on the worker finished after the abort, plus the new request's one.
    assert.ok(s.stats().synthesizedChunks <= after + 2, `${s.stats().synthesizedChunks} chunks synthesized`);
    assert.ok(after <= 4, `${after} of 30 chunks were synthesized`);
    assert.is(s.stats().pendingRequests, 0);
    // A consumer that stops iterating releases its request too.
    const u = await s.submit('c', { text: long(10, 'dropped') });
    for await (const _ of u) break;
    assert.is(s.stats().pendingRequests, 0);
  } finally {
    await engine.close();
  }
});

test.run();
