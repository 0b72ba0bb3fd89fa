import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeText } from '../src/engine/text/normalize.js';
import { splitAtSpaces, splitClauses, splitSentences } from '../src/engine/text/split.js';

test('sentences split at terminal punctuation and line breaks', () => {
  assert.equal(splitSentences('Hello world. How are you? Fine! Really?! Yes.\nNext line'), ['Hello world.', 'How are you?', 'Fine!', 'Really?!', 'Yes.', 'Next line']);
  assert.equal(splitSentences('Pi is 3.14 today.'), ['Pi is 3.14 today.']);
  assert.equal(splitSentences('He said "stop." Then left.'), ['He said "stop."', 'Then left.']);
  assert.equal(splitSentences('It ended.)] Next one.'), ['It ended.)]', 'Next one.']);
  // A lowercase word after a period does not start a sentence.
  assert.equal(splitSentences('Um… I think so. yes, that too.'), ['Um… I think so. yes, that too.']);
});

test('sentences in Chinese and Japanese end at 。！？ without a space', () => {
  assert.equal(splitSentences('今日は晴れです。散歩に行きますか？はい！'), ['今日は晴れです。', '散歩に行きますか？', 'はい！']);
  assert.equal(splitSentences('你好。我很好！你呢？'), ['你好。', '我很好！', '你呢？']);
});

test('clauses end after , ; : and dashes followed by a space, and after full-width marks', () => {
  assert.equal(splitClauses('First, second; third: fourth — fifth'), ['First,', 'second;', 'third:', 'fourth —', 'fifth']);
  assert.equal(splitClauses('He paid 1,000 dollars at 3:30, "then," he left.'), ['He paid 1,000 dollars at 3:30,', '"then,"', 'he left.']);
  assert.equal(splitClauses('我们走吧，好吗'), ['我们走吧，', '好吗']);
  assert.equal(splitClauses('no clause here'), ['no clause here']);
});

test('a run of words longer than the limit is cut at spaces without loss', () => {
  const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
  const text = words.join(' ');
  const pieces = splitAtSpaces(text, 300);
  assert.ok(pieces.length >= 10);
  for (const c of pieces) assert.ok(c.length <= 300, `piece of ${c.length}`);
  assert.is(pieces.join(' '), text);
});

test('a single word longer than the limit is cut inside, still without loss', () => {
  const text = 'x'.repeat(700);
  const pieces = splitAtSpaces(text, 300);
  assert.equal(pieces.map((c) => c.length), [300, 300, 100]);
  assert.is(pieces.join(''), text);
});

test('normalization tidies whitespace, ellipses and control characters', () => {
  assert.is(normalizeText('  Hello\t\tworld...  \r\n\r\n  Bye\u0007 '), 'Hello world…\nBye');
  assert.is(normalizeText(' \n\t '), '');
});

test.run();
