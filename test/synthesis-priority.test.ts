// The servers' synthesis thread and onnxruntime's threads run at a lower CPU priority than the
// thread that answers requests (backends/thread-worker.ts), read from /proc as the kernel sees it.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, cacheWithModels } from './helpers.js';

/** The nice value of each thread of `pid`, by thread id (Linux). */
function threadNice(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(join(`/proc/${pid}/task`, tid, 'stat'), 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
      out.set(Number(tid), Number(fields[19 - 3]));
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return out;
}

test('serve-stdin: synthesis threads run 10 nice steps below the thread that answers requests', async () => {
  if (process.platform !== 'linux') return void console.log('  (skipped: thread priorities are read from Linux /proc)');
  const cache = cacheWithModels();
  const child = spawn(process.execPath, [BIN, 'serve-stdin', '--output', 'stream', '--threads', '2'], { env: { ...process.env, TTS_CACHE_DIR: cache }, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const lines = createInterface({ input: child.stdout! });
    const done = new Promise<void>((res) => lines.on('line', (l) => (JSON.parse(l) as { event: string }).event === 'done' && res()));
    child.stdin!.write(JSON.stringify({ id: 'a', text: 'Priorities, please.' }) + '\n');
    await done;
    const nice = threadNice(child.pid!);
    const main = nice.get(child.pid!)!;
    const lowered = [...nice.values()].filter((n) => n === Math.min(19, main + 10));
    assert.ok(lowered.length >= 2, `the synthesis thread and onnxruntime's pool thread are lowered: ${JSON.stringify([...nice])}`);
    assert.ok([...nice.values()].filter((n) => n === main).length >= 1, 'the main thread keeps its priority');
  } finally {
    child.stdin!.end('{"type":"shutdown"}\n');
    await new Promise((res) => child.on('exit', res));
  }
});

test.run();
