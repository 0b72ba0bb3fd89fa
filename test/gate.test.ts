// The regression gate's logic on synthetic samples (no timing): ratio intervals, the whole-interval
// rule, pairing, its error rates on simulated A/A and slowed-down comparisons, the refusal of
// incomparable baselines, and the warnings, tables and chart around it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { combinedEcdfSvg, logTicks } from '../src/bench/chart-svg.js';
import { compare, compareAll, incompatibilities } from '../src/bench/compare.js';
import { fingerprint } from '../src/bench/fingerprint.js';
import { hodgesLehmann, judge, minSamplesToGate, parseThreshold, ratioIntervals } from '../src/bench/gate.js';
import { sampleWarnings } from '../src/bench/noise.js';
import { defaultOutDir } from '../src/bench/out-dir.js';
import { newResultFile, toResult, type ScenarioResult } from '../src/bench/results.js';
import { mulberry32 } from '../src/bench/stats/prng.js';
import { COMPARISON_DROP_ORDER, comparisonRows, fitTable, summaryRows, SUMMARY_DROP_ORDER } from '../src/bench/table.js';
import { isTtsError } from '../src/engine/errors.js';

/** n log-normal latencies around `median` ms with the given spread (SD of the log), seeded. */
function latencies(n: number, median: number, spread: number, seed: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()); // Box–Muller
    return median * Math.exp(spread * z);
  });
}

const result = (samples: number[], scenario: 'warm' | 'stream' = 'warm', texts = ['x']): ScenarioResult =>
  toResult(scenario, 'synthetic', { samples }, { iterations: samples.length, warmup: 0, texts });

test('thresholds parse as percentages or fractions; nonsense is refused', () => {
  assert.is(parseThreshold('10%'), 0.1);
  assert.is(parseThreshold('10 %'), 0.1);
  assert.is(parseThreshold('0.25'), 0.25);
  assert.is(parseThreshold('fast'), undefined);
  assert.is(parseThreshold('0'), undefined);
  assert.is(parseThreshold('-5%'), undefined);
});

test('Hodges–Lehmann is the median of the Walsh averages', () => {
  assert.is(hodgesLehmann([1, 2, 3]), 2); // 1, 1.5, 2, 2, 2.5, 3
  assert.is(hodgesLehmann([0, 10]), 5); // 0, 5, 10
  assert.is(hodgesLehmann([0, 0, 0, 100]), 0); // one wild value moves it little
});

test('the gate fires only when the whole interval of the ratio is beyond the threshold', () => {
  const base = latencies(60, 100, 0.05, 1);
  const slower = base.map((x, i) => x * 1.3 * (1 + 0.01 * Math.sin(i)));
  const [p50] = ratioIntervals(base, slower, ['p50']);
  assert.ok(p50!.ci[0] > 1.1, `interval ${p50!.ci}`);
  assert.is(judge(p50!, 0.1).verdict, 'slower');
  assert.ok(judge(p50!, 0.1).fires);
  // Same point estimate, far noisier samples: the interval straddles 1.1, so no failure.
  const noisyBase = latencies(12, 100, 0.6, 2);
  const noisyNew = latencies(12, 125, 0.6, 3);
  const [wide] = ratioIntervals(noisyBase, noisyNew, ['p50']);
  assert.ok(wide!.ci[0] < 1.1 && wide!.ci[1] > 1.1, `interval ${wide!.ci}`);
  assert.is(judge(wide!, 0.1).verdict, 'inconclusive');
  assert.not.ok(judge(wide!, 0.1).fires);
  // Faster, and within the threshold.
  assert.is(judge(ratioIntervals(slower, base, ['p50'])[0]!, 0.1).verdict, 'faster');
  const same = base.map((x, i) => x * (1 + 0.002 * Math.cos(i)));
  assert.is(judge(ratioIntervals(base, same, ['p50'])[0]!, 0.1).verdict, 'within threshold');
});

test('P95 is gated only from n = 40 (two samples above it); below that the gate checks the median', () => {
  assert.is(minSamplesToGate(0.95), 40);
  assert.is(minSamplesToGate(0.99), 200);
  const c = compare(result(latencies(20, 200, 0.05, 4)), result(latencies(20, 100, 0.05, 5)), { threshold: 0.1 });
  assert.is(c.checks[1]!.verdict, 'not gated');
  assert.is(c.checks[0]!.verdict, 'slower');
  assert.ok(c.fires);
  const w = sampleWarnings([result(latencies(20, 1, 0.1, 6))], true, [{ name: 'P95', q: 0.95 }]);
  assert.is(w.length, 1);
  assert.match(w[0]!, /gate checks the median only \(P95 needs n ≥ 40\)/);
  const five = sampleWarnings([result(latencies(5, 1, 0.1, 7))], false);
  assert.match(five.join('\n'), /P95 at n = 5 is little more than the slowest sample \(it needs n ≥ 20\)/);
  assert.match(five.join('\n'), /P99 at n = 5 .*n ≥ 100/);
  assert.equal(sampleWarnings([result(latencies(100, 1, 0.1, 8))], true), []);
});

test('pairing cancels drift that both sides share: the paired gate sees a 25 % slowdown the unpaired one cannot', () => {
  const n = 30;
  const drift = latencies(n, 1, 0.8, 9); // the machine's load, shared by run i of both sides
  const base = latencies(n, 100, 0.03, 10).map((x, i) => x * drift[i]!);
  const slow = latencies(n, 125, 0.03, 11).map((x, i) => x * drift[i]!);
  const paired = compare(result(slow), result(base), { paired: true, threshold: 0.1 });
  const unpaired = compare(result(slow), result(base), { threshold: 0.1 });
  assert.ok(paired.fires, `paired ${paired.checks[0]!.ci}`);
  assert.ok(Math.abs(paired.checks[0]!.ratio - 1.25) < 0.03, String(paired.checks[0]!.ratio));
  assert.not.ok(unpaired.fires, `unpaired ${unpaired.checks[0]!.ci}`);
  assert.ok(paired.resolvable < unpaired.resolvable);
});

test('simulated error rates: A/A fires at most 1 in 20, a 20 % slowdown at least 19 in 20 (threshold 10 %)', () => {
  const runs = 20;
  let falseAlarms = 0;
  let detections = 0;
  for (let k = 0; k < runs; k++) {
    // CV about 10 % per sample, plus shared drift, as interleaved runs see it.
    const drift = latencies(40, 1, 0.3, 1000 + k);
    const a1 = latencies(40, 100, 0.1, 2000 + k).map((x, i) => x * drift[i]!);
    const a2 = latencies(40, 100, 0.1, 3000 + k).map((x, i) => x * drift[i]!);
    const b = latencies(40, 120, 0.1, 4000 + k).map((x, i) => x * drift[i]!);
    if (compare(result(a2), result(a1), { paired: true, threshold: 0.1, seed: k + 1, resamples: 1000 }).fires) falseAlarms++;
    if (compare(result(b), result(a1), { paired: true, threshold: 0.1, seed: k + 1, resamples: 1000 }).fires) detections++;
  }
  assert.ok(falseAlarms * 20 <= runs, `A/A fired ${falseAlarms}/${runs}`);
  assert.ok(detections * 20 >= 19 * runs, `A/B fired ${detections}/${runs}`);
});

test('baselines from another model, scenario, text set or thread count are refused unless forced', () => {
  const env = { ...fingerprint(), threads: 2, model: { id: 'm', dtype: 'fp32', sha256: 'a'.repeat(64), file: 'f' } };
  const cur = result(latencies(30, 100, 0.1, 12), 'warm', ['one', 'two']);
  const same = newResultFile(result(latencies(30, 100, 0.1, 13), 'warm', ['one', 'two']), env, 'x');
  assert.equal(incompatibilities({ result: cur, environment: env }, same), []);
  const other = newResultFile(result(latencies(30, 100, 0.1, 14), 'warm', ['three']), { ...env, threads: 1, model: { ...env.model, sha256: 'b'.repeat(64) } }, 'x');
  const diff = incompatibilities({ result: cur, environment: env }, other);
  assert.is(diff.length, 3, diff.join('; '));
  assert.match(diff.join('; '), /model sha256 bbbbbbbbbbbb… \(m\) ≠ aaaaaaaaaaaa…/);
  assert.match(diff.join('; '), /text set/);
  assert.match(diff.join('; '), /threads 1 ≠ 2/);
  try {
    compareAll([cur], env, [{ path: 'base.json', file: other }]);
    assert.unreachable('should refuse');
  } catch (err) {
    assert.ok(isTtsError(err) && err.code === 'BAD_INPUT');
    assert.match((err as Error).message, /Cannot compare with base\.json: it was measured differently/);
    assert.match((err as { hint: string }).hint, /--force/);
  }
  assert.is(compareAll([cur], env, [{ path: 'base.json', file: other }], { force: true }).length, 1);
  const stream = newResultFile(result(latencies(30, 100, 0.1, 15), 'stream', ['one', 'two']), env, 'x');
  assert.throws(() => compareAll([cur], env, [{ path: 's.json', file: stream }]), /measured the stream scenario, which this run does not/);
});

test('the CPU-time gate reads the CPU series, and refuses results without one', () => {
  const withCpu = (samples: number[], cpu: number[]): ScenarioResult => ({ ...result(samples), resources: { userMs: cpu, sysMs: cpu.map(() => 0), cpuMs: cpu, peakRssKiB: cpu.map(() => 1000), of: 'test' } });
  const lat = latencies(30, 100, 0.5, 16);
  const c = compare(withCpu(lat, lat.map(() => 36)), withCpu(lat, lat.map(() => 30)), { paired: true, metric: 'cpu', threshold: 0.1 });
  assert.is(c.metric, 'cpu');
  assert.ok(c.fires && Math.abs(c.checks[0]!.ratio - 1.2) < 1e-9);
  assert.throws(() => compare(result(lat), result(lat), { metric: 'cpu' }), /record no CPU time per sample/);
});

test('tables fit the terminal width by dropping the least important columns first', () => {
  const rs = [result(latencies(30, 100, 0.1, 17)), { ...result(latencies(30, 0.2, 0.1, 18), 'stream'), totalStats: result(latencies(30, 900, 0.1, 19)).stats }];
  const wide = fitTable(summaryRows(rs), undefined, SUMMARY_DROP_ORDER);
  assert.ok(wide.split('\n')[0]!.includes('outliers'));
  for (const width of [60, 80, 120]) {
    const t = fitTable(summaryRows(rs), width, SUMMARY_DROP_ORDER);
    for (const line of t.split('\n')) assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
    assert.match(t, /^scenario\s+unit\s+n\s+P50 \[95% CI\]/);
  }
  const cmp = comparisonRows([compare(rs[0]!, result(latencies(30, 100, 0.1, 20)), { threshold: 0.1 })]);
  for (const line of fitTable(cmp, 80, COMPARISON_DROP_ORDER).split('\n')) assert.ok(line.length <= 80);
});

test('the combined chart has every series on a log axis, baselines dashed', () => {
  assert.equal(logTicks(0.01, 1000), [0.01, 0.1, 1, 10, 100, 1000]);
  assert.equal(logTicks(0.1, 1), [0.1, 0.2, 0.5, 1]);
  assert.equal(logTicks(3, 60), [5, 10, 20, 50]);
  const svg = combinedEcdfSvg('t', 's', [
    { label: 'warm', samples: [40, 42, 45], group: 'warm' },
    { label: 'cached', samples: [0.1, 0.12], group: 'cached' },
    { label: 'baseline warm', samples: [38, 41], group: 'warm', dashed: true },
  ]);
  for (const l of ['warm — P50 42 ms, n = 3', 'cached — P50 0.11 ms, n = 2', 'baseline warm — P50 39.5 ms, n = 2']) assert.ok(svg.includes(l), l);
  assert.match(svg, />100 µs|>0\.1 ms</);
  assert.match(svg, /log scale/);
  assert.is((svg.match(/stroke-dasharray="7 4"/g) ?? []).length, 2); // the dashed line and its legend entry
});

test('results go to the state folder unless told otherwise', () => {
  assert.match(defaultOutDir({ XDG_STATE_HOME: '/x/state' }), process.platform === 'linux' ? /^\/x\/state\/tts\/bench$/ : /tts/);
  assert.is(defaultOutDir({ TTS_BENCH_DIR: '/y' }), '/y');
});

test.run();
