#!/usr/bin/env node
// Measures onnxruntime session options on the generated Kokoro-signature model, to pick defaults
// from numbers rather than assumptions: intra-op threads, spinning, execution mode, memory arena.
//
// Each configuration runs in a child process of its own (so one session's spinning threads are not
// billed to another), all children are loaded first, then driven round-robin — interleaved, so
// machine noise falls on every configuration alike. For each run: wall time and the child's CPU
// time (user + system, all its threads).
//
// Usage: node dist/scripts/bench-session-options.js [--work 96] [--ids 84] [--n 40] [--json FILE]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile } from '../src/bench/stats/quantile.js';
import { createSession, type SessionOptions } from '../src/engine/session.js';
import { buildKokoroModel } from './gen-test-models.js';

interface Config {
  name: string;
  options: SessionOptions;
}

const CONFIGS: Config[] = [
  { name: '2 threads, spinning', options: { threads: 2, spinning: true } },
  { name: '2 threads, no spinning', options: { threads: 2, spinning: false } },
  { name: '1 thread', options: { threads: 1 } },
  { name: '2 threads, no spinning, no arena', options: { threads: 2, spinning: false, memArena: false } },
  { name: '2 threads, no spinning, parallel', options: { threads: 2, spinning: false, executionMode: 'parallel' } },
];

/** Child: load the model with the given options, then answer each "run" line with wall and CPU ms. */
async function child(model: string, options: SessionOptions, ids: number): Promise<void> {
  const { session, ort } = await createSession(model, { ...options, providers: ['cpu'] });
  const feeds = () => ({
    input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: ids + 2 }, (_, i) => BigInt(i === 0 || i === ids + 1 ? 0 : 1 + (i % 170))), [1, ids + 2]),
    style: new ort.Tensor('float32', new Float32Array(256).fill(0.1), [1, 256]),
    speed: new ort.Tensor('float32', Float32Array.of(1), [1]),
  });
  await session.run(feeds()); // warm-up
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'run') break;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await session.run(feeds());
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`${wall} ${(cpu.user + cpu.system) / 1000}\n`);
  }
}

class Worker {
  private readonly lines: AsyncIterator<string>;
  constructor(readonly config: Config, private readonly proc: ChildProcess) {
    this.lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  }
  async next(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`${this.config.name}: child ended`);
    return r.value;
  }
  async run(): Promise<[number, number]> {
    this.proc.stdin!.write('run\n');
    const [wall, cpu] = (await this.next()).split(' ').map(Number);
    return [wall!, cpu!];
  }
  close(): void {
    this.proc.stdin!.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      work: { type: 'string', default: '96' },
      ids: { type: 'string', default: '84' },
      n: { type: 'string', default: '40' },
      json: { type: 'string' },
      child: { type: 'string' },
      model: { type: 'string' },
    },
  });
  if (values.child) return child(values.model!, JSON.parse(values.child) as SessionOptions, Number(values.ids));
  const dir = mkdtempSync(join(tmpdir(), 'tts-session-options-'));
  try {
    const model = join(dir, 'model.onnx');
    writeFileSync(model, buildKokoroModel({ work: Number(values.work) }));
    const self = fileURLToPath(import.meta.url);
    const workers = CONFIGS.map(
      (c) => new Worker(c, spawn(process.execPath, [self, '--child', JSON.stringify(c.options), '--model', model, '--ids', values.ids!], { stdio: ['pipe', 'pipe', 'inherit'] })),
    );
    for (const w of workers) await w.next(); // each is loaded and warm
    const samples = workers.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    const n = Number(values.n);
    for (let r = 0; r < n; r++) {
      // Rotate the starting configuration every round so no one is always first.
      for (let k = 0; k < workers.length; k++) {
        const i = (r + k) % workers.length;
        const [wall, cpu] = await workers[i]!.run();
        samples[i]!.wall.push(wall);
        samples[i]!.cpu.push(cpu);
      }
    }
    for (const w of workers) w.close();
    const rows = workers.map((w, i) => ({
      config: w.config.name,
      options: w.config.options,
      wallP50: quantile(samples[i]!.wall, 0.5),
      wallP95: quantile(samples[i]!.wall, 0.95),
      cpuP50: quantile(samples[i]!.cpu, 0.5),
    }));
    process.stdout.write(`session options, generated model work ${values.work}, ${values.ids} ids, n = ${n} each, interleaved\n`);
    process.stdout.write(`  ${'configuration'.padEnd(36)} ${'wall P50'.padStart(9)} ${'wall P95'.padStart(9)} ${'CPU P50'.padStart(9)}  (ms)\n`);
    for (const r of rows) process.stdout.write(`  ${r.config.padEnd(36)} ${r.wallP50.toFixed(1).padStart(9)} ${r.wallP95.toFixed(1).padStart(9)} ${r.cpuP50.toFixed(1).padStart(9)}\n`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ command: process.argv.slice(1).join(' '), rows }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench-session-options: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
