// Plain-text tables for the terminal (and for the Markdown report, which uses the same rows).
import type { Comparison } from './compare.js';
import type { ScenarioResult } from './results.js';

export function ms(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

const ci = (c: [number, number]): string => `[${ms(c[0])}, ${ms(c[1])}]`;
const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;

export function summaryRows(results: ScenarioResult[]): string[][] {
  const head = ['scenario', 'n', 'mean ± sd', 'P50 [95% CI]', 'P75', 'P90', 'P95 [95% CI]', 'P99', 'CV', 'normal?', 'outliers', 'other'];
  const rows = results.map((r) => {
    const s = r.stats;
    const other = [
      r.rtf !== undefined ? `RTF ${r.rtf.toPrecision(3)}` : '',
      r.hitRate !== undefined ? `hit rate ${(r.hitRate * 100).toFixed(1)} %` : '',
      r.totalStats ? `total P50 ${ms(r.totalStats.p50)}` : '',
      r.throughput ? `${r.throughput.value.toFixed(2)} ${r.throughput.unit}` : '',
      r.errors !== undefined ? `${r.errors} errors` : '',
    ].filter(Boolean);
    return [
      r.scenario,
      String(s.n),
      `${ms(s.mean)} ± ${ms(s.sd)}`,
      `${ms(s.p50)} ${ci(s.p50Ci95)}`,
      ms(s.p75),
      ms(s.p90),
      `${ms(s.p95)} ${ci(s.p95Ci95)}`,
      ms(s.p99),
      `${(s.cv * 100).toFixed(1)} %`,
      s.normality ? `${s.normality.normal ? 'yes' : 'no'} (p ${s.normality.p.toFixed(3)})` : 'n/a',
      String(s.outliers.low.length + s.outliers.high.length),
      other.join(', '),
    ];
  });
  return [head, ...rows];
}

export function comparisonRows(cs: Comparison[]): string[][] {
  return [
    ['scenario', 'median (base → now)', 'change', 'P95 (base → now)', 'change', 'Mann–Whitney p', 'verdict'],
    ...cs.map((c) => [
      c.scenario,
      `${ms(c.baselineMedian)} → ${ms(c.currentMedian)}`,
      pct(c.medianChange),
      `${ms(c.baselineP95)} → ${ms(c.currentP95)}`,
      pct(c.p95Change),
      c.mannWhitneyP < 0.001 ? '< 0.001' : c.mannWhitneyP.toFixed(3),
      c.verdict,
    ]),
  ];
}

/** Columns padded to their widest cell. */
export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: string[][]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${rows[0]!.map(esc).join(' | ')} |`,
    `|${rows[0]!.map(() => '---').join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
