import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ServerError, TtsClient } from '../src/serve/client.js';
import { Engine } from '../src/engine/engine.js';
import { cacheWithModels, collect } from './helpers.js';

test('the client speaks: chunks in order, the same PCM as the engine, done with timings', async () => {
  const cache = cacheWithModels();
  const client = await TtsClient.start({ cacheDir: cache, args: ['--no-cache'], stderr: 'ignore' });
  try {
    const text = 'The client works, and this first sentence is long enough to be a chunk. It streams chunks.';
    const speech = client.speak(text);
    const got: number[] = [];
    let seq = 0;
    for await (const c of speech) {
      assert.is(c.seq, seq++);
      assert.is(c.sampleRate, 24000);
      for (const v of c.pcm) got.push(v);
    }
    const done = await speech.done;
    assert.is(done?.chunks, 2);
    assert.ok((done?.timings.totalMs ?? 0) > 0);
    const engine = new Engine({ cacheDir: cache, cache: false });
    try {
      assert.equal(got, (await collect(engine.synthesize({ text }))).flatMap((c) => Array.from(c.pcm)));
    } finally {
      await engine.close();
    }
  } finally {
    assert.is(await client.close(), 0);
  }
});

test('the client cancels, reports server errors, and reads stats', async () => {
  const cache = cacheWithModels({ work: 4 });
  const client = await TtsClient.start({ cacheDir: cache, args: ['--no-cache'], stderr: 'ignore' });
  try {
    const long = client.speak(Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} is here.`).join(' '));
    let chunks = 0;
    for await (const _ of long) {
      if (++chunks === 1) long.cancel();
    }
    assert.is(await long.done, null, 'a cancelled request settles with null');
    assert.ok(chunks < 30);
    const bad = client.speak('Hello.', { voice: 'zz_nobody' });
    try {
      for await (const _ of bad) void _;
      assert.unreachable('should throw');
    } catch (err) {
      assert.instance(err, ServerError);
      assert.is((err as ServerError).code, 'UNKNOWN_VOICE');
    }
    const stats = (await client.stats()) as { requests: { cancelled: number; errors: number } };
    assert.is(stats.requests.cancelled, 1);
    assert.is(stats.requests.errors, 1);
  } finally {
    assert.is(await client.close(), 0);
  }
});

test.run();
