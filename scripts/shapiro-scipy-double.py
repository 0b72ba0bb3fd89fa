#!/usr/bin/env python3
"""Adds scipy's Shapiro-Wilk results in double precision to test/fixtures/stats/samples.json.

scipy 1.10 (Debian bookworm's python3-scipy, used by stats-fixtures.py) runs AS R94 in single
precision; scipy >= 1.11 runs it in double precision. This script records the newer scipy's
W and p as `shapiroScipy` next to each data set, so the tests can hold the library to the
acceptance tolerances (W within 1e-6, p within 1e-4) against scipy itself with no allowance.
Run with any interpreter that has scipy >= 1.11, after stats-fixtures.py:

    python3 scripts/shapiro-scipy-double.py
"""
import json
import os
import warnings

import scipy
from scipy import stats

major, minor = (int(v) for v in scipy.__version__.split('.')[:2])
if (major, minor) < (1, 11):
    raise SystemExit(f'needs scipy >= 1.11 (double-precision shapiro); this is {scipy.__version__}')

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'stats', 'samples.json')
with open(PATH) as f:
    fixtures = json.load(f)
for d in fixtures['datasets']:
    if 3 <= len(d['x']) <= 5000:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # constant data: scipy warns, returns W = 1, p = 1
            r = stats.shapiro(d['x'])
        d['shapiroScipy'] = {'w': float(r.statistic), 'p': float(r.pvalue), 'scipy': scipy.__version__}
with open(PATH, 'w') as f:
    json.dump(fixtures, f)
    f.write('\n')
