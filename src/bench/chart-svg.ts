// An SVG chart of one scenario's latencies: the empirical CDF (the share of runs at or below each
// latency) as a step line, with P50 and P95 marked. Plain SVG, no dependencies, readable on GitHub.
import type { Summary } from './stats.js';

const W = 640;
const H = 360;
const M = { left: 56, right: 20, top: 52, bottom: 44 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Round tick positions covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function ecdfSvg(title: string, subtitle: string, samples: number[], stats: Summary): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const lo = sorted[0] ?? 0;
  const hi = sorted.at(-1) ?? 1;
  const pad = (hi - lo) * 0.05 || Math.max(1, hi * 0.05);
  const x0 = Math.max(0, lo - pad);
  const x1 = hi + pad;
  const px = (v: number): number => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (p: number): number => H - M.bottom - p * (H - M.top - M.bottom);

  let path = `M ${px(x0).toFixed(1)} ${py(0).toFixed(1)}`;
  sorted.forEach((v, i) => {
    path += ` H ${px(v).toFixed(1)} V ${py((i + 1) / sorted.length).toFixed(1)}`;
  });
  path += ` H ${px(x1).toFixed(1)}`;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`);
  const sub = subtitle.length > 100 ? `${subtitle.slice(0, 99)}…` : subtitle;
  parts.push(`<text x="${W / 2}" y="38" text-anchor="middle" font-size="11" fill="#555">${esc(sub)}</text>`);
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${px(t)}" y1="${py(0)}" x2="${px(t)}" y2="${py(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${px(t)}" y="${py(0) + 16}" text-anchor="middle" fill="#444">${fmt(t)}</text>`);
  }
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${M.left}" y1="${py(p)}" x2="${W - M.right}" y2="${py(p)}" stroke="#eee"/>`);
    parts.push(`<text x="${M.left - 6}" y="${py(p) + 4}" text-anchor="end" fill="#444">${p.toFixed(2)}</text>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle" fill="#222">latency (ms)</text>`);
  parts.push(`<text x="14" y="${H / 2}" text-anchor="middle" fill="#222" transform="rotate(-90 14 ${H / 2})">share of runs ≤ latency</text>`);
  parts.push(`<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>`);
  for (const [label, v, color] of [
    ['P50', stats.p50, '#2da44e'],
    ['P95', stats.p95, '#cf222e'],
  ] as const) {
    parts.push(`<line x1="${px(v)}" y1="${py(0)}" x2="${px(v)}" y2="${py(1)}" stroke="${color}" stroke-dasharray="5 4" stroke-width="1.5"/>`);
    const right = px(v) > W - 150; // keep the label inside the plot
    parts.push(`<text x="${px(v) + (right ? -4 : 4)}" y="${M.top + (label === 'P50' ? 12 : 28)}" text-anchor="${right ? 'end' : 'start'}" fill="${color}">${label} ${fmt(v)} ms</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
