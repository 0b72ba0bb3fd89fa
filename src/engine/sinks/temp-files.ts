// Temp files for outputs that appear only when complete: created exclusively (O_EXCL, and
// O_NOFOLLOW: a planted file or symlink at the name makes creation fail instead of being written
// through) under an unpredictable name in the destination's folder, removed if the process is
// interrupted (SIGINT, SIGTERM, SIGHUP), and swept at the next start when a killed process left
// one behind (the name carries the owner's pid).
import { randomBytes } from 'node:crypto';
import { constants, readdirSync, unlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const SUFFIX = '.tts-tmp';
const NAME = /^\..+\.(\d+)-[0-9a-f]{16}\.tts-tmp$/;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const live = new Set<string>();

function onSignal(sig: NodeJS.Signals): void {
  for (const f of live) {
    try {
      unlinkSync(f);
    } catch {
      // already gone
    }
  }
  live.clear();
  if (process.listenerCount(sig) === 1) {
    // Nobody else handles it: die of the signal, as without this handler.
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, sig);
  }
}

function track(path: string): void {
  if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.add(path);
}

/** Forgets a temp file (renamed into place or removed). */
export function untrackTemp(path: string): void {
  live.delete(path);
  if (live.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files of ours in `dir` whose process is gone. */
export function sweepStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name)); // unlink removes a symlink itself, never its target
    } catch {
      // another process swept it first
    }
  }
}

/** Creates a new temp file for `base` in `dir`; the caller renames it into place or removes it. */
export async function createTemp(dir: string, base: string): Promise<{ path: string; handle: FileHandle }> {
  sweepStaleTemps(dir);
  const path = join(dir, `.${base}.${process.pid}-${randomBytes(8).toString('hex')}${SUFFIX}`);
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o666);
  track(path);
  return { path, handle };
}
