// The part-of-speech tagger's data snapshot (g2p/tagger-snapshot.ts): a process that loads the
// tagger from the snapshot tags exactly as one that loads wink-lexicon's own modules, on a few
// pages of real prose; the snapshot is made on the first load and a damaged one is ignored.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO, tempDir } from './helpers.js';

const TOKENS = join(REPO, 'dist', 'src', 'engine', 'g2p', 'tokens.js');
const PROSE = join(REPO, 'test', 'fixtures', 'public-domain.txt');

/** Tags of the prose (plus words that are Object.prototype's names), in a fresh process, with the snapshot folder `dir` (or none). */
function tags(dir: string | undefined): string {
  const script = `
    import { readFileSync } from 'node:fs';
    const { tokenize } = await import(${JSON.stringify(TOKENS)});
    const text = readFileSync(${JSON.stringify(PROSE)}, 'utf8') + ' The constructor called toString on __proto__ and hasOwnProperty; zymurgy aardvarks ran.';
    const out = [];
    for (const line of text.split(/(?<=[.!?])\\s+/)) out.push(tokenize(line, ${dir === undefined ? 'undefined' : JSON.stringify(dir)}).map((t) => t.text + '/' + t.tag).join(' '));
    process.stdout.write(out.join('\\n'));
  `;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

test('tags from the snapshot are the tags from wink-lexicon itself; the snapshot is made once; a damaged one is ignored', () => {
  const plain = tags(undefined);
  assert.ok(plain.split('\n').length > 50 && /\/NN/.test(plain) && /\/VB/.test(plain), 'the prose is tagged');
  const dir = tempDir('tts-tagger-');
  assert.is(tags(dir), plain, 'first load (makes the snapshot)');
  const files = readdirSync(dir).filter((f) => f.startsWith('wink-lexicon-') && f.endsWith('.json'));
  assert.is(files.length, 1, `one snapshot: ${readdirSync(dir).join(' ')}`);
  assert.is(tags(dir), plain, 'second load (from the snapshot)');
  writeFileSync(join(dir, files[0]!), '{"version": "damaged", "modules": {');
  assert.is(tags(dir), plain, 'a damaged snapshot');
  assert.ok(existsSync(join(dir, files[0]!)));
});

test.run();
