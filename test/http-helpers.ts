// Helpers for tests of `tts serve`: start a real server process on a free loopback port, and make
// raw HTTP requests to it (node:http, no client library: what an OpenAI client sends, byte for byte).
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { BIN } from './helpers.js';

export interface HttpServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const started: ChildProcess[] = [];
/** Kills every server a test started (call from test.after.each). */
export function killServers(): void {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Starts `tts serve --port 0 …` and resolves once it is ready (model loaded). */
export async function startHttpServer(cache: string, args: string[] = [], env: Record<string, string> = {}): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: { ...process.env, TTS_CACHE_DIR: cache, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(child);
  let err = '';
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const port = await new Promise<number>((res, rej) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m && /ready/.test(err)) res(Number(m[1]));
    });
    void exit.then((code) => rej(new Error(`tts serve exited with ${code} before it was ready:\n${err}`)));
  });
  return { child, port, url: `http://127.0.0.1:${port}`, stderr: () => err, exit };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The response ended early (the connection broke mid-body). */
  truncated: boolean;
}

/** One HTTP request; a connection error rejects, a broken body resolves with truncated: true. */
export function http(url: string, opts: { method?: string; body?: string | Buffer; headers?: Record<string, string>; onFirstData?: (destroy: () => void) => void } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'), headers: { ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers }, agent: false }, (res) => {
      const parts: Buffer[] = [];
      let first = true;
      const finish = (truncated: boolean): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), truncated });
      res.on('data', (d: Buffer) => {
        parts.push(d);
        if (first) {
          first = false;
          opts.onFirstData?.(() => req.destroy());
        }
      });
      res.on('end', () => finish(false));
      res.on('error', () => finish(true));
      res.on('aborted', () => finish(true));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const speech = (url: string, body: object, headers: Record<string, string> = {}): Promise<HttpResult> =>
  http(`${url}/v1/audio/speech`, { body: JSON.stringify(body), headers });
