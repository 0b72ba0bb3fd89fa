import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag, cacheFlag, deviceFlag, lexiconFlag, offlineFlag } from '../cli/flags.js';
import { loadLexiconFor } from '../cli/lexicon.js';
import { sessionFlags, sessionOptions } from '../cli/session-flags.js';

export default class ServeStdin extends TtsCommand {
  static override summary = 'Keep the model warm and answer JSON-lines requests on stdin (for programs that embed tts).';
  static override description = `Protocol version 1 (docs/serve-stdin.md). One request per line:
  {"id":"a1","text":"Hello.","output":"stream"}        output: play | stream | file (with "path")
  {"type":"cancel","id":"a1"}   {"type":"stats"}   {"type":"shutdown"}
A line that does not start with "{" is text to speak with the defaults.
Events go to stdout, one JSON object per line and nothing else: ready, accepted, audio (base64 PCM16,
or with --audio-encoding binary the raw bytes right after the line),
done, cancelled, error (with a stable code), stats. Logs go to stderr.
End of input finishes the queued work, then exits 0; SIGINT, SIGTERM and "shutdown" cancel what is
left, then exit 0.`;
  static override examples = [
    'echo \'{"id":"1","text":"Hello.","output":"file","path":"/tmp/hello.wav"}\' | <%= config.bin %> serve-stdin',
    '<%= config.bin %> serve-stdin --output stream --voice af_heart --warn-p95 200',
  ];
  static override flags = {
    voice: Flags.string({ char: 'v', description: 'Default voice.', helpValue: 'NAME' }),
    speed: Flags.string({ char: 's', description: 'Default speed, 0.5 to 2.0.', default: '1', helpValue: 'RATE' }),
    model: Flags.string({ char: 'm', description: 'Model to serve [default: as for `tts say`].', helpValue: 'ID' }),
    output: Flags.string({ description: 'Output of requests that name none, and of plain-text lines.', options: ['play', 'stream', 'file'], default: 'play' }),
    'audio-encoding': Flags.string({ description: 'How audio events carry PCM: base64 in the JSON, or binary (raw bytes right after the event line; see docs).', options: ['base64', 'binary'], default: 'base64' }),
    lazy: Flags.boolean({ description: 'Load the model on the first request instead of at start.' }),
    parallel: Flags.integer({ description: 'Chunks synthesized at once (requests share them fairly; cache hits need none).', default: 1, min: 1 }),
    'max-queue': Flags.integer({ description: 'Requests waiting for synthesis beyond which new ones get a QUEUE_FULL error.', default: 1000, min: 1 }),
    'max-line-bytes': Flags.integer({ description: 'Longest accepted line; longer ones get a LINE_TOO_LONG error.', default: 1024 * 1024, min: 64 }),
    'monitor-window': Flags.integer({ description: 'Requests in the rolling latency window.', default: 100, min: 5 }),
    'warn-p95': Flags.integer({ description: 'Warn on stderr when the rolling P95 time to first audio passes this many ms.', helpValue: 'MS' }),
    device: deviceFlag,
    lexicon: lexiconFlag,
    cache: cacheFlag,
    'cache-dir': cacheDirFlag,
    offline: offlineFlag,
    ...sessionFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ServeStdin);
    if (flags.offline) process.env.TTS_OFFLINE = '1';
    const session = sessionOptions(flags);
    const { serveStdin } = await import('../serve/stdio.js');
    const { validateSpeed } = await import('../engine/engine.js');
    const lexicon = await loadLexiconFor(flags.lexicon);
    await serveStdin({
      cacheDir: flags['cache-dir'],
      ...(lexicon ? { lexicon } : {}),
      cache: flags.cache,
      session,
      output: flags.output as 'play' | 'stream' | 'file',
      audioEncoding: flags['audio-encoding'] as 'base64' | 'binary',
      ...(flags.voice ? { voice: flags.voice } : {}),
      speed: validateSpeed(flags.speed),
      ...(flags.model ? { model: flags.model } : {}),
      lazy: flags.lazy,
      parallel: flags.parallel,
      maxQueue: flags['max-queue'],
      maxLineBytes: flags['max-line-bytes'],
      monitorWindow: flags['monitor-window'],
      ...(flags['warn-p95'] ? { warnP95Ms: flags['warn-p95'] } : {}),
      ...(flags.device ? { device: flags.device } : {}),
    });
  }
}
