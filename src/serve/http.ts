// `tts serve`: an OpenAI-compatible speech endpoint on node:http (no framework: six routes, a
// streamed body and a JSON error shape need nothing more, and node:http costs no start-up time).
//
//   POST /v1/audio/speech   {model, input, voice, response_format, speed} → audio, streamed (chunked)
//   GET  /v1/audio/voices   {"voices": [...]}
//   GET  /healthz           200 while the process serves
//   GET  /readyz            200 once the default model is loaded (503 before, and while draining)
//   GET  /metrics           Prometheus text (metrics.ts)
//
// Every request goes through the shared scheduler (scheduler.ts): a cached phrase is answered at
// once; misses share the synthesis slots fairly per client (X-Client-Id, else the forwarded or
// remote address); a full queue answers 429 with Retry-After; a client that disconnects stops
// its synthesis.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/engine.js';
import { isTtsError, TtsError } from '../engine/errors.js';
import { encoderFor } from './formats.js';
import type { ServeMetrics } from './metrics.js';
import { parseSpeechBody, RequestError } from './openai.js';
import { QueueFullError, type Scheduler, type Ticket } from './scheduler.js';

export interface HttpServeOptions {
  engine: Engine;
  scheduler: Scheduler;
  metrics: ServeMetrics;
  /** Default voice and model, for requests that name none. */
  voice?: string;
  model?: string;
  maxInputChars: number;
  maxBodyBytes: number;
  /** Names this replica in the X-Served-By header. */
  replica: string;
  log: (line: string) => void;
}

/** HTTP status for an engine error code. */
const STATUS: Record<string, number> = {
  EMPTY_TEXT: 400,
  BAD_SPEED: 400,
  BAD_INPUT: 400,
  UNKNOWN_VOICE: 400,
  UNKNOWN_MODEL: 400,
  UNKNOWN_DTYPE: 400,
  BAD_LEXICON: 400,
  QUEUE_FULL: 429,
  MODEL_MISSING: 503,
  CANCELLED: 499,
};

export class SpeechServer {
  readonly http: HttpServer;
  private ready = false;
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();

  constructor(private readonly o: HttpServeOptions) {
    this.http = createServer((req, res) => void this.route(req, res));
    this.http.keepAliveTimeout = 65_000; // longer than a load balancer's idle timeout (nginx: 60 s)
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((res, rej) => {
      this.http.once('error', rej);
      this.http.listen(port, host, () => res(this.http.address() as AddressInfo));
    });
  }

  /** Marks the server ready (/readyz answers 200). */
  setReady(ready: boolean): void {
    this.ready = ready;
  }

  /** Stops accepting, fails /readyz, and waits (up to `graceMs`) for the requests in flight. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    this.http.close();
    this.http.closeIdleConnections();
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.http.closeAllConnections();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Served-By', this.o.replica);
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      if (path === '/v1/audio/speech') {
        if (req.method !== 'POST') return this.methodNotAllowed(res, 'POST');
        return await this.speech(req, res);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return this.methodNotAllowed(res, 'GET');
      if (path === '/healthz') return this.json(res, 200, { status: 'ok' });
      if (path === '/readyz') return this.json(res, this.ready && !this.draining ? 200 : 503, { ready: this.ready && !this.draining, draining: this.draining });
      if (path === '/metrics') {
        const text = await this.o.metrics.text();
        res.writeHead(200, { 'Content-Type': this.o.metrics.contentType });
        return void res.end(text);
      }
      if (path === '/v1/audio/voices') return await this.voices(res);
      return this.error(res, 404, 'NOT_FOUND', `No route ${req.method} ${path}.`, 'Routes: POST /v1/audio/speech, GET /v1/audio/voices, /healthz, /readyz, /metrics.');
    } catch (err) {
      this.o.log(`tts serve: ${req.method} ${path}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) this.error(res, 500, 'INTERNAL', 'Internal error.', 'See the server log.');
      else res.destroy();
    }
  }

  private async speech(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return this.refuse(res, 415, 'BAD_INPUT', `Content-Type "${type || '(none)'}" is not supported.`, 'Send the request as application/json.');
    }
    const raw = await this.readBody(req, res);
    if (raw === undefined) return;
    let body;
    try {
      body = parseSpeechBody(raw, this.o.maxInputChars);
    } catch (err) {
      if (err instanceof RequestError) return this.refuse(res, err.status, err.code, err.message, err.hint ?? '', err.param);
      throw err;
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(); // the client went away: stop its synthesis
    });
    let ticket: Ticket | undefined;
    let scenario: 'hit' | 'miss' | undefined;
    this.inFlight.add(res);
    try {
      const encoder = encoderFor(body.format);
      ticket = await this.o.scheduler.submit(clientOf(req), {
        text: body.input,
        ...(this.o.voice ? { voice: this.o.voice } : {}),
        ...(this.o.model ? { model: this.o.model } : {}),
        ...(body.model ? { model: body.model } : {}),
        ...(body.voice ? { voice: body.voice } : {}),
        ...(body.speed !== undefined ? { speed: body.speed } : {}),
        signal: abort.signal,
      });
      scenario = ticket.scenario;
      res.writeHead(200, { 'Content-Type': encoder.contentType, 'X-Cache': ticket.scenario, 'X-Voice': ticket.voice, 'Cache-Control': 'no-store' });
      res.flushHeaders();
      let first = true;
      for await (const c of ticket) {
        const ok = res.write(await encoder.write(c.pcm, c.sampleRate));
        if (first) this.o.metrics.firstAudio(ticket.scenario, ticket.voice, performance.now() - receivedAt);
        first = false;
        if (!ok && !abort.signal.aborted) await new Promise<void>((r) => (res.once('drain', r), res.once('close', r)));
      }
      res.end(encoder.end());
      this.o.metrics.done(ticket.scenario, ticket.voice, performance.now() - receivedAt);
    } catch (err) {
      if (abort.signal.aborted) return void this.o.metrics.failed('CANCELLED', scenario);
      if (err instanceof QueueFullError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        return this.refuse(res, 429, err.code, err.message, `Retry after ${err.retryAfterSeconds} s.`);
      }
      const e = isTtsError(err) ? err : new TtsError('INTERNAL', (err as Error).message ?? String(err));
      if (!isTtsError(err)) this.o.log(`tts serve: ${(err as Error).stack ?? String(err)}`);
      this.o.metrics.failed(e.code, scenario);
      if (res.headersSent) return void res.destroy(); // mid-stream: the client sees a truncated body
      this.error(res, STATUS[e.code] ?? 500, e.code, e.message, e.hint ?? '');
    } finally {
      ticket?.release();
      this.inFlight.delete(res);
    }
  }

  /** The body as text, or undefined after answering 413 when it passes the limit. */
  private readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
    const limit = this.o.maxBodyBytes;
    const tooLarge = (): void => {
      res.setHeader('Connection', 'close');
      this.refuse(res, 413, 'BAD_INPUT', `The body is over this server's limit of ${limit} bytes.`, 'Send a shorter text (or raise the limit with --max-body-bytes).');
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      tooLarge();
      req.resume();
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (d: Buffer) => {
        size += d.length;
        if (size > limit && !over) {
          over = true;
          tooLarge();
          resolve(undefined);
        }
        if (!over) parts.push(d);
      });
      req.on('end', () => over || resolve(Buffer.concat(parts).toString('utf8')));
      req.on('error', reject);
    });
  }

  private async voices(res: ServerResponse): Promise<void> {
    const { listVoices } = await import('../engine/voices.js');
    const rows = (await listVoices({ cacheDir: this.o.engine.cacheDir, installedOnly: true })).rows.filter((r) => r.installed);
    this.json(res, 200, { voices: rows.map((r) => r.voice), details: rows });
  }

  private refuse(res: ServerResponse, status: number, code: string, message: string, hint: string, param: string | null = null): void {
    this.o.metrics.failed(code);
    this.error(res, status, code, message, hint, param);
  }

  /** OpenAI's error shape, with our stable code and the fix. */
  private error(res: ServerResponse, status: number, code: string, message: string, hint: string, param: string | null = null): void {
    const type = status === 429 ? 'rate_limit_error' : status < 500 ? 'invalid_request_error' : 'server_error';
    this.json(res, status, { error: { message: hint ? `${message} ${hint}` : message, type, param, code } });
  }

  private methodNotAllowed(res: ServerResponse, allow: string): void {
    res.setHeader('Allow', allow);
    this.error(res, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed.', `Use ${allow}.`);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}

/** Whom a request is fair to: an explicit client id, else the end user's address, else the connection. */
function clientOf(req: IncomingMessage): string {
  const id = req.headers['x-client-id'];
  if (typeof id === 'string' && id) return `id:${id.slice(0, 200)}`;
  const fwd = req.headers['x-forwarded-for'];
  if (typeof fwd === 'string' && fwd) return `ip:${fwd.split(',')[0]!.trim()}`;
  return `conn:${req.socket.remoteAddress}:${req.socket.remotePort}`;
}
