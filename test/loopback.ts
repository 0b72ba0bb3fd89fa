// Loopback HTTP fixtures for download tests: a server that records what each request asked for,
// Range support, and a catalog of one generated Kokoro model served from it.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildKokoroModel, buildVoicePack } from '../scripts/gen-test-models.js';
import { tempDir } from './helpers.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Recorded {
  url: string;
  range?: string;
  ifRange?: string;
}

export interface Loopback {
  url: string;
  requests: Recorded[];
  close: () => Promise<void>;
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A loopback HTTP server on 127.0.0.1; `requests` records what each request asked for. */
export async function serve(handler: Handler): Promise<Loopback> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', ...(req.headers.range ? { range: req.headers.range } : {}), ...(req.headers['if-range'] ? { ifRange: String(req.headers['if-range']) } : {}) });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Serves `body`, honouring Range requests (and ignoring If-Range: the caller decides that). */
export function sendWithRanges(body: Uint8Array, req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders = {}): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m) {
    const start = Number(m[1]);
    if (start >= body.length) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(206, { ...headers, 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  res.end(body);
}

/** Writes `body` (from the Range asked for, if any) in `piece`-byte writes, one every `everyMs`: a slow but steady server. */
export function sendThrottled(body: Uint8Array, res: ServerResponse, piece: number, everyMs: number, req?: IncomingMessage): void {
  const m = /^bytes=(\d+)-$/.exec(req?.headers.range ?? '');
  let at = m ? Math.min(Number(m[1]), body.length) : 0;
  if (m) res.writeHead(206, { 'Content-Length': body.length - at, 'Content-Range': `bytes ${at}-${body.length - 1}/${body.length}`, 'Content-Type': 'application/octet-stream' });
  else res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'application/octet-stream' });
  const tick = (): void => {
    if (res.destroyed) return;
    const end = Math.min(body.length, at + piece);
    res.write(body.subarray(at, end));
    at = end;
    if (at >= body.length) res.end();
    else setTimeout(tick, everyMs);
  };
  tick();
}

export interface KokoroFixture {
  model: Uint8Array;
  voice: Uint8Array;
  /** url path → body */
  files: Record<string, Uint8Array>;
}

export function kokoroFixture(): KokoroFixture {
  const model = buildKokoroModel();
  const voice = buildVoicePack(3);
  return { model, voice, files: { '/onnx/model.onnx': model, '/voices/gen_alpha.bin': voice } };
}

/** A catalog with one Kokoro model ("loop") whose files are at `base`; `patch` edits the entry. */
export function writeCatalog(base: string, fx: KokoroFixture, patch: (entry: Record<string, unknown>) => void = () => undefined): string {
  const entry: Record<string, unknown> = {
    id: 'loop',
    family: 'kokoro',
    description: 'served on loopback',
    sampleRate: 24000,
    defaultVoice: 'gen_alpha',
    defaultDtype: 'fp32',
    variants: { fp32: { file: 'model.onnx', url: `${base}/onnx/model.onnx`, size: fx.model.byteLength, sha256: sha256(fx.model) } },
    voices: { url: `${base}/voices/{voice}.bin`, size: fx.voice.byteLength, sha256: { gen_alpha: sha256(fx.voice) } },
  };
  patch(entry);
  const path = join(tempDir('tts-catalog-'), 'catalog.json');
  writeFileSync(path, JSON.stringify({ version: 1, default: 'loop', models: [entry] }));
  return path;
}
