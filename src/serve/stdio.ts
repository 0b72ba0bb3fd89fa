// Wires the server to this process: stdin in, stdout out (written asynchronously, so a slow
// reader applies backpressure instead of blocking the event loop), logs on stderr, signals.
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { Engine } from '../engine/engine.js';
import { prepareVoice } from '../engine/first-run.js';
import type { SessionOptions } from '../engine/session.js';
import type { Lexicon } from '../engine/text/pronunciation.js';
import type { Output } from './protocol.js';
import { Scheduler } from './scheduler.js';
import { Server } from './server.js';

export interface ServeOptions {
  cacheDir?: string;
  lexicon?: Lexicon;
  cache?: boolean;
  /** onnxruntime session settings (threads, spinning, …) of the models it loads. */
  session?: SessionOptions;
  output: Output;
  audioEncoding?: 'base64' | 'binary';
  voice?: string;
  speed?: number;
  model?: string;
  lazy?: boolean;
  parallel: number;
  maxQueue: number;
  maxLineBytes: number;
  monitorWindow: number;
  warnP95Ms?: number;
  device?: string;
}

/** stdout as an asynchronous stream: Node writes pipes synchronously on Linux, which would block. */
function stdoutStream(): Writable {
  try {
    const st = fstatSync(1);
    if (st.isFIFO() || st.isSocket()) return new Socket({ fd: 1, readable: false, writable: true });
  } catch {
    /* fall back to process.stdout */
  }
  return process.stdout;
}

export async function serveStdin(o: ServeOptions): Promise<void> {
  const engine = new Engine({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), cache: o.cache !== false, ...(o.lexicon ? { lexicon: o.lexicon } : {}), ...(o.session ? { session: o.session } : {}), backendThread: true });
  const out = stdoutStream();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  // No model installed: fetch the default one, or serve the built-in voice.
  const voice = await prepareVoice(engine, { ...(o.voice ? { voice: o.voice } : {}), ...(o.model ? { model: o.model } : {}) }, { notice: log }).catch(() => ({ voice: o.voice, model: o.model }));
  const scheduler = new Scheduler({ engine, maxQueue: o.maxQueue, workers: o.parallel });
  const server = new Server({
    engine,
    scheduler,
    out,
    log,
    output: o.output,
    ...(o.audioEncoding ? { audioEncoding: o.audioEncoding } : {}),
    ...(voice.voice ? { voice: voice.voice } : {}),
    ...(o.speed ? { speed: o.speed } : {}),
    ...(voice.model ? { model: voice.model } : {}),
    maxLineBytes: o.maxLineBytes,
    monitorWindow: o.monitorWindow,
    ...(o.warnP95Ms ? { warnP95Ms: o.warnP95Ms } : {}),
    ...(o.device ? { device: o.device } : {}),
  });

  let finishing: Promise<void> | undefined;
  const finish = (how: 'drain' | 'cancel'): Promise<void> =>
    (finishing ??= (async () => {
      process.stdin.pause();
      if (how === 'cancel') await server.stopAll();
      else await server.idle();
      await engine.close();
      await new Promise<void>((res) => out.end(() => res()));
      process.exit(0);
    })());

  server.onShutdownRequest(() => void finish('cancel'));
  process.once('SIGINT', () => void finish('cancel'));
  process.once('SIGTERM', () => void finish('cancel'));

  await server.announceReady(o.lazy === true);

  const stdin = process.stdin;
  stdin.on('data', (chunk: Buffer) => {
    server.feed(chunk);
    if (server.congested && !stdin.isPaused()) {
      stdin.pause();
      out.once('drain', () => stdin.resume());
    }
  });
  stdin.on('end', () => {
    server.endOfInput();
    void finish('drain');
  });
  await new Promise<void>(() => undefined); // runs until finish() exits the process
}
