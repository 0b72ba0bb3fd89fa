import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { gateFlags, reportUsageError, tableWidth } from '../cli/bench-flags.js';
import { cacheDirFlag, voiceFlags } from '../cli/flags.js';
import { httpLoadFlags, httpLoadOptions } from '../cli/http-load-flags.js';
import { sessionFlags, sessionOptions } from '../cli/session-flags.js';

export default class Bench extends TtsCommand {
  static override summary = 'Measure latency: cold, warm, cached, streaming time to first audio, concurrent; gate on a baseline.';
  static override description = `Each scenario runs -n times after --warmup discarded runs, then reports n, P50/P95/P99 with bootstrap confidence intervals, mean ± SD, CV, a Shapiro–Wilk normality test, IQR outliers, CPU time and peak RSS per sample, real-time factor, throughput and cache hit rate. Every sample is a time in ms; the notes under the table say what one sample is.
Writes <timestamp>-<scenario>.json (raw samples, statistics, environment; schema: docs/bench-result.schema.json), one SVG chart of every scenario and a Markdown report to --out-dir [default: $XDG_STATE_HOME/tts/bench, or ~/.local/state/tts/bench; $TTS_BENCH_DIR overrides].

Scenarios (default: warm, cached, stream; stream speaks the long texts, several chunks each):
  cold          a fresh \`tts say --out /dev/null --no-cache\` process per run
  cold-cached   a fresh \`tts say --out /dev/null\` process per run, text already cached
  warm          model loaded, cache off: time to synthesize the text
  cached        model loaded, every chunk a memory-cache hit
  cached-disk   new engine per run, every chunk a disk-cache hit
  stream        model loaded, cache off: time to the first audio chunk (and to the last)
  serve         one request at a time through \`tts serve-stdin\`, cache off (a warm miss)
  serve-cached  one request at a time through \`tts serve-stdin\`, text cached (a hit)
  concurrent    --clients requests at once against one \`tts serve-stdin\`
  http          load on a running \`tts serve\` at --url: --rate per second (open loop) or --users with --think (closed loop), for --duration s

Regression gate: --compare BASE.json --fail-if-slower 10% exits 1 only when the whole 95 % bootstrap interval of new ÷ base (median or P95) lies above 1.10; baselines from another model, scenario, text set or thread count are refused (exit 2) unless --force.
--ab 'BASE' 'NEW' starts two tts commands as serve-stdin servers and interleaves their requests in random order, so both see the same machine load; the pairs are compared with --fail-if-slower the same way.`;
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --scenario warm --scenario cached -n 50',
    '<%= config.bin %> bench --scenario warm -n 40 --compare ~/.local/state/tts/bench/2026-11-20T10-00-00Z-warm.json --fail-if-slower 10%',
    "<%= config.bin %> bench --ab 'node /src/tts-main/bin/run.js' 'node bin/run.cjs' -n 30 --fail-if-slower 10%",
  ];
  static override flags = {
    scenario: Flags.string({
      char: 'S',
      description: 'Scenario to run (repeatable) [default: warm, cached, stream].',
      options: ['cold', 'cold-cached', 'warm', 'cached', 'cached-disk', 'stream', 'serve', 'serve-cached', 'concurrent', 'http', 'all'],
      multiple: true,
    }),
    iterations: Flags.integer({ char: 'n', description: 'Measured runs per scenario (per side with --ab).', default: 30, min: 3 }),
    warmup: Flags.integer({ description: 'Runs discarded before measuring.', default: 3, min: 0 }),
    size: Flags.string({ description: 'Built-in texts to speak [default: long for stream, medium for the others].', options: ['short', 'medium', 'long'] }),
    texts: Flags.string({ description: 'Speak these texts instead (one per line).', helpValue: 'FILE' }),
    clients: Flags.integer({ description: 'Concurrent clients (concurrent scenario).', default: 8, min: 1 }),
    ab: Flags.string({ description: "Interleave two tts commands, base then new: --ab 'BASE_CMD' 'NEW_CMD'.", multiple: true, helpValue: 'CMD' }),
    ...gateFlags,
    'out-dir': Flags.string({ description: 'Where result files go [default: $XDG_STATE_HOME/tts/bench].', helpValue: 'DIR' }),
    'no-write': Flags.boolean({ description: 'Print the summary only; write no files.' }),
    seed: Flags.integer({ description: 'Seed of the bootstrap resampling (and of the --ab order).', default: 1 }),
    json: Flags.boolean({ description: 'Print the results as JSON on stdout.' }),
    ...httpLoadFlags,
    ...voiceFlags,
    'cache-dir': cacheDirFlag,
    ...sessionFlags,
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (reportUsageError(err)) this.exit(2);
    return super.catch(err);
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Bench);
    const { TtsError } = await import('../engine/errors.js');
    const usage = (message: string, hint: string): never => {
      throw new TtsError('BAD_INPUT', message, hint);
    };
    if (flags.ab && flags.ab.length !== 2) usage(`--ab takes two commands, base then new (got ${flags.ab.length}).`, "Write --ab 'node /old/bin/run.js' 'node bin/run.cjs'.");
    if (flags.ab && flags.compare) usage('--ab and --compare cannot be combined: --ab measures its own baseline.', 'Drop one of them.');
    if (flags.ab && flags.scenario) usage('--ab runs its own scenario (requests through serve-stdin); --scenario does not apply.', 'Drop --scenario.');
    if (flags['fail-if-slower'] !== undefined && !flags.ab && !flags.compare) usage('--fail-if-slower needs a baseline.', 'Add --compare BASE.json, or --ab BASE_CMD NEW_CMD.');

    const { runBench } = await import('../bench/bench.js');
    const { readTexts } = await import('../bench/corpus.js');
    const { SCENARIOS } = await import('../bench/scenarios.js');
    const { defaultOutDir } = await import('../bench/out-dir.js');
    const { resolveCacheDir } = await import('../engine/models/paths.js');
    const { validateSpeed } = await import('../engine/engine.js');
    const { progressReporter } = await import('../cli/progress.js');
    const { fitTable, summaryRows, summaryNotes, comparisonRows, wrapLines, SUMMARY_DROP_ORDER, COMPARISON_DROP_ORDER } = await import('../bench/table.js');
    const { noiseLines } = await import('../bench/noise.js');

    const chosen = flags.scenario ?? ['warm', 'cached', 'stream'];
    const scenarios = chosen.includes('all') ? SCENARIOS.filter((s) => s !== 'http') : [...new Set(chosen)];
    if (scenarios.includes('http') && flags.rate === undefined && flags.users === undefined) this.error('The http scenario needs a load: add --rate N (open loop) or --users N --think MS (closed loop), and --url of a running `tts serve`.', { exit: 2 });
    const outDir = flags['no-write'] ? undefined : (flags['out-dir'] ?? defaultOutDir());
    const progress = progressReporter();
    let fires = false;
    try {
      const out = await runBench({
        scenarios: scenarios as (typeof SCENARIOS)[number][],
        cacheDir: resolveCacheDir(flags['cache-dir']),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.dtype ? { dtype: flags.dtype } : {}),
        ...(flags.voice ? { voice: flags.voice } : {}),
        speed: validateSpeed(flags.speed),
        ...(flags.texts ? { texts: await readTexts(flags.texts) } : flags.size ? { size: flags.size as 'short' | 'medium' | 'long' } : {}),
        iterations: flags.iterations,
        warmup: flags.warmup,
        clients: flags.clients,
        ...httpLoadOptions(flags),
        session: sessionOptions(flags),
        ...(outDir ? { outDir } : {}),
        ...(flags.compare ? { baselines: flags.compare } : {}),
        ...(flags.ab ? { ab: [flags.ab[0]!, flags.ab[1]!] as [string, string] } : {}),
        ...(flags['fail-if-slower'] !== undefined ? { failIfSlower: flags['fail-if-slower'] } : {}),
        ...(flags.force ? { force: true } : {}),
        gateOn: flags['gate-on'] as 'latency' | 'cpu',
        seed: flags.seed,
        command: ['tts', 'bench', ...this.argv].join(' '),
        onProgress: progress.update,
      });
      progress.stop();
      fires = out.comparisons.some((c) => c.fires);
      if (flags.json) {
        this.log(JSON.stringify(out, null, 2));
      } else {
        const width = tableWidth();
        this.log(fitTable(summaryRows(out.results), width, SUMMARY_DROP_ORDER));
        this.log(wrapLines(summaryNotes(out.results), width).join('\n'));
        this.log(`\n${wrapLines([`Noise: ${noiseLines(out.results).join('; ')}.`], width).join('\n')}`);
        if (out.comparisons.length) this.log(`\n${fitTable(comparisonRows(out.comparisons), width, COMPARISON_DROP_ORDER)}`);
        for (const r of out.results) if (r.detail) this.log(`\n${r.scenario}:\n${r.detail}`);
        if (out.report) this.log(`\nWrote ${out.files.length} files to ${outDir}\n  report: ${out.report}\n  chart:  ${out.chart}`);
      }
      for (const w of out.warnings) process.stderr.write(`tts: warning: ${w}\n`);
    } finally {
      progress.stop();
    }
    if (fires) this.exit(1);
  }
}
