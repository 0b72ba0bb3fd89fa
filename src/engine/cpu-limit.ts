// How many CPUs this process may really use: the cores of the machine, cut by the CPU affinity
// mask (taskset, cpusets) and by a cgroup CPU quota (Docker `--cpus`, Kubernetes limits). Inference
// threads beyond that only oversubscribe: they wait for each other and spin.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export interface CgroupFiles {
  /** The process's cgroup membership file (default /proc/self/cgroup). */
  procCgroup?: string;
  /** Where the cgroup file systems are mounted (default /sys/fs/cgroup). */
  root?: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The cgroup folders from the process's own group up to the root (deepest first). */
function ancestry(base: string, path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const dirs: string[] = [];
  for (let n = parts.length; n >= 0; n--) dirs.push(join(base, ...parts.slice(0, n)));
  return dirs;
}

/** cgroup v2 `cpu.max` ("max 100000" or "150000 100000") → CPUs, or undefined when unlimited. */
function quotaV2(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  return quota !== 'max' && q > 0 && p > 0 ? q / p : undefined;
}

/** cgroup v1 `cpu.cfs_quota_us` (-1 = unlimited) over `cpu.cfs_period_us`. */
function quotaV1(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number((quota ?? '').trim());
  const p = Number((period ?? '').trim());
  return q > 0 && p > 0 ? q / p : undefined;
}

/**
 * The CPU quota of this process's cgroup, in CPUs (e.g. 1.5), or undefined when there is none.
 * The strictest limit along the group's ancestry counts, as the kernel enforces every level.
 */
export function cgroupCpuQuota(files: CgroupFiles = {}): number | undefined {
  const membership = read(files.procCgroup ?? '/proc/self/cgroup');
  if (!membership) return undefined;
  const root = files.root ?? '/sys/fs/cgroup';
  const limits: number[] = [];
  for (const line of membership.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line.trim()) ?? [];
    if (path === undefined) continue;
    if (controllers === '') {
      for (const dir of ancestry(root, path)) {
        const q = quotaV2(read(join(dir, 'cpu.max')));
        if (q !== undefined) limits.push(q);
      }
    } else if (controllers!.split(',').includes('cpu')) {
      const base = join(root, controllers!);
      for (const dir of ancestry(base, path)) {
        const q = quotaV1(read(join(dir, 'cpu.cfs_quota_us')), read(join(dir, 'cpu.cfs_period_us')));
        if (q !== undefined) limits.push(q);
      }
    }
  }
  return limits.length > 0 ? Math.min(...limits) : undefined;
}

/**
 * The number of CPUs this process can keep busy: the affinity mask (what availableParallelism
 * reports on Linux) cut by the cgroup quota, rounded up, and at least 1.
 */
export function usableCpus(files: CgroupFiles = {}): number {
  const affinity = availableParallelism();
  const quota = cgroupCpuQuota(files);
  return Math.max(1, quota === undefined ? affinity : Math.min(affinity, Math.ceil(quota)));
}
