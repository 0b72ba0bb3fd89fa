// Reads of model folders are remembered only while a stat shows the file or folder unchanged:
// every kind of change is seen on the next read, and nothing is remembered whose time is too recent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderNames, parsedFile, subfolderNames } from '../src/engine/models/unchanged-reads.js';

const root = mkdtempSync(join(tmpdir(), 'tts-unchanged-'));
const anHourAgo = new Date(Date.now() - 3600_000);
const old = (path: string): void => utimesSync(path, anHourAgo, anHourAgo);
const parse = (text: string): { v: unknown } => JSON.parse(text) as { v: unknown };

test.after(() => rmSync(root, { recursive: true, force: true }));

test('a file is parsed again only when it changed: rewritten in place (even to the same size and time), replaced by a rename, removed', () => {
  const file = join(root, 'model.json');
  writeFileSync(file, '{"v":1}');
  // Written a moment ago: its time cannot tell a change made in the same tick, so it is not remembered.
  assert.is.not(parsedFile('t', file, parse), parsedFile('t', file, parse));
  old(file);
  const first = parsedFile('t', file, parse);
  assert.is(parsedFile('t', file, parse), first, 'unchanged: the remembered result');
  assert.equal(first, { v: 1 });
  writeFileSync(file, '{"v":2}');
  old(file); // same size, same modification time: the change time still moves
  assert.equal(parsedFile('t', file, parse), { v: 2 });
  writeFileSync(`${file}.tmp`, '{"v":3}');
  old(`${file}.tmp`);
  renameSync(`${file}.tmp`, file);
  assert.equal(parsedFile('t', file, parse), { v: 3 });
  rmSync(file);
  assert.is(parsedFile('t', file, parse), undefined);
  writeFileSync(file, '{"v":');
  old(file);
  assert.throws(() => parsedFile('t', file, parse), /JSON/);
  writeFileSync(file, '{"v":4}');
  assert.equal(parsedFile('t', file, parse), { v: 4 }, 'after a failed parse');
});

test('a folder is listed again when an entry is added, removed or renamed', () => {
  const dir = join(root, 'voices');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.bin'), '');
  old(dir);
  const first = folderNames(dir);
  assert.is(folderNames(dir), first);
  assert.equal([...first!], ['a.bin']);
  writeFileSync(join(dir, 'b.bin'), '');
  assert.equal([...folderNames(dir)!].sort(), ['a.bin', 'b.bin']);
  old(dir);
  renameSync(join(dir, 'b.bin'), join(dir, 'c.bin'));
  assert.equal([...folderNames(dir)!].sort(), ['a.bin', 'c.bin']);
  old(dir);
  rmSync(join(dir, 'a.bin'));
  assert.equal([...folderNames(dir)!], ['c.bin']);
  mkdirSync(join(dir, 'sub'));
  old(dir);
  assert.equal([...subfolderNames(dir)!], ['sub']);
  rmSync(dir, { recursive: true });
  assert.is(folderNames(dir), undefined);
  assert.is(subfolderNames(dir), undefined);
});

test.run();
