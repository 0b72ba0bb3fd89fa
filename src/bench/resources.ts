// CPU time and peak memory per benchmark sample: of this process (in-process scenarios), of a
// long-lived child (servers, read from /proc on Linux) or of a finished child (`/usr/bin/time`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ResourceSample {
  /** CPU time in user mode during the sample, ms. */
  userMs: number;
  /** CPU time in kernel mode during the sample, ms. */
  sysMs: number;
  /** user + sys, as precisely as the platform tells (µs or ns; GNU time: 10 ms). */
  cpuMs: number;
  /** Peak resident memory of the process so far, KiB. */
  peakRssKiB: number;
}

/** Per-sample series, parallel to the latency samples. */
export interface ResourceSeries {
  userMs: number[];
  sysMs: number[];
  cpuMs: number[];
  peakRssKiB: number[];
  /** Whose CPU and memory these are. */
  of: string;
}

export function newSeries(of: string): ResourceSeries {
  return { userMs: [], sysMs: [], cpuMs: [], peakRssKiB: [], of };
}

export function pushSample(s: ResourceSeries, r: ResourceSample): void {
  s.userMs.push(r.userMs);
  s.sysMs.push(r.sysMs);
  s.cpuMs.push(r.cpuMs);
  s.peakRssKiB.push(r.peakRssKiB);
}

export interface CpuReading {
  userMs: number;
  sysMs: number;
}

/** A meter for one process: `start()` before the sample, `stop()` after it. */
export interface Meter {
  start(): void;
  stop(): ResourceSample | undefined;
}

/** This process (onnxruntime's threads included). */
export function selfMeter(): Meter {
  let t0: NodeJS.CpuUsage | undefined;
  return {
    start: () => {
      t0 = process.cpuUsage();
    },
    stop: () => {
      const d = process.cpuUsage(t0);
      return { userMs: d.user / 1000, sysMs: d.system / 1000, cpuMs: (d.user + d.system) / 1000, peakRssKiB: process.resourceUsage().maxRSS };
    },
  };
}

// Linux reports CPU times in clock ticks; 100 per second on every mainstream kernel configuration.
const TICK_MS = 10;

function procCpu(pid: number): CpuReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, utime 14 and stime 15 (1-based, man proc).
    return { userMs: Number(fields[11]) * TICK_MS, sysMs: Number(fields[12]) * TICK_MS };
  } catch {
    return undefined;
  }
}

/** CPU time of all of a process's live threads, ms, to the nanosecond (/proc/PID/task/TID/schedstat). */
function procCpuPrecise(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        /* the thread ended meanwhile */
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

function procPeakRss(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A running child process, read from /proc (Linux; undefined elsewhere). user/sys in 10 ms ticks, cpuMs to the ns. */
export function procMeter(pid: number | undefined): Meter | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  let c0: CpuReading | undefined;
  let p0: number | undefined;
  return {
    start: () => {
      c0 = procCpu(pid);
      p0 = procCpuPrecise(pid);
    },
    stop: () => {
      const p1 = procCpuPrecise(pid);
      const c1 = procCpu(pid);
      const rss = procPeakRss(pid);
      if (!c0 || !c1 || rss === undefined || p0 === undefined || p1 === undefined) return undefined;
      return { userMs: c1.userMs - c0.userMs, sysMs: c1.sysMs - c0.sysMs, cpuMs: p1 - p0, peakRssKiB: rss };
    },
  };
}

export const GNU_TIME = '/usr/bin/time';

/** `/usr/bin/time -f` prefix for a child whose totals are read from `out` after it exits, when installed. */
export function timePrefix(out: string): string[] | undefined {
  return existsSync(GNU_TIME) ? [GNU_TIME, '-q', '-o', out, '-f', '%U %S %M'] : undefined;
}

/** Parses what timePrefix wrote: user s, sys s, max RSS KiB. */
export function readTimeOutput(out: string): ResourceSample | undefined {
  try {
    const last = readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '';
    const [u, s, m] = last.split(' ').map(Number);
    if (![u, s, m].every((v) => Number.isFinite(v))) return undefined;
    return { userMs: u! * 1000, sysMs: s! * 1000, cpuMs: (u! + s!) * 1000, peakRssKiB: m! };
  } catch {
    return undefined;
  }
}
