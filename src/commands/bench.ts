import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { cacheDirFlag, voiceFlags } from '../cli/flags.js';
import { httpLoadFlags, httpLoadOptions } from '../cli/http-load-flags.js';

export default class Bench extends TtsCommand {
  static override summary = 'Measure latency: cold, warm, cached, streaming time to first audio, concurrent.';
  static override description = `Each scenario runs -n times after --warmup discarded runs, then reports n, mean, SD, P50–P99 with bootstrap confidence intervals, a Student t interval of the mean, a Shapiro–Wilk normality test with a plain verdict, IQR outliers, real-time factor, throughput and cache hit rate.
Writes bench-results/<timestamp>-<scenario>.json (raw samples, statistics, environment), an SVG chart per scenario and a Markdown report.

Scenarios:
  cold          a fresh \`tts say --out /dev/null --no-cache\` process per run
  cold-cached   a fresh \`tts say --out /dev/null\` process per run, text already cached
  warm          model loaded, cache off: time to synthesize the text
  cached        model loaded, every chunk a memory-cache hit
  cached-disk   new engine per run, every chunk a disk-cache hit
  stream        model loaded, cache off: time to the first audio chunk
  serve         one request at a time through \`tts serve-stdin\`, cache off (a warm miss)
  serve-cached  one request at a time through \`tts serve-stdin\`, text cached (a hit)
  concurrent    --clients requests at once against one \`tts serve-stdin\`
  http          load on a running \`tts serve\` at --url: --rate per second (open loop) or --users with --think (closed loop), for --duration s`;
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --scenario warm --scenario cached -n 50',
    '<%= config.bin %> bench --scenario stream --size long',
    '<%= config.bin %> bench --scenario cold -n 20 --compare bench-results/2026-11-20T10-00-00Z-cold.json',
  ];
  static override flags = {
    scenario: Flags.string({
      char: 'S',
      description: 'Scenario to run (repeatable) [default: warm, cached, stream].',
      options: ['cold', 'cold-cached', 'warm', 'cached', 'cached-disk', 'stream', 'serve', 'serve-cached', 'concurrent', 'http', 'all'],
      multiple: true,
    }),
    iterations: Flags.integer({ char: 'n', description: 'Measured runs per scenario.', default: 30, min: 3 }),
    warmup: Flags.integer({ description: 'Runs discarded before measuring.', default: 3, min: 0 }),
    size: Flags.string({ description: 'Built-in texts to speak.', options: ['short', 'medium', 'long'], default: 'medium' }),
    texts: Flags.string({ description: 'Speak these texts instead (one per line).', helpValue: 'FILE' }),
    clients: Flags.integer({ description: 'Concurrent clients (concurrent scenario).', default: 8, min: 1 }),
    threads: Flags.integer({ description: 'Intra-op threads [default: physical cores].', min: 1 }),
    compare: Flags.string({ description: 'Baseline result file to compare with (repeatable).', multiple: true, helpValue: 'BASELINE.json' }),
    'out-dir': Flags.string({ description: 'Where result files go.', default: 'bench-results', helpValue: 'DIR' }),
    'no-write': Flags.boolean({ description: 'Print the summary only; write no files.' }),
    seed: Flags.integer({ description: 'Seed of the bootstrap resampling.', default: 1 }),
    json: Flags.boolean({ description: 'Print the results as JSON on stdout.' }),
    ...httpLoadFlags,
    ...voiceFlags,
    'cache-dir': cacheDirFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Bench);
    const { runBench } = await import('../bench/bench.js');
    const { readTexts } = await import('../bench/corpus.js');
    const { SCENARIOS } = await import('../bench/scenarios.js');
    const { resolveCacheDir } = await import('../engine/models/paths.js');
    const { validateSpeed } = await import('../engine/engine.js');
    const { progressReporter } = await import('../cli/progress.js');
    const { textTable, summaryRows, comparisonRows } = await import('../bench/table.js');

    const chosen = flags.scenario ?? ['warm', 'cached', 'stream'];
    const scenarios = chosen.includes('all') ? SCENARIOS.filter((s) => s !== 'http') : [...new Set(chosen)];
    if (scenarios.includes('http') && flags.rate === undefined && flags.users === undefined) this.error('The http scenario needs a load: add --rate N (open loop) or --users N --think MS (closed loop), and --url of a running `tts serve`.', { exit: 2 });
    const progress = progressReporter();
    try {
      const out = await runBench({
        scenarios: scenarios as (typeof SCENARIOS)[number][],
        cacheDir: resolveCacheDir(flags['cache-dir']),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.dtype ? { dtype: flags.dtype } : {}),
        ...(flags.voice ? { voice: flags.voice } : {}),
        speed: validateSpeed(flags.speed),
        ...(flags.texts ? { texts: await readTexts(flags.texts) } : { size: flags.size as 'short' | 'medium' | 'long' }),
        iterations: flags.iterations,
        warmup: flags.warmup,
        clients: flags.clients,
        ...httpLoadOptions(flags),
        ...(flags.threads ? { threads: flags.threads } : {}),
        ...(flags['no-write'] ? {} : { outDir: flags['out-dir'] }),
        ...(flags.compare ? { baselines: flags.compare } : {}),
        seed: flags.seed,
        command: ['tts', 'bench', ...this.argv].join(' '),
        onProgress: progress.update,
      });
      progress.stop();
      if (flags.json) {
        this.log(JSON.stringify(out, null, 2));
        return;
      }
      this.log(textTable(summaryRows(out.results)));
      for (const r of out.results) if (r.detail) this.log(`\n${r.scenario}:\n${r.detail}`);
      if (out.comparisons.length) this.log(`\n${textTable(comparisonRows(out.comparisons))}`);
      if (out.report) this.log(`\nwrote ${out.files.length} files; report: ${out.report}`);
    } finally {
      progress.stop();
    }
  }
}
