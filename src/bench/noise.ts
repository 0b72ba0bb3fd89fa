// What a run's samples can and cannot resolve: the machine's noise (coefficient of variation),
// how precisely the median is known, and which percentiles rest on too few samples to mean much.
import { minSamplesFor, minSamplesToGate } from './gate.js';
import type { ScenarioResult } from './results.js';

/** Percentiles the bench prints, with the fewest samples each needs to be more than the maximum. */
export const PERCENTILES: Array<{ name: string; q: number }> = [
  { name: 'P95', q: 0.95 },
  { name: 'P99', q: 0.99 },
];

export function label(r: ScenarioResult): string {
  return r.ab ? `ab ${r.ab.side}` : r.scenario;
}

/** One sentence per scenario on its noise, e.g. "warm: CV 12.3 %, median known to ±2.1 % (n = 30)". */
export function noiseLines(results: ScenarioResult[]): string[] {
  return results.map((r) => {
    const s = r.stats;
    const half = (s.p50Ci95[1] - s.p50Ci95[0]) / 2 / s.p50;
    return `${label(r)}: CV ${(s.cv * 100).toFixed(1)} %, median known to ±${(half * 100).toFixed(1)} % (n = ${s.n})`;
  });
}

/**
 * Warnings for percentiles read from too few samples: below 1 / (1 − q) samples, no sample lies
 * above the percentile and it is an interpolation towards the maximum. `gating` adds that P95 is
 * then left out of the gate.
 */
export function sampleWarnings(results: ScenarioResult[], gating: boolean, asked: Array<{ name: string; q: number }> = PERCENTILES): string[] {
  const out: string[] = [];
  for (const r of results) {
    for (const p of asked) {
      const need = minSamplesFor(p.q);
      const toGate = minSamplesToGate(p.q);
      if (r.stats.n < need) {
        const gate = gating && p.name === 'P95' ? `; the gate checks the median only (P95 needs n ≥ ${toGate})` : '';
        out.push(`${label(r)}: ${p.name} at n = ${r.stats.n} is little more than the slowest sample (it needs n ≥ ${need})${gate}.`);
      } else if (gating && p.name === 'P95' && r.stats.n < toGate) {
        out.push(`${label(r)}: P95 at n = ${r.stats.n} rests on the ${Math.floor(r.stats.n * (1 - p.q)) + 1} slowest samples; the gate checks the median only (P95 needs n ≥ ${toGate}).`);
      }
    }
  }
  return out;
}
