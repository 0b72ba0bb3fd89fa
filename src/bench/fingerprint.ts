// Where a benchmark ran: enough to tell whether two result files are comparable.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { packageRoot } from '../engine/package-root.js';
import { physicalCores } from '../engine/session.js';
import type { SessionTuning } from '../engine/session-tuning.js';

export interface Fingerprint {
  cpu: string;
  physicalCores: number;
  logicalCores: number;
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  ttsVersion: string;
  gitCommit: string;
  /** Filled in by the scenario that loaded a model. */
  provider?: string;
  threads?: number;
  /** The session settings every scenario's sessions were given (threads, spinning, execution mode, memory arena). */
  session?: SessionTuning;
  model?: { id: string; dtype: string; sha256: string; file: string };
}

function onnxruntimeVersion(): string {
  try {
    const main = createRequire(import.meta.url).resolve('onnxruntime-node');
    return (JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(root: string): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

export function fingerprint(): Fingerprint {
  const root = packageRoot();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    physicalCores: physicalCores(),
    logicalCores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    onnxruntime: onnxruntimeVersion(),
    ttsVersion: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    gitCommit: gitCommit(root),
  };
}
