// What `tts bench` and `tts validate-targets` share: the relative-gate flags, the terminal width
// their tables fit, and treating unusable results or baselines as usage errors (exit 2).
import { Flags } from '@oclif/core';
import { isTtsError } from '../engine/errors.js';
import { parseThreshold } from '../bench/gate.js';

export const gateFlags = {
  compare: Flags.string({ description: 'Baseline result file to compare with (repeatable).', multiple: true, helpValue: 'BASELINE.json' }),
  'fail-if-slower': Flags.custom<number>({
    description:
      'Exit 1 when the median or P95 is slower than the baseline by more than this, across the whole 95 % interval of the ratio (e.g. 10%).',
    helpValue: 'PERCENT',
    parse: async (input) => {
      const t = parseThreshold(input);
      if (t === undefined) throw new Error(`Expected a slowdown such as 10% or 0.1, got "${input}".`);
      return t;
    },
  })(),
  'gate-on': Flags.string({
    description: 'What --compare/--ab compare: latency, or CPU time per sample (user + sys; robust to a busy machine).',
    options: ['latency', 'cpu'],
    default: 'latency',
  }),
  force: Flags.boolean({ description: 'Compare with a baseline measured on another model, scenario, text set or thread count.' }),
};

/** The width tables must fit: the terminal's, or $COLUMNS; undefined (no limit) when piped without it. */
export function tableWidth(): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const c = Number(process.env.COLUMNS);
  return Number.isInteger(c) && c > 20 ? c : undefined;
}

/** Prints a BAD_INPUT TtsError as a usage error and returns true (the caller exits 2). */
export function reportUsageError(err: unknown): boolean {
  if (!isTtsError(err) || err.code !== 'BAD_INPUT') return false;
  process.stderr.write(`tts: ${err.message}\n${err.hint ? `     ${err.hint}\n` : ''}`);
  return true;
}
