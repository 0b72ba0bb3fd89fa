// Latency statistics for `tts bench`: the public API. The implementations live in ./stats/, one job
// per file; reference values checked by test/stats.test.ts come from scipy/numpy
// (scripts/stats-fixtures.py).
export { bootstrapInterval, bootstrapIntervals, type BootstrapOptions } from './stats/bootstrap.js';
export { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './stats/distributions.js';
export { mannWhitneyU, type MannWhitney } from './stats/mann-whitney.js';
export { QUANTILE_DEFINITION, quantile } from './stats/quantile.js';
export { shapiroWilk, type Shapiro } from './stats/shapiro-wilk.js';
export { summarize, type Normality, type Outliers, type Summary, type SummaryOptions } from './stats/summary.js';
export { studentTInterval } from './stats/t-interval.js';
