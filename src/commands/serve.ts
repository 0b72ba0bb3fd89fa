import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag, cacheFlag, lexiconFlag } from '../cli/flags.js';
import { loadLexiconFor } from '../cli/lexicon.js';
import { sessionFlags, sessionOptions } from '../cli/session-flags.js';

export default class Serve extends TtsCommand {
  static override summary = 'Serve speech over HTTP: an OpenAI-compatible POST /v1/audio/speech, with metrics for Prometheus.';
  static override description = `Routes (docs/serve.md):
  POST /v1/audio/speech  {"model":"tts-1","input":"Hello.","voice":"af_heart","response_format":"wav","speed":1}
  GET  /v1/audio/voices   GET /healthz   GET /readyz (model loaded)   GET /metrics (Prometheus)
Audio streams as it is synthesized (chunked). Cached phrases are answered at once; misses share the
model fairly; a full queue answers 429 with Retry-After. Listens on 127.0.0.1 unless --host says otherwise.`;
  static override examples = [
    '<%= config.bin %> serve --port 8880',
    'curl -s localhost:8880/v1/audio/speech -H "Content-Type: application/json" -d \'{"input":"Hello.","response_format":"wav"}\' > hello.wav',
    '<%= config.bin %> serve --host 0.0.0.0 --cache-url redis://redis:6379',
  ];
  static override flags = {
    port: Flags.integer({ char: 'p', description: 'TCP port.', default: 8880, min: 0, max: 65535 }),
    host: Flags.string({ description: 'Address to listen on (0.0.0.0 exposes the server to the network).', default: '127.0.0.1' }),
    voice: Flags.string({ char: 'v', description: 'Default voice.', helpValue: 'NAME' }),
    model: Flags.string({ char: 'm', description: 'Model to serve [default: as for `tts say`].', helpValue: 'ID' }),
    lazy: Flags.boolean({ description: 'Load the model on the first request instead of at start.' }),
    parallel: Flags.integer({ description: 'Chunks synthesized at once (requests share them fairly).', default: 1, min: 1 }),
    'max-queue': Flags.integer({ description: 'Requests waiting for synthesis beyond which new ones get 429.', default: 256, min: 1 }),
    'max-input-chars': Flags.integer({ description: 'Longest "input" accepted (characters).', default: 4096, min: 1 }),
    'max-body-bytes': Flags.integer({ description: 'Largest request body accepted (bytes).', default: 64 * 1024, min: 256 }),
    'cache-url': Flags.string({ description: 'Shared audio cache in Redis, e.g. redis://127.0.0.1:6379 (the local cache stays in front of it).', helpValue: 'URL' }),
    'cache-ttl': Flags.integer({ description: 'Seconds before a shared cache entry expires (0: never).', default: 0, min: 0, helpValue: 'S' }),
    lexicon: lexiconFlag,
    cache: cacheFlag,
    'cache-dir': cacheDirFlag,
    ...sessionFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const session = sessionOptions(flags);
    const { serveHttp } = await import('../serve/serve-http.js');
    const lexicon = await loadLexiconFor(flags.lexicon);
    await serveHttp({
      port: flags.port,
      host: flags.host,
      cacheDir: flags['cache-dir'],
      cache: flags.cache,
      session,
      ...(lexicon ? { lexicon } : {}),
      ...(flags.voice ? { voice: flags.voice } : {}),
      ...(flags.model ? { model: flags.model } : {}),
      lazy: flags.lazy,
      parallel: flags.parallel,
      maxQueue: flags['max-queue'],
      maxInputChars: flags['max-input-chars'],
      maxBodyBytes: flags['max-body-bytes'],
      ...(flags['cache-url'] ? { cacheUrl: flags['cache-url'] } : {}),
      cacheTtlSeconds: flags['cache-ttl'],
    });
  }
}
