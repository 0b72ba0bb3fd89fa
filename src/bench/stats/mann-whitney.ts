// The Mann–Whitney U test (Wilcoxon rank-sum), used to say whether two latency runs differ without
// assuming either is normal. Matches scipy.stats.mannwhitneyu(a, b, alternative='two-sided',
// method='asymptotic', use_continuity=True): U of the first sample, normal approximation with the
// tie-corrected variance and a continuity correction of 1/2.
import { normalCdf } from './distributions.js';

export interface MannWhitney {
  /** U statistic of sample a: the number of (a, b) pairs with a > b, ties counting 1/2. */
  u: number;
  /** Two-sided p-value. */
  p: number;
}

export function mannWhitneyU(a: number[], b: number[]): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann–Whitney U needs at least one sample on each side');
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))];
  for (const { v } of all) if (Number.isNaN(v)) throw new RangeError('samples must not be NaN');
  all.sort((p, q) => p.v - q.v);

  // Mid-ranks for ties, and Σ(t³ − t) over tie groups for the variance correction.
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && all[j]!.v === all[i]!.v) j++;
    const rank = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) if (all[k]!.first) rankSumA += rank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;

  const mu = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // Two-sided: the larger of U and n1·n2 − U, moved 1/2 towards the mean.
  const z = (Math.max(u, n1 * n2 - u) - mu - 0.5) / sd;
  // With every value tied sd is 0 and z is −∞ (or NaN for n = 2): no evidence of a difference.
  const p = Number.isNaN(z) ? 1 : Math.min(1, 2 * normalCdf(-z));
  return { u, p };
}
