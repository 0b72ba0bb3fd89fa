import { Flags } from '@oclif/core';
import { TtsCommand } from '../cli/base.js';
import { gateFlags, reportUsageError, tableWidth } from '../cli/bench-flags.js';
import { cacheDirFlag } from '../cli/flags.js';

const number = (what: string) => Flags.custom<number>({
  helpValue: what,
  parse: async (input) => {
    const n = Number(input);
    if (!Number.isFinite(n) || n < 0) throw new Error(`Expected a number ≥ 0, got "${input}".`);
    return n;
  },
});

export default class ValidateTargets extends TtsCommand {
  static override summary = 'Check latency targets, absolute or relative to a baseline; exit 1 when one is missed (a CI gate).';
  static override description = `Runs a quick bench (or reads --results) and prints a pass/fail table.
Exit codes: 0 every target met, 1 a target missed, 2 bad usage (no target, bad number, unreadable results,
a baseline measured differently).
--p50/--p95/--p99/--mean apply to the --scenario latency (default warm); --ttfa is the P95 time to first
audio of the stream scenario; --hit-rate is the cached scenario's hit rate (0–1 or a percentage);
--rtf is the median real-time factor of the warm scenario. A latency target is missed only when its
whole 95 % interval is above the limit; a point estimate over the limit inside the noise is reported
as "within noise" and passes.
--compare BASE.json [--fail-if-slower 10%] is the relative gate of \`tts bench\`: exit 1 when the whole
interval of the median or P95 ratio (new ÷ base) is above 1 + the threshold (default 10 %).`;
  static override examples = [
    '<%= config.bin %> validate-targets --p95 150',
    '<%= config.bin %> validate-targets --scenario cold-cached --p95 150 -n 20',
    '<%= config.bin %> validate-targets --ttfa 300 --rtf 0.5 --hit-rate 0.99',
    '<%= config.bin %> validate-targets --results run/2026-11-21T06-00-00Z-warm.json --p95 120 --json',
    '<%= config.bin %> validate-targets --scenario warm -n 30 --compare base/2026-11-20T10-00-00Z-warm.json --fail-if-slower 10%',
  ];
  static override flags = {
    p50: number('MS')({ description: 'Highest acceptable P50 latency (ms).' }),
    p95: number('MS')({ description: 'Highest acceptable P95 latency (ms).' }),
    p99: number('MS')({ description: 'Highest acceptable P99 latency (ms).' }),
    mean: number('MS')({ description: 'Highest acceptable mean latency (ms).' }),
    ttfa: number('MS')({ description: 'Highest acceptable P95 time to first audio (ms).' }),
    'hit-rate': number('RATE')({ description: 'Lowest acceptable cache hit rate (0–1, or a percentage like 95).' }),
    rtf: number('RTF')({ description: 'Highest acceptable median real-time factor.' }),
    scenario: Flags.string({ description: 'Scenario whose latency --p50/--p95/--p99/--mean apply to.', options: ['cold', 'cold-cached', 'warm', 'cached', 'cached-disk', 'stream', 'serve', 'serve-cached', 'concurrent'] }),
    results: Flags.string({ description: 'Check these bench result files instead of running a bench (repeatable).', multiple: true, helpValue: 'FILE' }),
    iterations: Flags.integer({ char: 'n', description: 'Measured runs of the quick bench.', default: 20, min: 3 }),
    warmup: Flags.integer({ description: 'Discarded runs of the quick bench.', default: 3, min: 0 }),
    size: Flags.string({ description: 'Built-in texts of the quick bench [default: as tts bench: long for stream, medium otherwise].', options: ['short', 'medium', 'long'] }),
    model: Flags.string({ char: 'm', description: 'Model of the quick bench.', helpValue: 'ID' }),
    voice: Flags.string({ char: 'v', description: 'Voice of the quick bench.', helpValue: 'NAME' }),
    ...gateFlags,
    json: Flags.boolean({ description: 'Print the checks as JSON on stdout.' }),
    'cache-dir': cacheDirFlag,
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    // Results that cannot be read or used are a usage error here (exit 2), not a missed target.
    if (reportUsageError(err)) this.exit(2);
    return super.catch(err);
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ValidateTargets);
    const { checkTargets, scenariosFor } = await import('../bench/targets.js');
    const hit = flags['hit-rate'];
    const targets = {
      ...(flags.p50 !== undefined ? { p50: flags.p50 } : {}),
      ...(flags.p95 !== undefined ? { p95: flags.p95 } : {}),
      ...(flags.p99 !== undefined ? { p99: flags.p99 } : {}),
      ...(flags.mean !== undefined ? { mean: flags.mean } : {}),
      ...(flags.ttfa !== undefined ? { ttfa: flags.ttfa } : {}),
      ...(hit !== undefined ? { hitRate: hit > 1 ? hit / 100 : hit } : {}),
      ...(flags.rtf !== undefined ? { rtf: flags.rtf } : {}),
    };
    const baselines = flags.compare ?? [];
    if (Object.keys(targets).length === 0 && baselines.length === 0) {
      this.logToStderr('tts: no target given.\n     Give at least one of --p50 --p95 --p99 --mean --ttfa --hit-rate --rtf, e.g. tts validate-targets --p95 150, or --compare BASE.json.');
      this.exit(2);
    }
    if (flags['fail-if-slower'] !== undefined && baselines.length === 0) {
      this.logToStderr('tts: --fail-if-slower needs a baseline.\n     Add --compare BASE.json.');
      this.exit(2);
    }
    const { readResult } = await import('../bench/results.js');
    const { compareAll } = await import('../bench/compare.js');
    const { sampleWarnings } = await import('../bench/noise.js');
    const base = await Promise.all(baselines.map(async (path) => ({ path, file: await readResult(path) })));
    let results;
    let environment;
    let latency = (flags.scenario ?? 'warm') as Parameters<typeof checkTargets>[2];
    if (flags.results) {
      const files = await Promise.all(flags.results.map(readResult));
      results = files.map((f) => f.result);
      environment = files[0]!.environment;
      if (!flags.scenario && results.length === 1) latency = results[0]!.scenario;
    } else {
      const { runBench } = await import('../bench/bench.js');
      const { resolveCacheDir } = await import('../engine/models/paths.js');
      const scenarios = new Set(Object.keys(targets).length ? scenariosFor(targets, latency) : []);
      for (const b of base) if (b.file.result.scenario !== 'ab') scenarios.add(b.file.result.scenario);
      const out = await runBench({
        scenarios: [...scenarios],
        cacheDir: resolveCacheDir(flags['cache-dir']),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.voice ? { voice: flags.voice } : {}),
        ...(flags.size ? { size: flags.size as 'short' | 'medium' | 'long' } : {}),
        iterations: flags.iterations,
        warmup: flags.warmup,
        command: ['tts', 'validate-targets', ...this.argv].join(' '),
      });
      results = out.results;
      environment = out.environment;
    }
    const checks = checkTargets(targets, results, latency);
    const threshold = flags['fail-if-slower'] ?? 0.1;
    const comparisons = compareAll(results, environment, base, { threshold, metric: flags['gate-on'] as 'latency' | 'cpu', ...(flags.force ? { force: true } : {}) });
    const asked = [...(targets.p95 !== undefined || targets.ttfa !== undefined || base.length ? [{ name: 'P95', q: 0.95 }] : []), ...(targets.p99 !== undefined ? [{ name: 'P99', q: 0.99 }] : [])];
    for (const w of sampleWarnings(results, base.length > 0, asked)) process.stderr.write(`tts: warning: ${w}\n`);
    const missed = checks.filter((c) => !c.pass).length + comparisons.filter((c) => c.fires).length;
    const pass = missed === 0;
    if (flags.json) {
      this.log(JSON.stringify({ pass, checks, comparisons }, null, 2));
    } else {
      const { fitTable, comparisonRows, COMPARISON_DROP_ORDER } = await import('../bench/table.js');
      const fmt = (c: (typeof checks)[number], v: number): string => (c.target === 'hitRate' ? `${(v * 100).toFixed(1)} %` : c.target === 'rtf' ? v.toPrecision(3) : `${v.toFixed(1)} ms`);
      const result = { met: 'pass', 'within noise': 'pass (within noise)', missed: 'FAIL' } as const;
      if (checks.length) {
        const rows = checks.map((c) => [c.target, c.scenario, fmt(c, c.measured), c.ci ? `[${fmt(c, c.ci[0])}, ${fmt(c, c.ci[1])}]` : '–', `${c.rule} ${fmt(c, c.limit)}`, result[c.outcome]]);
        this.log(fitTable([['target', 'scenario', 'measured', '95% CI', 'limit', 'result'], ...rows], tableWidth(), ['95% CI']));
      }
      if (comparisons.length) this.log(`${checks.length ? '\n' : ''}${fitTable(comparisonRows(comparisons), tableWidth(), COMPARISON_DROP_ORDER)}`);
      this.log(pass ? '\nall targets met' : `\n${missed} target(s) missed`);
    }
    if (!pass) this.exit(1);
  }
}
