// Wires `tts serve` to this process: engine (with the optional Redis tier), scheduler, metrics,
// the HTTP server, the model preload that makes /readyz pass, and a graceful stop on signals.
import { hostname } from 'node:os';
import { Engine } from '../engine/engine.js';
import { prepareVoice } from '../engine/first-run.js';
import type { SessionOptions } from '../engine/session.js';
import type { Lexicon } from '../engine/text/pronunciation.js';
import { SpeechServer } from './http.js';
import { ServeMetrics } from './metrics.js';
import { Scheduler } from './scheduler.js';

export interface HttpServeConfig {
  port: number;
  host: string;
  cacheDir?: string;
  cache?: boolean;
  lexicon?: Lexicon;
  /** onnxruntime session settings (threads, spinning, …) of the models it loads. */
  session?: SessionOptions;
  voice?: string;
  model?: string;
  lazy?: boolean;
  parallel: number;
  maxQueue: number;
  maxInputChars: number;
  maxBodyBytes: number;
  /** redis://… : the shared audio cache tier. */
  cacheUrl?: string;
  cacheTtlSeconds?: number;
  /** How long a stop waits for requests in flight. */
  graceMs?: number;
}

export async function serveHttp(o: HttpServeConfig): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let shared: Awaited<ReturnType<typeof import('./redis-store.js').connectRedisStore>> | undefined;
  if (o.cacheUrl && o.cache !== false) {
    const { connectRedisStore } = await import('./redis-store.js');
    shared = await connectRedisStore(o.cacheUrl, { log, ...(o.cacheTtlSeconds ? { ttlSeconds: o.cacheTtlSeconds } : {}) });
  }
  let metrics: ServeMetrics | undefined;
  const engine = new Engine({
    ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    cache: o.cache !== false,
    ...(o.lexicon ? { lexicon: o.lexicon } : {}),
    ...(o.session ? { session: o.session } : {}),
    ...(shared ? { sharedCache: shared } : {}),
    backendThread: true, // synthesis never blocks answering hits
    wholeRequests: true, // a repeated request is one cache read, without the output stage
    onEvent: (e) => {
      if (e.type === 'backend-loaded') metrics?.modelLoaded(e.model, e.loadMs);
    },
  });
  const scheduler = new Scheduler({ engine, maxQueue: o.maxQueue, workers: o.parallel });
  metrics = new ServeMetrics(engine, scheduler);
  const voice = await prepareVoice(engine, { ...(o.voice ? { voice: o.voice } : {}), ...(o.model ? { model: o.model } : {}) }, { notice: log }).catch(() => ({ voice: o.voice, model: o.model }));
  const server = new SpeechServer({
    engine,
    scheduler,
    metrics,
    ...(voice.voice ? { voice: voice.voice } : {}),
    ...(voice.model ? { model: voice.model } : {}),
    maxInputChars: o.maxInputChars,
    maxBodyBytes: o.maxBodyBytes,
    replica: `${hostname()}/${process.pid}`,
    log,
  });
  const addr = await server.listen(o.port, o.host);
  log(`tts serve: listening on http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port} (POST /v1/audio/speech)`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.drain(o.graceMs ?? 10_000);
    await engine.close();
    await shared?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  if (o.lazy) server.setReady(true);
  else {
    try {
      await engine.preload({ ...(voice.voice ? { voice: voice.voice } : {}), ...(voice.model ? { model: voice.model } : {}) });
      server.setReady(true);
      log('tts serve: model loaded; ready');
    } catch (err) {
      log(`tts serve: the default model could not be loaded: ${(err as Error).message} (/readyz stays 503)`);
    }
  }
  await new Promise<void>(() => undefined); // runs until a signal stops it
}
