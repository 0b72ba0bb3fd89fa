// Hostile and broken servers against downloadFile, each on 127.0.0.1: one that oversends, one
// that trickles, one that serves an error page, one whose file changes in the middle of a resume,
// and a `.part` symlink planted in the cache.
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TtsError } from '../src/engine/errors.js';
import { downloadFile, type DownloadOptions, type DownloadSpec } from '../src/engine/models/download.js';
import { tempDir } from './helpers.js';
import { sendWithRanges, serve, sha256 } from './loopback.js';

const BODY = Buffer.alloc(200_000);
for (let i = 0; i < BODY.length; i++) BODY[i] = (i * 7 + (i >> 9)) & 0xff;
const SHA = sha256(BODY);

async function failure(spec: DownloadSpec, opts?: DownloadOptions): Promise<TtsError> {
  try {
    await downloadFile(spec, opts);
  } catch (err) {
    assert.instance(err, TtsError, String(err));
    return err as TtsError;
  }
  assert.unreachable('the download should have failed');
  throw new Error('unreachable');
}

/** What a failed download left in its folder (nothing: no file, no .part, no lock). */
function leftovers(dir: string): string[] {
  return readdirSync(dir).sort();
}

test('a server that sends more than the declared size is cut off at the size and nothing is kept', async () => {
  // No Content-Length: the body just keeps coming (up to 20 MB for a 200 kB file).
  let sent = 0;
  const srv = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    const more = (): void => {
      if (res.destroyed || sent >= 20_000_000) return void res.end();
      sent += 50_000;
      res.write(Buffer.alloc(50_000, 1), more);
    };
    more();
  });
  try {
    const dir = tempDir();
    const dest = join(dir, 'model.onnx');
    const e = await failure({ url: `${srv.url}/model.onnx`, dest, size: BODY.length, sha256: SHA });
    assert.ok(sent < 5_000_000, `the client stopped reading (the server got ${sent} bytes out)`);
    assert.is(e.code, 'DOWNLOAD_FAILED');
    assert.match(e.message, `more than the declared ${BODY.length} bytes`);
    assert.equal(leftovers(dir), [], 'no file, no .part');
  } finally {
    await srv.close();
  }
});

test('a Content-Length larger than the declared size is refused before any byte is written', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Length': 400_000_000 });
    res.write(Buffer.alloc(1000));
  });
  try {
    const dir = tempDir();
    const e = await failure({ url: `${srv.url}/model.onnx`, dest: join(dir, 'model.onnx'), size: 1_280_000, sha256: SHA });
    assert.match(e.message, 'announces 400000000 bytes for a file declared as 1280000 bytes');
    assert.equal(leftovers(dir), []);
  } finally {
    await srv.close();
  }
});

test('a server that trickles a byte at a time is given up by the stall detector', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Length': BODY.length });
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(Buffer.alloc(1))), 50);
    res.on('close', () => clearInterval(timer));
  });
  try {
    const dir = tempDir();
    const e = await failure({ url: `${srv.url}/voice.bin`, dest: join(dir, 'voice.bin'), size: BODY.length, sha256: SHA }, { stallMs: 300, stallBytes: 1024, retries: 1 });
    assert.is(e.code, 'DOWNLOAD_FAILED');
    assert.match(e.message, /stalled/);
  } finally {
    await srv.close();
  }
});

test('a server steady enough for the stall detector still meets the overall deadline scaled to the size', async () => {
  const srv = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Length': BODY.length });
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(Buffer.alloc(2048))), 20);
    res.on('close', () => clearInterval(timer));
  });
  try {
    const dir = tempDir();
    // 200 kB at a required 2 MB/s is 0.1 s, plus a base of 0.3 s: far less than the ~2 s this server needs.
    const e = await failure(
      { url: `${srv.url}/voice.bin`, dest: join(dir, 'voice.bin'), size: BODY.length, sha256: SHA },
      { stallMs: 5000, deadlineBaseMs: 300, minBytesPerSecond: 2_000_000 },
    );
    assert.match(e.message, /deadline/);
  } finally {
    await srv.close();
  }
});

test('without sha256 or size, an HTML error page served as model.onnx is refused, by type or by content', async () => {
  const page = Buffer.from('<!DOCTYPE html><html><body>Rate limited</body></html>');
  for (const type of ['text/html; charset=utf-8', 'application/octet-stream']) {
    const srv = await serve((_req, res) => res.writeHead(200, { 'Content-Type': type, 'Content-Length': page.length }).end(page));
    try {
      const dir = tempDir();
      const e = await failure({ url: `${srv.url}/model.onnx`, dest: join(dir, 'model.onnx'), size: null, sha256: null });
      assert.is(e.code, 'DOWNLOAD_FAILED');
      assert.match(e.message, /web page|HTML page/);
      assert.equal(leftovers(dir), [], type);
    } finally {
      await srv.close();
    }
  }
});

test('without sha256, a file that is not ONNX is refused as model.onnx and a broken JSON as a config', async () => {
  const srv = await serve((req, res) => {
    const body = req.url === '/model.onnx' ? Buffer.from('PK\x03\x04 not a model') : Buffer.from('{"audio": ');
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  try {
    const dir = tempDir();
    const a = await failure({ url: `${srv.url}/model.onnx`, dest: join(dir, 'model.onnx') });
    assert.match(a.message, 'does not start like an ONNX model');
    const b = await failure({ url: `${srv.url}/voice.onnx.json`, dest: join(dir, 'voice.onnx.json') });
    assert.match(b.message, 'not valid JSON');
    assert.equal(leftovers(dir), []);
  } finally {
    await srv.close();
  }
});

test('a .part symlink planted in the cache is not followed: the file outside is untouched', async () => {
  const srv = await serve((req, res) => sendWithRanges(BODY, req, res));
  try {
    const dir = tempDir();
    const outside = join(tempDir(), 'victim.txt');
    writeFileSync(outside, 'precious');
    const dest = join(dir, 'voice.bin');
    symlinkSync(outside, `${dest}.part`);
    await downloadFile({ url: `${srv.url}/voice.bin`, dest, size: BODY.length, sha256: SHA });
    assert.is(readFileSync(outside, 'utf8'), 'precious');
    assert.ok(readFileSync(dest).equals(BODY));
    assert.ok(lstatSync(dest).isFile());
    assert.equal(srv.requests.map((r) => r.range), [undefined], 'the link was not taken for a partial download');
  } finally {
    await srv.close();
  }
});

/** A file that changes upstream between two attempts: v1 breaks off mid-transfer, then v2 is served. */
function changingServer(v1: Buffer, v2: Buffer, honourIfRange: boolean) {
  let calls = 0;
  return serve((req, res) => {
    calls++;
    if (calls === 1) {
      res.writeHead(200, { 'Content-Length': v1.length, ETag: '"v1"' });
      res.write(v1.subarray(0, 80_000), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    const ifRange = req.headers['if-range'];
    if (honourIfRange && ifRange && ifRange !== '"v2"') {
      res.writeHead(200, { 'Content-Length': v2.length, ETag: '"v2"' }).end(v2); // RFC 9110: whole new file
      return;
    }
    sendWithRanges(v2, req, res, { ETag: '"v2"' });
  });
}

for (const honour of [true, false]) {
  test(`a file whose ETag changes mid-resume is fetched whole, never spliced (server ${honour ? 'honours' : 'ignores'} If-Range)`, async () => {
    const v1 = Buffer.from(BODY);
    const v2 = Buffer.from(BODY.map((b) => b ^ 0x5a));
    const srv = await changingServer(v1, v2, honour);
    try {
      // No sha256 (an unpinned file): only the validator can tell the versions apart.
      const r = await downloadFile({ url: `${srv.url}/model.bin`, dest: join(tempDir(), 'model.bin'), size: BODY.length, sha256: null }, { retries: 3 });
      assert.is(r.sha256, sha256(v2), 'the file is exactly v2');
      assert.is(srv.requests[1]!.ifRange, '"v1"', 'the resume sent If-Range with the first ETag');
      assert.is(srv.requests[1]!.range, 'bytes=80000-');
      if (!honour) {
        // The 206 of another version was refused; the next request starts from zero.
        assert.is(srv.requests.length, 3);
        assert.is(srv.requests[2]!.range, undefined);
      } else assert.is(srv.requests.length, 2);
    } finally {
      await srv.close();
    }
  });
}

test('Last-Modified is the validator when there is no ETag', async () => {
  let calls = 0;
  const srv = await serve((req, res) => {
    calls++;
    const h = { 'Last-Modified': 'Tue, 01 Jul 2025 10:00:00 GMT' };
    if (calls === 1) {
      res.writeHead(200, { ...h, 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, 50_000), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    sendWithRanges(BODY, req, res, h);
  });
  try {
    const r = await downloadFile({ url: `${srv.url}/model.bin`, dest: join(tempDir(), 'model.bin'), size: BODY.length, sha256: null });
    assert.is(r.sha256, SHA);
    assert.is(r.resumedFrom, 50_000);
    assert.is(srv.requests[1]!.ifRange, 'Tue, 01 Jul 2025 10:00:00 GMT');
  } finally {
    await srv.close();
  }
});

test('a whole-sized but wrong .part left by an earlier run is discarded and the file fetched anew', async () => {
  const srv = await serve((req, res) => sendWithRanges(BODY, req, res));
  try {
    const dest = join(tempDir(), 'voice.bin');
    writeFileSync(`${dest}.part`, Buffer.alloc(BODY.length, 9));
    const r = await downloadFile({ url: `${srv.url}/voice.bin`, dest, size: BODY.length, sha256: SHA });
    assert.is(r.sha256, SHA);
    assert.ok(readFileSync(dest).equals(BODY));
    assert.equal(srv.requests.map((q) => q.range), [undefined]);
  } finally {
    await srv.close();
  }
});

test('offline: no request reaches the server, and the error says why', async () => {
  const srv = await serve((req, res) => sendWithRanges(BODY, req, res));
  try {
    const dest = join(tempDir(), 'voice.bin');
    const e = await failure({ url: `${srv.url}/voice.bin`, dest, size: BODY.length, sha256: SHA }, { offline: true });
    assert.match(e.message, /offline/);
    assert.is(srv.requests.length, 0);
    assert.not.ok(existsSync(dest));
  } finally {
    await srv.close();
  }
});

test.run();
