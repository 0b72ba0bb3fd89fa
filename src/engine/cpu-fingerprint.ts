// A short name for "this kind of CPU": the optimized model onnxruntime saves may contain
// hardware-specific kernels (its own warning says to use it only where it was optimized), so the
// cached file is keyed by this as well as by model, provider and onnxruntime version.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, cpus } from 'node:os';

export interface CpuFingerprint {
  /** Short and file-name safe, e.g. `x64-3f9a1c2b`. */
  id: string;
  /** What it was computed from, for reports: CPU model and the number of ISA flags. */
  model: string;
  flags: number;
}

let cached: CpuFingerprint | undefined;

/** Vendor, model, family/stepping and the sorted ISA flags (Linux), else the CPU model name. */
export function cpuFingerprint(): CpuFingerprint {
  if (cached) return cached;
  let model = cpus()[0]?.model ?? 'unknown';
  let parts = [arch(), model];
  let flags = 0;
  try {
    const first = readFileSync('/proc/cpuinfo', 'utf8').split('\n\n')[0] ?? '';
    const field = (k: string): string => new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm').exec(first)?.[1]?.trim() ?? '';
    const isa = (field('flags') || field('Features')).split(/\s+/).filter(Boolean).sort();
    flags = isa.length;
    model = field('model name') || field('CPU part') || model;
    parts = [arch(), field('vendor_id'), model, field('cpu family'), field('model'), field('stepping'), isa.join(' ')];
  } catch {
    /* not Linux: the model name is what there is */
  }
  const hash = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 8);
  cached = { id: `${arch()}-${hash}`, model, flags };
  return cached;
}
