// The rolling latency monitor: the last N request latencies, their P50/P95, and a trend (least-
// squares slope over the window), with a warning when P95 crosses a threshold.

export interface MonitorSnapshot {
  window: number;
  count: number;
  p50: number | null;
  p95: number | null;
  /** Change of latency per request over the window, from a least-squares fit (ms per request). */
  slopeMsPerRequest: number | null;
  trend: 'rising' | 'falling' | 'steady' | 'unknown';
  thresholdMs: number | null;
  aboveThreshold: boolean;
}

function quantile7(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const f = Math.floor(h);
  return sorted[f]! + (h - f) * ((sorted[Math.min(f + 1, sorted.length - 1)] ?? sorted[f]!) - sorted[f]!);
}

export class LatencyMonitor {
  private readonly values: number[] = [];
  private above = false;

  constructor(
    private readonly window = 100,
    private readonly thresholdMs: number | null = null,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  add(ms: number): void {
    this.values.push(ms);
    if (this.values.length > this.window) this.values.shift();
    if (this.thresholdMs === null || this.values.length < 5) return;
    const p95 = this.snapshot().p95!;
    if (!this.above && p95 > this.thresholdMs) {
      this.above = true;
      this.warn(`rolling P95 latency ${p95.toFixed(0)} ms is above the ${this.thresholdMs} ms threshold (last ${this.values.length} requests)`);
    } else if (this.above && p95 <= this.thresholdMs) {
      this.above = false;
      this.warn(`rolling P95 latency is back to ${p95.toFixed(0)} ms, within the ${this.thresholdMs} ms threshold`);
    }
  }

  snapshot(): MonitorSnapshot {
    const n = this.values.length;
    const sorted = [...this.values].sort((a, b) => a - b);
    let slope: number | null = null;
    if (n >= 3) {
      const mx = (n - 1) / 2;
      const my = this.values.reduce((a, b) => a + b, 0) / n;
      let sxy = 0;
      let sxx = 0;
      this.values.forEach((y, x) => {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) ** 2;
      });
      slope = sxy / sxx;
    }
    // A slope matters when, over the whole window, it moves latency by more than 10 % of the median.
    const median = n ? quantile7(sorted, 0.5) : 0;
    const drift = slope === null ? 0 : slope * (n - 1);
    const trend = slope === null ? 'unknown' : Math.abs(drift) <= 0.1 * median ? 'steady' : drift > 0 ? 'rising' : 'falling';
    return {
      window: this.window,
      count: n,
      p50: n ? median : null,
      p95: n ? quantile7(sorted, 0.95) : null,
      slopeMsPerRequest: slope,
      trend,
      thresholdMs: this.thresholdMs,
      aboveThreshold: this.above,
    };
  }
}
