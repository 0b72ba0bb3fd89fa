import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { resolve } from 'node:path';
import { cacheDirFlag, offlineFlag, parseProvidersFlag } from '../cli/flags.js';
import { sessionFlags, sessionOptions } from '../cli/session-flags.js';

export default class Warm extends TtsCommand {
  static override summary = 'Get ready to speak fast: download and verify a model, build its optimized form, load it, and pre-synthesize common phrases.';
  static override description =
    'Downloads what is missing (resumable, sha256-checked), measures whether the optimized model loads faster, runs one warm-up inference, fills the disk cache with a phrase list, and prints a readiness report.';
  static override examples = [
    '<%= config.bin %> warm',
    '<%= config.bin %> warm --model kokoro-v1.0 --dtype fp32 --voice af_heart --voice bf_emma',
    '<%= config.bin %> warm --phrases my-phrases.txt --json',
    '<%= config.bin %> warm --from /media/usb/tts-models --voice af_heart',
  ];
  static override flags = {
    model: Flags.string({ char: 'm', description: 'Model id (a Kokoro model, or any Piper voice: `tts voices`), or the path of your own .onnx [default: $TTS_MODEL, else the catalog default, kokoro-v1.0].', helpValue: 'ID' }),
    dtype: Flags.string({ description: "Variant: q8, fp32, or fp16 on a GPU [default: the model's default].", helpValue: 'DTYPE' }),
    voice: Flags.string({ char: 'v', description: "Voice to fetch and pre-synthesize with (repeatable) [default: the model's default voice].", multiple: true, helpValue: 'NAME' }),
    phrases: Flags.string({ description: 'Text file, one phrase per line, to pre-synthesize into the cache [default: a built-in list].', helpValue: 'FILE' }),
    optimize: Flags.boolean({ description: 'Build the optimized model and measure whether it loads faster.', default: true, allowNo: true }),
    provider: Flags.string({ description: 'Execution providers to try, in order, e.g. coreml or cuda,cpu (CPU is always the last resort) [default: $TTS_PROVIDER, else cuda when installed, then cpu].', helpValue: 'LIST', parse: async (v) => (parseProvidersFlag(v), v) }),
    json: Flags.boolean({ description: 'Print the readiness report as JSON on stdout.' }),
    from: Flags.string({ description: 'Install the model files from this folder instead of downloading them, checked against the same sha256 and size (for machines without network). Kokoro voices found there are installed too.', helpValue: 'DIR' }),
    offline: offlineFlag,
    'cache-dir': cacheDirFlag,
    ...sessionFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Warm);
    if (flags.offline) process.env.TTS_OFFLINE = '1';
    const { warm, MissingFilesError } = await import('../engine/warm.js');
    const { describeTuning } = await import('../engine/session-tuning.js');
    let r: Awaited<ReturnType<typeof warm>>;
    try {
      r = await warm({
        cacheDir: flags['cache-dir'],
        model: flags.model,
        dtype: flags.dtype,
        voices: flags.voice,
        phrasesFile: flags.phrases,
        optimize: flags.optimize,
        ...(flags.provider ? { providers: parseProvidersFlag(flags.provider) } : {}),
        session: sessionOptions(flags),
        download: { progress: !this.quiet, ...(flags.from ? { fromDir: resolve(flags.from) } : {}) },
      });
    } catch (err) {
      if (flags.json) {
        const e = err as { code?: string; message: string; hint?: string };
        const missing = err instanceof MissingFilesError ? err.missing : [];
        this.log(JSON.stringify({ ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message, ...(e.hint ? { hint: e.hint } : {}) }, missing }, null, 2));
      }
      throw err;
    }
    if (flags.json) {
      this.log(JSON.stringify({ ok: true, ...r }, null, 2));
      return;
    }
    const ms = (n: number): string => `${n.toFixed(0)} ms`;
    const rows: [string, string][] = [
      ['model', `${r.model} (${r.dtype})`],
      ['voices', r.voices.join(', ')],
      ['files', `${r.downloaded.length} downloaded, ${r.verified.length} verified`],
      ['provider', `${r.provider}, ${describeTuning({ ...r.session, threads: r.threads })}, optimization ${r.optLevel}`],
      ['cpu', `${r.cpu.model} (${r.cpu.id})`],
      ...r.notes.map((n): [string, string] => ['note', n]),
      ['load', ms(r.loadMs)],
      ...(r.optimized
        ? [['optimized model', `load ${ms(r.optimized.optimizedMs)} vs ${ms(r.optimized.originalMs)} → ${r.optimized.used ? 'used' : 'not used (no faster)'}`] as [string, string]]
        : []),
      ['first inference', ms(r.firstInferenceMs)],
      ['phrases', `${r.phrases} (${r.newlyCached} chunks newly cached)`],
      ['disk cache', `${r.cacheEntries} entries, ${(r.cacheBytes / 1024 / 1024).toFixed(1)} MiB`],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    this.log('ready');
    for (const [k, v] of rows) this.log(`  ${k.padEnd(w)}  ${v}`);
  }
}
