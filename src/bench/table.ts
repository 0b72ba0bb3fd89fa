// Plain-text tables for the terminal (fitted to its width) and the Markdown report (same rows).
import type { Comparison } from './compare.js';
import type { GateCheck } from './gate.js';
import { minSamplesFor } from './gate.js';
import { label } from './noise.js';
import type { ScenarioResult } from './results.js';

export function ms(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

const ci = (c: [number, number]): string => `[${ms(c[0])}, ${ms(c[1])}]`;
const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A percentile cell, starred when there are fewer samples than it needs. */
const pcell = (v: number, q: number, n: number): string => `${ms(v)}${n < minSamplesFor(q) ? '*' : ''}`;

/** Columns dropped first when the terminal is too narrow, most expendable first. */
export const SUMMARY_DROP_ORDER = ['outliers', 'normal?', 'P75', 'P90', 'mean ± sd', 'peak RSS (MiB)', 'CPU (ms)', 'P99'];

export function summaryRows(results: ScenarioResult[]): string[][] {
  const head = ['scenario', 'unit', 'n', 'P50 [95% CI]', 'P95 [95% CI]', 'P99', 'CV', 'mean ± sd', 'P75', 'P90', 'CPU (ms)', 'peak RSS (MiB)', 'normal?', 'outliers', 'other'];
  const rows = results.map((r) => {
    const s = r.stats;
    const other = [
      r.totalStats ? `total P50 ${ms(r.totalStats.p50)} ms` : '',
      r.rtf !== undefined ? `RTF ${r.rtf.toPrecision(3)}` : '',
      r.hitRate !== undefined ? `hit rate ${(r.hitRate * 100).toFixed(1)} %` : '',
      r.throughput ? `${r.throughput.value.toFixed(2)} ${r.throughput.unit}` : '',
      r.errors !== undefined ? `${r.errors} errors` : '',
    ].filter(Boolean);
    const res = r.resources;
    return [
      label(r),
      r.unit,
      String(s.n),
      `${ms(s.p50)} ${ci(s.p50Ci95)}`,
      `${pcell(s.p95, 0.95, s.n)} ${ci(s.p95Ci95)}`,
      pcell(s.p99, 0.99, s.n),
      `${(s.cv * 100).toFixed(1)} %`,
      `${ms(s.mean)} ± ${ms(s.sd)}`,
      ms(s.p75),
      ms(s.p90),
      res ? ms(median(res.cpuMs ?? res.userMs.map((u, i) => u + res.sysMs[i]!))) : '–',
      res ? (Math.max(...res.peakRssKiB) / 1024).toFixed(0) : '–',
      s.normality ? `${s.normality.normal ? 'yes' : 'no'} (p ${s.normality.p.toFixed(3)})` : 'n/a',
      String(s.outliers.low.length + s.outliers.high.length),
      other.join(', '),
    ];
  });
  return [head, ...rows];
}

/** Lines under the summary table: units, what one sample is, and what a star means. */
export function summaryNotes(results: ScenarioResult[]): string[] {
  const out = ['Unit: ms per sample. CPU: median CPU time (user + sys) per sample, ms; peak RSS: the largest, MiB. One sample is:'];
  const seen = new Set<string>();
  for (const r of results) {
    const key = label(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`  ${key}: ${r.ab ? r.metric.replace('COMMAND', r.ab.command) : r.metric}${r.resources ? ` (CPU and memory of ${r.resources.of})` : ''}`);
  }
  if (results.some((r) => r.stats.n < minSamplesFor(0.99))) out.push('* fewer samples than the percentile needs to be more than the slowest run: P95 needs n ≥ 20, P99 n ≥ 100.');
  return out;
}

function ratioCell(c: GateCheck): string {
  return `${c.ratio.toFixed(3)} [${c.ci[0].toFixed(3)}, ${c.ci[1].toFixed(3)}]`;
}

function verdict(c: Comparison): string {
  const [p50, p95] = c.checks;
  if (c.threshold === undefined) {
    const v = (k: GateCheck): string => (k.tooFewSamples ? 'not gated' : k.ci[0] > 1 ? 'slower' : k.ci[1] < 1 ? 'faster' : 'no clear change');
    return `median ${v(p50!)}, P95 ${v(p95!)}`;
  }
  if (c.fires) return `FAIL: slower by more than ${(c.threshold * 100).toFixed(0)} % (${c.checks.filter((k) => k.fires).map((k) => (k.stat === 'p50' ? 'median' : 'P95')).join(', ')})`;
  return `pass (median ${p50!.verdict}, P95 ${p95!.verdict})`;
}

export const COMPARISON_DROP_ORDER = ['baseline', 'Mann–Whitney p', 'P95 (base → new)', 'median (base → new)', 'resolves'];

/** Lines wrapped at spaces to `width` (continuations indented like their line, plus two); unchanged without a width. */
export function wrapLines(lines: string[], width: number | undefined): string[] {
  if (!width) return lines;
  const out: string[] = [];
  for (const line of lines) {
    const indent = ' '.repeat((/^ */.exec(line)?.[0].length ?? 0) + 2);
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      if (cut <= indent.length) break;
      out.push(rest.slice(0, cut));
      rest = indent + rest.slice(cut + 1).trimStart();
    }
    out.push(rest);
  }
  return out;
}

export function comparisonRows(cs: Comparison[]): string[][] {
  return [
    ['scenario', 'verdict', 'median ratio [95% CI]', 'P95 ratio [95% CI]', 'resolves', 'median (base → new)', 'P95 (base → new)', 'Mann–Whitney p', 'baseline'],
    ...cs.map((c) => [
      c.metric === 'cpu' ? `${c.scenario} (CPU time)` : c.scenario,
      verdict(c),
      ratioCell(c.checks[0]!),
      ratioCell(c.checks[1]!),
      `±${(c.resolvable * 100).toFixed(1)} %`,
      `${ms(c.checks[0]!.base)} → ${ms(c.checks[0]!.current)} ms (${pct(c.checks[0]!.current / c.checks[0]!.base - 1)})`,
      `${ms(c.checks[1]!.base)} → ${ms(c.checks[1]!.current)} ms (${pct(c.checks[1]!.current / c.checks[1]!.base - 1)})`,
      c.mannWhitneyP < 0.001 ? '< 0.001' : c.mannWhitneyP.toFixed(3),
      c.baseline.length > 40 ? `…${c.baseline.slice(-39)}` : c.baseline,
    ]),
  ];
}

/** Columns padded to their widest cell. */
export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * The table without the columns (named in `dropOrder`) it must lose to fit `width` characters;
 * cells still too long for the last column are cut with an ellipsis.
 */
export function fitTable(rows: string[][], width: number | undefined, dropOrder: string[]): string {
  let current = rows;
  const widest = (t: string): number => Math.max(...t.split('\n').map((l) => l.length));
  if (width === undefined) return textTable(current);
  for (const name of dropOrder) {
    if (widest(textTable(current)) <= width) break;
    const i = current[0]!.indexOf(name);
    if (i >= 0) current = current.map((r) => r.filter((_, k) => k !== i));
  }
  const table = textTable(current);
  if (widest(table) <= width) return table;
  return table
    .split('\n')
    .map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l))
    .join('\n');
}

export function markdownTable(rows: string[][]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${rows[0]!.map(esc).join(' | ')} |`,
    `|${rows[0]!.map(() => '---').join('|')}|`,
    ...rows.slice(1).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
