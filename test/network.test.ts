// The network as a first run meets it, through the real CLI: a host that accepts and never
// answers, an HTTP proxy from the environment, and --offline / TTS_OFFLINE.
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readWavInfo } from '../src/engine/audio/wav.js';
import { runCli, tempDir, type RunOptions, type RunResult } from './helpers.js';
import { kokoroFixture, sendThrottled, serve, writeCatalog } from './loopback.js';

/** runCli, killed after `ms` (a generous bound: a hang fails the test instead of the suite). */
async function runBounded(args: string[], opts: RunOptions, ms = 60_000): Promise<RunResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`tts ${args.join(' ')} still running after ${ms} ms`)), ms)));
  try {
    return await Promise.race([runCli(args, opts), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const NO_PROXY_ENV = { HTTP_PROXY: undefined, HTTPS_PROXY: undefined, http_proxy: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined, TTS_OFFLINE: undefined, TTS_MODEL: undefined };

test('a host that accepts connections and never answers: say falls back to the built-in voice', async () => {
  const sockets: Socket[] = [];
  const server = createServer((s) => void sockets.push(s)); // accepts, reads nothing, says nothing
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const out = join(tempDir(), 'x.wav');
    const r = await runBounded(['say', 'Hello.', '--out', out], { env: { ...NO_PROXY_ENV, TTS_CACHE_DIR: tempDir(), TTS_CATALOG: writeCatalog(base, kokoroFixture()) } });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /could not be downloaded \(the host accepted the connection but sent no response in time/);
    assert.match(r.stderr, /built-in espeak-ng voice/);
    assert.is(readWavInfo(readFileSync(out)).sampleRate, 22050, 'espeak-ng spoke');
    assert.ok(sockets.length >= 1, 'the client did connect');
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('HTTP_PROXY is honoured: the download goes through the proxy, and say speaks with the model', async () => {
  const fx = kokoroFixture();
  const origin = await serve((req, res) => {
    const body = fx.files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': body.byteLength }).end(body);
  });
  // A forwarding proxy: CONNECT tunnels and absolute-form requests, each recorded.
  const seen: string[] = [];
  const proxy = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const up = httpRequest(req.url!, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  try {
    const out = join(tempDir(), 'p.wav');
    const originHost = origin.url.replace('http://', '');
    const r = await runBounded(['say', 'Hello.', '--out', out], { env: { ...NO_PROXY_ENV, HTTP_PROXY: proxyUrl, TTS_CACHE_DIR: tempDir(), TTS_CATALOG: writeCatalog(origin.url, fx) } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    assert.is(readWavInfo(readFileSync(out)).sampleRate, 24000, 'the downloaded model spoke');
    assert.ok(seen.length >= 2, `the proxy saw ${JSON.stringify(seen)}`);
    assert.ok(seen.every((s) => s.includes(originHost)), `every proxied request was for the origin: ${JSON.stringify(seen)}`);
    assert.is(origin.requests.length, 2, 'model and voice, each once, via the proxy');
  } finally {
    await origin.close();
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
  }
});

test('--offline and TTS_OFFLINE=1 make no network call: say falls back and says why', async () => {
  const srv = await serve((_req, res) => res.writeHead(500).end());
  try {
    const catalog = writeCatalog(srv.url, kokoroFixture());
    for (const [args, env] of [
      [['--offline'], {}],
      [[], { TTS_OFFLINE: '1' }],
    ] as const) {
      const out = join(tempDir(), 'o.wav');
      const r = await runBounded(['say', 'Hello.', '--out', out, ...args], { env: { ...NO_PROXY_ENV, ...env, TTS_CACHE_DIR: tempDir(), TTS_CATALOG: catalog } });
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stderr, /offline mode/);
      assert.ok(existsSync(out));
    }
    const w = await runBounded(['warm', '--offline', '--json'], { env: { ...NO_PROXY_ENV, TTS_CACHE_DIR: tempDir(), TTS_CATALOG: catalog } });
    assert.is(w.code, 1);
    assert.match(w.stderr, /offline mode/);
    assert.is(srv.requests.length, 0, 'the server counted no request');
  } finally {
    await srv.close();
  }
});

test('without a terminal, a download prints a progress line every few seconds on stderr', async () => {
  const fx = kokoroFixture();
  const srv = await serve((req, res) => {
    const body = fx.files[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    sendThrottled(body, res, Math.ceil(body.byteLength / 8), 60); // slow enough for a few 100 ms progress intervals
  });
  try {
    const r = await runBounded(['warm', '--no-optimize', '--json'], { env: { ...NO_PROXY_ENV, TTS_PROGRESS_INTERVAL_MS: '100', TTS_CACHE_DIR: tempDir(), TTS_CATALOG: writeCatalog(srv.url, fx) } });
    assert.is(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('tts: downloading model.onnx: '));
    assert.ok(lines.length >= 1, r.stderr);
    assert.match(lines[0]!, /^tts: downloading model\.onnx: [\d.]+\/[\d.]+ MB \(\d+ %\), [\d.]+ MB\/s$/);
  } finally {
    await srv.close();
  }
});

test.run();
