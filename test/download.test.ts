import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TtsError } from '../src/engine/errors.js';
import { downloadFile } from '../src/engine/models/download.js';
import { recordedIdentity } from '../src/engine/models/identity.js';
import { tempDir } from './helpers.js';
import { sendWithRanges, serve } from './loopback.js';

const BODY = Buffer.alloc(300_000);
for (let i = 0; i < BODY.length; i++) BODY[i] = (i * 31 + (i >> 8)) & 0xff;
const SHA = createHash('sha256').update(BODY).digest('hex');

test('a good file is downloaded, verified, renamed into place and its sha256 recorded', async () => {
  const srv = await serve((req, res) => sendWithRanges(BODY, req, res));
  try {
    const dest = join(tempDir(), 'model.onnx');
    const r = await downloadFile({ url: `${srv.url}/model.onnx`, dest, size: BODY.length, sha256: SHA });
    assert.is(r.sha256, SHA);
    assert.is(r.bytes, BODY.length);
    assert.ok(readFileSync(dest).equals(BODY));
    assert.not.ok(existsSync(`${dest}.part`));
    assert.is(await recordedIdentity(dest), SHA);
    assert.is(srv.requests.length, 1);
  } finally {
    await srv.close();
  }
});

test('a file with the wrong sha256 is rejected and nothing is left behind', async () => {
  const corrupt = Buffer.from(BODY);
  corrupt[1234] = corrupt[1234]! ^ 0xff;
  const srv = await serve((req, res) => sendWithRanges(corrupt, req, res));
  try {
    const dest = join(tempDir(), 'model.onnx');
    try {
      await downloadFile({ url: `${srv.url}/model.onnx`, dest, size: BODY.length, sha256: SHA });
      assert.unreachable('should reject');
    } catch (err) {
      assert.instance(err, TtsError);
      assert.is((err as TtsError).code, 'CHECKSUM_MISMATCH');
      assert.match((err as TtsError).message, 'model.onnx');
      assert.match((err as TtsError).message, SHA);
    }
    assert.not.ok(existsSync(dest));
    assert.not.ok(existsSync(`${dest}.part`));
  } finally {
    await srv.close();
  }
});

test('an interrupted transfer is resumed with a Range request and ends up whole', async () => {
  let first = true;
  const srv = await serve((req, res) => {
    if (first) {
      // Promise the whole body, send a third of it, then drop the connection.
      first = false;
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, 100_000), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    sendWithRanges(BODY, req, res);
  });
  try {
    const dest = join(tempDir(), 'model.onnx');
    const r = await downloadFile({ url: `${srv.url}/model.onnx`, dest, size: BODY.length, sha256: SHA }, { retries: 2 });
    assert.ok(readFileSync(dest).equals(BODY));
    assert.is(srv.requests.length, 2);
    assert.is(srv.requests[0]!.range, undefined);
    assert.match(srv.requests[1]!.range ?? '', /^bytes=\d+-$/);
    assert.ok(r.resumedFrom > 0, `resumed from ${r.resumedFrom}`);
    assert.is(srv.requests[1]!.range, `bytes=${r.resumedFrom}-`);
  } finally {
    await srv.close();
  }
});

test('a .part file left by an earlier run is resumed by the next call', async () => {
  const srv = await serve((req, res) => sendWithRanges(BODY, req, res));
  try {
    const dest = join(tempDir(), 'voice.bin');
    writeFileSync(`${dest}.part`, BODY.subarray(0, 123_456));
    const r = await downloadFile({ url: `${srv.url}/voice.bin`, dest, size: BODY.length, sha256: SHA });
    assert.is(r.resumedFrom, 123_456);
    assert.equal(srv.requests.map((q) => q.range), ['bytes=123456-']);
    assert.ok(readFileSync(dest).equals(BODY));
  } finally {
    await srv.close();
  }
});

test('a server that ignores Range restarts the transfer from zero, still correct', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Length': BODY.length });
    res.end(BODY);
  });
  try {
    const dest = join(tempDir(), 'voice.bin');
    writeFileSync(`${dest}.part`, Buffer.alloc(5000, 7)); // junk that must not be kept
    const r = await downloadFile({ url: `${srv.url}/voice.bin`, dest, size: BODY.length, sha256: SHA });
    assert.is(r.resumedFrom, 0);
    assert.ok(readFileSync(dest).equals(BODY));
  } finally {
    await srv.close();
  }
});

test('offline: the error names the file and says where to put it by hand', async () => {
  const srv = await serve((_req, res) => res.end());
  const url = `${srv.url}/kokoro-v1.0.int8.onnx`;
  await srv.close(); // nothing listens on that port any more
  const dest = join(tempDir(), 'kokoro-v1.0.int8.onnx');
  try {
    await downloadFile({ url, dest, size: 10, sha256: SHA }, { retries: 1 });
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, TtsError);
    const e = err as TtsError;
    assert.is(e.code, 'DOWNLOAD_FAILED');
    assert.match(e.message, 'kokoro-v1.0.int8.onnx');
    assert.match(e.message, url);
    assert.match(e.hint ?? '', dest);
    assert.match(e.hint ?? '', SHA);
  }
  assert.not.ok(existsSync(dest));
});

test('an HTTP error status is reported with its code', async () => {
  const srv = await serve((_req, res) => res.writeHead(404).end());
  try {
    await downloadFile({ url: `${srv.url}/missing.onnx`, dest: join(tempDir(), 'missing.onnx') });
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as TtsError).code, 'DOWNLOAD_FAILED');
    assert.match((err as TtsError).message, '404');
  } finally {
    await srv.close();
  }
});

test.run();
