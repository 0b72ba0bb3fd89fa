// Scale-out, for real on loopback: 3 `tts serve` replicas sharing one redis-server, behind nginx
// running deploy/nginx/tts.conf. A phrase synthesized by one replica is a hit on another; killing a
// replica under load fails no request but those that were in flight on it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheWithModels, REPO, tempDir } from './helpers.js';
import { http, killServers, speech, startHttpServer, type HttpServerProcess } from './http-helpers.js';

const children: ChildProcess[] = [];
test.after.each(() => {
  killServers();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function have(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status === 0;
}
const NGINX = have('nginx') ? (spawnSync('sh', ['-c', 'command -v nginx']).stdout.toString().trim() || '/usr/sbin/nginx') : undefined;
const REDIS = have('redis-server') ? 'redis-server' : undefined;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function startRedis(dir: string): Promise<string> {
  const port = await freePort();
  const child = spawn(REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  children.push(child);
  const url = `redis://127.0.0.1:${port}`;
  await waitFor('redis-server', async () => {
    const { createConnection } = await import('node:net');
    return new Promise<boolean>((res) => {
      const c = createConnection(port, '127.0.0.1', () => (c.end(), res(true)));
      c.on('error', () => res(false));
    });
  });
  return url;
}

/** nginx with deploy/nginx/tts.conf, its upstream servers and listen port replaced. */
async function startNginx(dir: string, upstreams: number[]): Promise<string> {
  const port = await freePort();
  const site = readFileSync(join(REPO, 'deploy', 'nginx', 'tts.conf'), 'utf8')
    .replace(/^\s*server 10\.0\.0\.\d+:8880 (.*);\n/gm, '')
    .replace(/upstream tts \{\n/, `upstream tts {\n${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;\n`).join('')}`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'tts.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\nmaster_process off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n` +
      ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((d) => `  ${d === 'body' ? 'client_body' : d}_temp_path ${dir}/${d};\n`).join('') +
      `  include ${dir}/tts.conf;\n}\n`,
  );
  const child = spawn(NGINX!, ['-p', dir, '-e', `${dir}/error.log`, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`nginx (${err})`, async () => (await http(`${url}/healthz`)).status === 200);
  return url;
}

const replicaId = (s: HttpServerProcess): string => `${hostname()}/${s.child.pid}`;
const metricOf = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

test('3 replicas behind nginx with one Redis: cross-replica cache hits; killing a replica fails only its requests in flight', async () => {
  if (!NGINX || !REDIS) {
    if (process.env.CI) throw new Error('nginx and redis-server are required in CI (.ci/run installs them)');
    process.stdout.write('\n  skipped: nginx or redis-server not installed (apt-get install nginx redis-server); the scale-out test needs both\n');
    return;
  }
  const dir = tempDir('tts-scale-');
  const redis = await startRedis(dir);
  // Each replica has its own cache folder (the same generated model, so the same cache keys).
  const replicas = await Promise.all([0, 1, 2].map(() => startHttpServer(cacheWithModels({ work: 2 }), ['--cache-url', redis])));
  const [a, b, c] = replicas as [HttpServerProcess, HttpServerProcess, HttpServerProcess];

  // Cross-replica hit: synthesized on A, a hit on B (which never runs its model for it).
  const phrase = { input: 'Synthesized once, heard everywhere.', response_format: 'pcm' };
  const first = await speech(a.url, phrase);
  assert.is(first.headers['x-cache'], 'miss');
  const second = await speech(b.url, phrase);
  assert.is(second.status, 200);
  assert.is(second.headers['x-cache'], 'hit', 'a phrase synthesized on A is a hit on B');
  assert.ok(second.body.equals(first.body), 'the same audio');
  const bMetrics = (await http(`${b.url}/metrics`)).body.toString();
  assert.is(metricOf(bMetrics, 'tts_chunks_synthesized_total'), 0, 'B ran no synthesis');

  const lb = await startNginx(join(dir, 'nginx'), replicas.map((r) => r.port));
  const viaLb = await speech(lb, phrase);
  assert.is(viaLb.headers['x-cache'], 'hit');
  assert.ok(viaLb.body.equals(first.body));

  // Load through nginx; kill C once a few requests have completed.
  const texts = Array.from({ length: 48 }, (_, i) => `Request ${i % 12} of the load test. It has a second sentence, and a third one too.`);
  const results: { i: number; status: number; truncated: boolean; servedBy: string; startedAfterKill: boolean; error?: string }[] = [];
  let killed = false;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < texts.length) {
      const i = next++;
      const startedAfterKill = killed;
      try {
        const r = await speech(lb, { input: texts[i], response_format: 'pcm' });
        results.push({ i, status: r.status, truncated: r.truncated, servedBy: String(r.headers['x-served-by']), startedAfterKill });
      } catch (err) {
        results.push({ i, status: 0, truncated: true, servedBy: '', startedAfterKill, error: (err as Error).message });
      }
      if (results.length === 10 && !killed) {
        killed = true;
        c.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  assert.ok(killed);
  assert.is(results.length, texts.length);
  const failed = results.filter((r) => r.status !== 200 || r.truncated);
  for (const f of failed) {
    assert.is(f.servedBy, replicaId(c), `request ${f.i} failed (${f.status}${f.error ? `, ${f.error}` : ''}) but was not in flight on the killed replica`);
    assert.not.ok(f.startedAfterKill, `request ${f.i} started after the kill and failed`);
  }
  assert.ok(failed.length <= 6, `${failed.length} failed; at most the 6 in flight can`);
  const after = results.filter((r) => r.startedAfterKill);
  assert.ok(after.length > 10 && after.every((r) => r.status === 200 && !r.truncated), 'every request after the kill succeeded');
  assert.ok(results.some((r) => r.servedBy === replicaId(c) && !r.startedAfterKill), 'C served requests before it was killed');
  assert.ok(after.every((r) => r.servedBy !== replicaId(c)));
});

test.run();
