// One SVG chart of every scenario of a run (and its baseline): each series' empirical CDF (the share
// of runs at or below each latency) as a step line on a logarithmic time axis, so a 0.1 ms cache hit
// and a 1 s cold start are both readable. A baseline is drawn dashed in its scenario's colour; P50 is
// a dot on each line. Plain SVG, no dependencies, readable on GitHub.

export interface ChartSeries {
  label: string;
  samples: number[];
  /** Baselines are dashed. */
  dashed?: boolean;
  /** Series with the same group share a colour (a scenario and its baseline). */
  group: string;
}

const PALETTE = ['#1f6feb', '#cf222e', '#2da44e', '#8250df', '#bf8700', '#0598bc', '#e16f24', '#57606a', '#d1247f', '#116329'];
const W = 900;
const PLOT_H = 380;
const M = { left: 64, right: 24, top: 56, bottom: 48 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number(ms.toPrecision(ms >= 1 ? 3 : 2))} ms`;
}

/** Decade ticks 1-2-5 covering [lo, hi] (both > 0), at most ~12 of them. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const steps = Math.log10(hi / lo) > 4 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const f of steps) {
      const t = Number((f * 10 ** e).toPrecision(6));
      if (t >= lo && t <= hi) out.push(t);
    }
  }
  return out;
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

export function combinedEcdfSvg(title: string, subtitle: string, series: ChartSeries[]): string {
  const shown = series.filter((s) => s.samples.length > 0);
  const all = shown.flatMap((s) => s.samples).filter((v) => v > 0);
  const lo = all.length ? Math.min(...all) : 1;
  const hi = all.length ? Math.max(...all) : 10;
  const x0 = Math.log10(lo) - 0.05 * Math.max(Math.log10(hi / lo), 0.5);
  const x1 = Math.log10(hi) + 0.05 * Math.max(Math.log10(hi / lo), 0.5);
  const legendRows = Math.ceil(shown.length / 2);
  const H = M.top + PLOT_H + M.bottom + 18 * legendRows + 16;
  const plotBottom = M.top + PLOT_H;
  const px = (v: number): number => M.left + ((Math.log10(Math.max(v, 10 ** x0)) - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (p: number): number => plotBottom - p * PLOT_H;
  const groups = [...new Set(shown.map((s) => s.group))];
  const color = (s: ChartSeries): string => PALETTE[groups.indexOf(s.group) % PALETTE.length]!;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, system-ui, sans-serif" font-size="13">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="16" font-weight="600">${esc(title)}</text>`);
  const sub = subtitle.length > 130 ? `${subtitle.slice(0, 129)}…` : subtitle;
  parts.push(`<text x="${W / 2}" y="42" text-anchor="middle" font-size="12" fill="#555">${esc(sub)}</text>`);
  for (const t of logTicks(10 ** x0, 10 ** x1)) {
    const major = Number.isInteger(Math.log10(t));
    parts.push(`<line x1="${px(t).toFixed(1)}" y1="${py(0)}" x2="${px(t).toFixed(1)}" y2="${py(1)}" stroke="${major ? '#d0d7de' : '#eef1f4'}"/>`);
    parts.push(`<text x="${px(t).toFixed(1)}" y="${plotBottom + 18}" text-anchor="middle" fill="#333">${esc(fmtMs(t))}</text>`);
  }
  for (const p of [0, 0.25, 0.5, 0.75, 0.95, 1]) {
    parts.push(`<line x1="${M.left}" y1="${py(p)}" x2="${W - M.right}" y2="${py(p)}" stroke="${p === 0.5 || p === 0.95 ? '#d0d7de' : '#eef1f4'}"/>`);
    parts.push(`<text x="${M.left - 6}" y="${py(p) + 4}" text-anchor="end" fill="#333">${p === 0.5 ? 'P50' : p === 0.95 ? 'P95' : p.toFixed(2)}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${PLOT_H}" fill="none" stroke="#8c959f"/>`);
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${plotBottom + 38}" text-anchor="middle" fill="#222">time per sample (log scale)</text>`);
  parts.push(`<text x="16" y="${M.top + PLOT_H / 2}" text-anchor="middle" fill="#222" transform="rotate(-90 16 ${M.top + PLOT_H / 2})">share of samples ≤ time</text>`);

  for (const s of shown) {
    const sorted = [...s.samples].sort((a, b) => a - b);
    let path = `M ${px(sorted[0]!).toFixed(1)} ${py(0).toFixed(1)}`;
    sorted.forEach((v, i) => {
      path += ` H ${px(v).toFixed(1)} V ${py((i + 1) / sorted.length).toFixed(1)}`;
    });
    const c = color(s);
    parts.push(`<path d="${path}" fill="none" stroke="${c}" stroke-width="${s.dashed ? 2 : 2.5}"${s.dashed ? ' stroke-dasharray="7 4" stroke-opacity="0.8"' : ''}/>`);
    parts.push(`<circle cx="${px(median(sorted)).toFixed(1)}" cy="${py(0.5)}" r="4" fill="${s.dashed ? 'white' : c}" stroke="${c}" stroke-width="2"/>`);
  }

  // Legend: two columns under the plot, each entry with its line style and median.
  const colW = (W - M.left - M.right) / 2;
  shown.forEach((s, i) => {
    const x = M.left + (i % 2) * colW;
    const y = plotBottom + M.bottom + 14 + Math.floor(i / 2) * 18;
    const c = color(s);
    const sorted = [...s.samples].sort((a, b) => a - b);
    parts.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 28}" y2="${y - 4}" stroke="${c}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>`);
    const text = `${s.label} — P50 ${fmtMs(median(sorted))}, n = ${sorted.length}`;
    const fits = Math.floor((colW - 48) / 6.6); // ~6.6 px per character at 12 px
    parts.push(`<text x="${x + 36}" y="${y}" font-size="12" fill="#222">${esc(text.length > fits ? `${text.slice(0, fits - 1)}…` : text)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
