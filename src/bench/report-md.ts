// The Markdown report of a bench run: the summary table, each scenario's statistics in words,
// its chart, the comparison with a baseline, and the machine it ran on.
import type { Comparison } from './compare.js';
import type { Fingerprint } from './fingerprint.js';
import type { ScenarioResult } from './results.js';
import { QUANTILE_DEFINITION } from './stats.js';
import { comparisonRows, markdownTable, ms, summaryRows } from './table.js';
import { SCENARIO_METRIC } from './scenarios.js';

export function markdownReport(opts: {
  results: ScenarioResult[];
  charts: Record<string, string>;
  environment: Fingerprint;
  command: string;
  comparisons: Comparison[];
  createdAt: string;
}): string {
  const { results, environment: e } = opts;
  const out: string[] = [];
  out.push(`# tts bench — ${opts.createdAt}`, '', `\`${opts.command}\``, '', markdownTable(summaryRows(results)), '');
  out.push(`All times in milliseconds. Quantiles: ${QUANTILE_DEFINITION} Confidence intervals: Student t for the mean; percentile bootstrap (seeded) for P50 and P95. Outliers: outside Tukey's 1.5 × IQR fences.`, '');
  if (opts.comparisons.length) out.push('## Compared with the baseline', '', markdownTable(comparisonRows(opts.comparisons)), '');
  for (const r of results) {
    const s = r.stats;
    out.push(`## ${r.scenario}`, '', `What one sample is: ${SCENARIO_METRIC[r.scenario]}. ${s.n} measured runs after ${r.warmup} discarded warm-up runs, over ${r.texts.length} text(s).`, '');
    out.push(
      `- median ${ms(s.p50)} ms (95 % CI ${ms(s.p50Ci95[0])}–${ms(s.p50Ci95[1])}), P95 ${ms(s.p95)} ms (95 % CI ${ms(s.p95Ci95[0])}–${ms(s.p95Ci95[1])}), P99 ${ms(s.p99)} ms`,
      `- mean ${ms(s.mean)} ms (95 % CI ${ms(s.meanCi95[0])}–${ms(s.meanCi95[1])}), SD ${ms(s.sd)} ms, CV ${(s.cv * 100).toFixed(1)} %, range ${ms(s.min)}–${ms(s.max)} ms`,
      `- normality: ${s.normality ? `Shapiro–Wilk W = ${s.normality.w.toFixed(4)}, p = ${s.normality.p.toPrecision(3)}. ${s.normality.verdict}` : 'not tested (needs 3 to 5000 samples)'}`,
      `- outliers: ${s.outliers.low.length + s.outliers.high.length} (fences ${ms(s.outliers.lowerFence)}–${ms(s.outliers.upperFence)} ms)`,
    );
    if (r.rtf !== undefined) out.push(`- real-time factor (median synthesis time ÷ audio duration): ${r.rtf.toFixed(3)}`);
    if (r.totalStats) out.push(`- time to the last chunk: median ${ms(r.totalStats.p50)} ms, P95 ${ms(r.totalStats.p95)} ms`);
    if (r.hitRate !== undefined) out.push(`- cache hit rate: ${(r.hitRate * 100).toFixed(1)} %`);
    if (r.throughput) out.push(`- throughput: ${r.throughput.value.toFixed(2)} ${r.throughput.unit}`);
    if (r.errors !== undefined) out.push(`- errors: ${r.errors}`);
    if (opts.charts[r.scenario]) out.push('', `![${r.scenario} latency ECDF](${opts.charts[r.scenario]})`);
    out.push('');
  }
  out.push('## Environment', '');
  out.push(
    `- CPU: ${e.cpu} (${e.physicalCores} physical / ${e.logicalCores} logical cores), ${e.memoryGiB} GiB`,
    `- OS: ${e.os}; Node ${e.node}; onnxruntime-node ${e.onnxruntime}; tts ${e.ttsVersion} @ ${e.gitCommit}`,
  );
  if (e.provider) out.push(`- execution provider: ${e.provider}, ${e.threads} intra-op threads`);
  if (e.model) out.push(`- model: ${e.model.id} (${e.model.dtype}), ${e.model.file}, sha256 ${e.model.sha256}`);
  return out.join('\n') + '\n';
}
