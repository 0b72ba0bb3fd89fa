#!/usr/bin/python3
"""Reference values for test/stats.test.ts, computed with numpy, scipy and mpmath.

Writes test/fixtures/stats/{samples,distributions,mann-whitney}.json. Not run by CI: the JSON files
are committed, and this script documents exactly how they were made. Run it with Debian's
interpreter and packages (python3-numpy, python3-scipy 1.10, and python3-mpmath, which
`apt-get install python3-mpmath` adds):

    /usr/bin/python3 scripts/stats-fixtures.py

Floats are written with repr precision (shortest round-trip form), so nothing is lost in JSON.

Two of scipy 1.10's results are less accurate than the library under test, so next to them the
fixtures carry an exact or double-precision reference, and the tests allow for scipy's own error:

* scipy.stats.shapiro runs Royston's Fortran (AS R94) in single precision: W carries float32
  rounding (up to a few 1e-6 at n = 2000), which p inherits, much amplified when W is close to 1.
  Below, `_swilk` transcribes the same algorithm and runs it twice: in float32, where it must
  reproduce scipy's W bit for bit (asserted for every data set, which shows the transcription is
  faithful), and in float64, which gives the double-precision reference (`shapiro64`).
* scipy.stats.t.ppf (cephes stdtri) is accurate to a few 1e-9 relative; `exact` values come from
  mpmath at 50 significant digits.
"""
import json
import os

import mpmath
import numpy as np
import scipy
from scipy import special, stats

mpmath.mp.dps = 50

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'stats')
QUANTILE_LEVELS = [0.0, 0.01, 0.05, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0]


def floats(xs):
    return [float(v) for v in xs]


def datasets():
    """Deterministic samples shaped like benchmark latencies (milliseconds), plus awkward cases."""
    rng = np.random.default_rng(20240611)
    d = {}
    for n in (3, 4, 5, 11, 20, 100, 500, 2000, 5000):
        d[f'normal-{n}'] = rng.normal(120.0, 15.0, n)
    for n in (5, 11, 20, 100, 500, 2000, 5000):
        d[f'lognormal-{n}'] = rng.lognormal(np.log(80.0), 0.45, n)
    for n in (11, 100, 500):
        d[f'uniform-{n}'] = rng.uniform(40.0, 60.0, n)
    # Timer resolution: latencies rounded to whole milliseconds, so many values tie.
    d['ties-lognormal-100'] = np.round(rng.lognormal(np.log(30.0), 0.3, 100))
    d['ties-normal-500'] = np.round(rng.normal(50.0, 4.0, 500))
    d['ties-small-8'] = np.array([10.0, 10.0, 10.0, 11.0, 11.0, 12.0, 12.0, 15.0])
    # A steady run with a few stalls (GC pauses, cold cache) and one suspiciously fast call.
    x = rng.normal(100.0, 5.0, 100)
    x[[7, 33, 71]] = [180.0, 240.0, 160.0]
    x[50] = 40.0
    d['outliers-100'] = x
    # Small n edge cases for Royston's algorithm: exact n = 3, W at the n = 3 minimum (p = 0),
    # a wildly non-normal n = 4, and W below the n <= 11 range of the transformation.
    d['edge-n3-equal-spacing'] = np.array([1.0, 2.0, 3.0])
    d['edge-n3-skewed'] = np.array([10.0, 11.0, 30.0])
    d['edge-n3-min-w'] = np.array([0.0, 0.0, 1.0])
    d['edge-n4-skewed'] = np.array([5.0, 5.0, 5.0, 50.0])
    d['edge-n6-two-clusters'] = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 100.0])
    d['edge-n12-one-far'] = np.concatenate([np.zeros(11), [1.0]])
    # Large values with a small spread, as nanosecond timestamps would be.
    d['offset-large-200'] = 1.7e12 + rng.normal(0.0, 3.0, 200)
    d['constant-5'] = np.full(5, 42.0)
    # Timers resolve to about a microsecond; rounding to 0.1 µs keeps the files small and loses nothing.
    return {k: np.round(v, 4) for k, v in d.items()}


# Royston's published constants (AS R94), lowest order first.
_C1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056]
_C2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633]
_C3 = [0.544, -0.39978, 0.025054, -6.714e-4]
_C4 = [1.3822, -0.77857, 0.062767, -0.0020322]
_C5 = [-1.5861, -0.31082, -0.083751, 0.0038915]
_C6 = [-0.4803, -0.082676, 0.0030302]
_G = [-2.273, 0.459]


def _as111(p, T):
    """AS 111 normal quantile, the one scipy 1.10's Fortran uses (only needed to mimic it in float32)."""
    q = T(p - T(0.5))
    if abs(q) <= 0.42:
        r = T(q * q)
        num = ((T(-25.44106049637) * r + T(41.39119773534)) * r + T(-18.61500062529)) * r + T(2.50662823884)
        den = (((T(3.13082909833) * r + T(-21.06224101826)) * r + T(23.08336743743)) * r + T(-8.47351093090)) * r + T(1)
        return T(q * num / den)
    r = T(np.sqrt(-np.log(p if q <= 0 else T(1) - p)))
    v = T((((T(2.32121276858) * r + T(4.85014127135)) * r + T(-2.29796479134)) * r + T(-2.78718931138))
          / ((T(1.63706781897) * r + T(3.54388924762)) * r + T(1)))
    return -v if q < 0 else v


def _poly(c, x, T):
    """Horner evaluation in the order AS 181.2 uses, so float32 rounding matches."""
    c = [T(v) for v in c]
    if len(c) == 1:
        return c[0]
    acc = T(x * c[-1])
    for coef in reversed(c[1:-1]):
        acc = T((acc + coef) * x)
    return T(c[0] + acc)


def _swilk(x, T):
    """Shapiro–Wilk W and p by AS R94 with every operation rounded to T (float32 or float64).

    Input handling follows scipy 1.10 (subtract the median, sort, and for float32 round the data),
    so that the float32 run is comparable with scipy.stats.shapiro bit for bit.
    """
    n = len(x)
    x = np.sort(x - np.median(x))
    if T is np.float32:
        x = x.astype(np.float32)
    half = n // 2
    one, two = T(1), T(2)
    if n == 3:
        # √½ as the algorithm specifies; scipy's Fortran stores it as the 5-digit constant 0.70711.
        a = [T(0.70711) if T is np.float32 else np.sqrt(0.5)]
    else:
        if T is np.float32:
            m = [_as111(T((T(i) - T(0.375)) / T(T(n) + T(0.25))), T) for i in range(1, half + 1)]
        else:
            m = [T(special.ndtri((i - 0.375) / (n + 0.25))) for i in range(1, half + 1)]
        summ2 = T(0)
        for v in m:
            summ2 = T(summ2 + T(v * v))
        summ2 = T(summ2 * two)
        ssumm2 = T(np.sqrt(summ2))
        rsn = T(one / T(np.sqrt(T(n))))
        a1 = T(_poly(_C1, rsn, T) - T(m[0] / ssumm2))
        a = list(m)
        if n > 5:
            a2 = T(T(-m[1] / ssumm2) + _poly(_C2, rsn, T))
            fac = T(np.sqrt(T(T(summ2 - two * T(m[0] * m[0]) - two * T(m[1] * m[1]))
                              / T(one - two * T(a1 * a1) - two * T(a2 * a2)))))
            a[0], a[1], first = a1, a2, 2
        else:
            fac = T(np.sqrt(T(T(summ2 - two * T(m[0] * m[0])) / T(one - two * T(a1 * a1)))))
            a[0], first = a1, 1
        for i in range(first, half):
            a[i] = T(-m[i] / fac)
    coef = [T(-a[i]) if i < half else (a[n - 1 - i] if i >= n - half else T(0)) for i in range(n)]
    rng = T(x[-1] - x[0])
    sa = sx = T(0)
    for i in range(n):
        sa = T(sa + coef[i])
        sx = T(sx + T(x[i] / rng))
    sa, sx = T(sa / T(n)), T(sx / T(n))
    ssa = ssx = sax = T(0)
    for i in range(n):
        asa = T(coef[i] - sa)
        xsx = T(T(x[i] / rng) - sx)
        ssa = T(ssa + T(asa * asa))
        ssx = T(ssx + T(xsx * xsx))
        sax = T(sax + T(asa * xsx))
    root = T(np.sqrt(T(ssa * ssx)))
    w1 = T(T(T(root - sax) * T(root + sax)) / T(ssa * ssx))
    w = float(T(one - w1))
    # The p-value needs no float32 mimicry: the tests compare it against the float64 run only.
    w1 = float(w1)
    if n == 3:
        return w, max(0.0, 6 / np.pi * (np.arcsin(np.sqrt(w)) - np.pi / 3))
    y = np.log(w1)
    if n <= 11:
        gamma = _poly(_G, n, np.float64)
        if y >= gamma:
            return w, 1e-19
        y = -np.log(gamma - y)
        mean, sd = _poly(_C3, n, np.float64), np.exp(_poly(_C4, n, np.float64))
    else:
        mean, sd = _poly(_C5, np.log(n), np.float64), np.exp(_poly(_C6, np.log(n), np.float64))
    return w, float(stats.norm.sf(y, loc=mean, scale=sd))


def sample_reference(name, x):
    n = len(x)
    ref = {'name': name, 'n': n, 'x': floats(x)}
    ref['mean'] = float(np.mean(x))
    ref['sd'] = float(np.std(x, ddof=1)) if n > 1 else None
    ref['quantiles'] = [[float(q), float(np.quantile(x, q, method='linear'))] for q in QUANTILE_LEVELS]
    if 3 <= n <= 5000:
        w, p = stats.shapiro(x)
        ref['shapiro'] = {'w': float(w), 'p': float(p)}
        if np.ptp(x) > 0:
            w32, _ = _swilk(x, np.float32)
            assert w32 == float(w), f'{name}: float32 transcription gives W = {w32!r}, scipy {float(w)!r}'
            w64, p64 = _swilk(x, np.float64)
            ref['shapiro64'] = {'w': w64, 'p': p64}
    if n > 1 and np.ptp(x) > 0:  # scipy gives NaN intervals for zero spread
        mean, sem = np.mean(x), np.std(x, ddof=1) / np.sqrt(n)
        ref['tInterval'] = {}
        for level in (0.9, 0.95, 0.99):
            half_width = exact_t_ppf((1 + level) / 2, n - 1) * sem
            ref['tInterval'][str(level)] = {
                'scipy': floats(stats.t.interval(level, n - 1, loc=mean, scale=sem)),
                'exact': [float(mean - half_width), float(mean + half_width)],
            }
    p25, p75 = np.quantile(x, [0.25, 0.75], method='linear')
    lo, hi = p25 - 1.5 * (p75 - p25), p75 + 1.5 * (p75 - p25)
    ref['outliers'] = {
        'lowerFence': float(lo),
        'upperFence': float(hi),
        'low': floats(np.sort(x[x < lo])),
        'high': floats(np.sort(x[x > hi])),
    }
    return ref


def _solve(f, guess):
    """Root of f near guess (a float from scipy, already close), to mpmath precision."""
    g = mpmath.mpf(guess)
    return mpmath.findroot(f, (g, g * (1 + mpmath.mpf('1e-6')) if g != 0 else mpmath.mpf('1e-9')))


def exact_norm_ppf(p):
    p = mpmath.mpf(p)
    if p > 0.5:
        return -exact_norm_ppf(1 - p)  # exact: 1 - p is computed at 50 digits
    # Solved on the log scale so that tail probabilities of 1e-300 are matched relatively.
    return float(_solve(lambda x: mpmath.log(mpmath.ncdf(x)) - mpmath.log(p), stats.norm.ppf(float(p))))


def exact_t_cdf(t, df):
    t, df = mpmath.mpf(t), mpmath.mpf(df)
    tail = mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return tail if t < 0 else 1 - tail


def exact_t_ppf(p, df):
    p = mpmath.mpf(p)
    if p > 0.5:
        return -exact_t_ppf(1 - p, df)
    return float(_solve(lambda t: mpmath.log(exact_t_cdf(t, df)) - mpmath.log(p), stats.t.ppf(float(p), df)))


def distributions():
    ps = [1e-300, 1e-100, 1e-20, 1e-12, 1e-6, 1e-3, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3,
          0.45, 0.5 - 1e-9, 0.55, 0.7, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 1 - 1e-6, 1 - 1e-12]
    zs = [-37.5, -30.0, -20.0, -10.0, -8.0, -5.0, -3.0, -2.5, -2.0, -1.0, -0.5, -1e-8, 0.0, 1e-8, 0.5,
          1.0, 1.959963984540054, 2.5, 3.0, 5.0, 8.0]
    dfs = [1, 2, 3, 4, 5, 7, 10, 19, 30, 99, 499, 1999, 4999, 100000, 0.5, 2.5]
    # scipy 1.10's stdtri clips its answers near ±1e100, so the t quantiles stop at 1e-20.
    t_ps = [p for p in ps if p >= 1e-20]
    ts = [-1e6, -200.0, -30.0, -5.0, -2.0, -1.0, -0.1, 0.0, 1e-6, 0.5, 1.5, 2.0, 4.0, 12.0, 1e4]
    return {
        'normalPpf': [{'p': p, 'scipy': float(stats.norm.ppf(p)), 'exact': exact_norm_ppf(p)} for p in ps],
        'normalCdf': [{'z': z, 'scipy': float(stats.norm.cdf(z)), 'exact': float(mpmath.ncdf(z))} for z in zs],
        'tPpf': [{'p': p, 'df': df, 'scipy': float(stats.t.ppf(p, df)), 'exact': exact_t_ppf(p, df)}
                 for df in dfs for p in t_ps],
        'tCdf': [{'t': t, 'df': df, 'scipy': float(stats.t.cdf(t, df)), 'exact': float(exact_t_cdf(t, df))}
                 for df in dfs for t in ts],
    }


def mann_whitney_cases():
    rng = np.random.default_rng(7)
    cases = {
        'same-distribution-30-30': (rng.normal(100, 10, 30), rng.normal(100, 10, 30)),
        'shifted-40-40': (rng.lognormal(np.log(100), 0.3, 40), rng.lognormal(np.log(115), 0.3, 40)),
        'ties-25-35': (np.round(rng.normal(20, 2, 25)), np.round(rng.normal(21, 2, 35))),
        'unequal-8-120': (rng.normal(90, 10, 8), rng.normal(100, 10, 120)),
        'textbook-5-4': (np.array([19.0, 22, 16, 29, 24]), np.array([20.0, 11, 17, 12])),
        'identical-10-10': (np.arange(10.0), np.arange(10.0)),
        'disjoint-20-15': (rng.uniform(0, 1, 20), rng.uniform(2, 3, 15)),
        'all-tied-3-2': (np.array([1.0, 1, 1]), np.array([1.0, 1])),
        'large-600-400': (rng.lognormal(np.log(50), 0.5, 600), rng.lognormal(np.log(51), 0.5, 400)),
    }
    out = []
    for name, (a, b) in cases.items():
        r = stats.mannwhitneyu(a, b, alternative='two-sided', method='asymptotic', use_continuity=True)
        out.append({'name': name, 'a': floats(a), 'b': floats(b), 'u': float(r.statistic), 'p': float(r.pvalue)})
    return out


def write(name, payload):
    payload = {
        'generator': 'scripts/stats-fixtures.py',
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        **payload,
    }
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(payload, f, allow_nan=False)
        f.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    write('samples.json', {'quantileLevels': QUANTILE_LEVELS,
                           'datasets': [sample_reference(k, v) for k, v in datasets().items()]})
    write('distributions.json', distributions())
    write('mann-whitney.json', {'cases': mann_whitney_cases()})


if __name__ == '__main__':
    main()
