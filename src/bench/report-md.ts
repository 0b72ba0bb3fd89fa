// The Markdown report of a bench run: the summary table, the combined chart, the comparison with a
// baseline, each scenario's statistics in words, and the machine it ran on.
import { describeTuning } from '../engine/session-tuning.js';
import type { Comparison } from './compare.js';
import type { Fingerprint } from './fingerprint.js';
import type { ScenarioResult } from './results.js';
import { QUANTILE_DEFINITION } from './stats.js';
import { label, noiseLines } from './noise.js';
import { comparisonRows, markdownTable, ms, summaryNotes, summaryRows } from './table.js';

export function markdownReport(opts: {
  results: ScenarioResult[];
  chart: string;
  environment: Fingerprint;
  command: string;
  comparisons: Comparison[];
  warnings: string[];
  createdAt: string;
}): string {
  const { results, environment: e } = opts;
  const out: string[] = [];
  out.push(`# tts bench — ${opts.createdAt}`, '', `\`${opts.command}\``, '', markdownTable(summaryRows(results)), '');
  out.push(...summaryNotes(results).map((l) => l.replace(/^ {2}/, '- ')), '');
  out.push(`Quantiles: ${QUANTILE_DEFINITION} Confidence intervals: Student t for the mean; percentile bootstrap (seeded) for P50 and P95. Outliers: outside Tukey's 1.5 × IQR fences.`, '');
  out.push(`![every scenario's ECDF on a log time axis](${opts.chart})`, '');
  out.push('Noise on this machine:', '', ...noiseLines(results).map((l) => `- ${l}`), '');
  if (opts.warnings.length) out.push('Warnings:', '', ...opts.warnings.map((w) => `- ${w}`), '');
  if (opts.comparisons.length) {
    out.push('## Compared with the baseline', '', markdownTable(comparisonRows(opts.comparisons)), '');
    out.push('Ratios are new ÷ base with 95 % bootstrap intervals (when the runs were interleaved, pairs are resampled together and the median ratio is the Hodges–Lehmann estimate of the per-pair ratio); the gate fails only when a whole interval lies above 1 + threshold. "resolves": half-width of the median ratio\'s interval — smaller changes cannot be told from noise.', '');
  }
  for (const r of results) {
    const s = r.stats;
    out.push(`## ${label(r)}`, '', `What one sample is: ${r.metric}${r.ab ? ` (command: \`${r.ab.command}\`)` : ''}; unit: ${r.unit}. ${s.n} measured runs after ${r.warmup} discarded warm-up runs, over ${r.texts.length} text(s).`, '');
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
    if (r.resources) {
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      out.push(`- CPU of ${r.resources.of}: ${ms(sum(r.resources.userMs) / s.n)} ms user + ${ms(sum(r.resources.sysMs) / s.n)} ms sys per sample (mean); peak RSS ${(Math.max(...r.resources.peakRssKiB) / 1024).toFixed(0)} MiB`);
    }
    out.push('');
  }
  out.push('## Environment', '');
  out.push(
    `- CPU: ${e.cpu} (${e.physicalCores} physical / ${e.logicalCores} logical cores), ${e.memoryGiB} GiB`,
    `- OS: ${e.os}; Node ${e.node}; onnxruntime-node ${e.onnxruntime}; tts ${e.ttsVersion} @ ${e.gitCommit}`,
  );
  if (e.provider) out.push(`- execution provider: ${e.provider}, ${e.threads} intra-op threads`);
  if (e.session) out.push(`- session: ${describeTuning(e.session)}`);
  if (e.model) out.push(`- model: ${e.model.id} (${e.model.dtype}), ${e.model.file}, sha256 ${e.model.sha256}`);
  return out.join('\n') + '\n';
}
