import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeText } from '../src/engine/text/normalize.js';
import { splitSentences, splitText } from '../src/engine/text/split.js';

test('sentences split at terminal punctuation and line breaks', () => {
  assert.equal(splitSentences('Hello world. How are you? Fine! Yes… ok\nNext line'), ['Hello world.', 'How are you?', 'Fine!', 'Yes…', 'ok', 'Next line']);
  assert.equal(splitSentences('Pi is 3.14 today.'), ['Pi is 3.14 today.']);
  assert.equal(splitSentences('He said "stop." Then left.'), ['He said "stop."', 'Then left.']);
});

test('normalization tidies whitespace, ellipses and control characters', () => {
  assert.is(normalizeText('  Hello\t\tworld...  \r\n\r\n  Bye\u0007 '), 'Hello world…\nBye');
  assert.is(normalizeText(' \n\t '), '');
});

test('a long first sentence gives its first clause as the first chunk', () => {
  const text = 'When the first clause ends here, the rest of this rather long sentence continues for quite a while longer than that. Second sentence.';
  const chunks = splitText(text);
  assert.is(chunks[0], 'When the first clause ends here,');
  assert.is(chunks.at(-1), 'Second sentence.');
  assert.is(chunks.join(' '), text);
});

test('a sentence without punctuation longer than the limit is cut at spaces without loss', () => {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
  const text = words.join(' ');
  const chunks = splitText(text, { maxChars: 300 });
  assert.ok(chunks.length >= 10);
  for (const c of chunks) assert.ok(c.length <= 300, `chunk of ${c.length}`);
  assert.is(chunks.join(' '), text);
});

test('a single word longer than the limit is cut inside, still without loss', () => {
  const text = 'x'.repeat(700);
  const chunks = splitText(text, { maxChars: 300 });
  assert.equal(chunks.map((c) => c.length), [300, 300, 100]);
  assert.is(chunks.join(''), text);
});

test('long sentences prefer clause boundaries', () => {
  const clause = 'this is a clause of some length, ';
  const text = clause.repeat(20).trim();
  const chunks = splitText(text, { maxChars: 120, firstChunkChars: 10 });
  for (const c of chunks.slice(0, -1)) assert.ok(c.endsWith(','), c);
  assert.is(chunks.join(' '), text);
});

test.run();
