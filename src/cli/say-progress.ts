// The progress line of a long `tts say` on a terminal: chunks done, seconds of audio made, and the
// time left, rewritten in place on stderr (stdout stays clean for the audio). Nothing when stderr
// is not a terminal.
import type { AudioChunk } from '../engine/engine.js';

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The line for `done` chunks of `total` (undefined while the text is still arriving). */
export function progressLine(done: number, total: number | undefined, audioSeconds: number, elapsedSeconds: number): string {
  const eta = total && done ? ` · ${clock((elapsedSeconds / done) * (total - done))} left` : '';
  return `tts: chunk ${done}${total ? `/${total}` : ''} · ${audioSeconds.toFixed(1)} s of audio${eta}`;
}

/** `chunks`, reporting each one on `stream` as it passes. */
export async function* withProgress(chunks: AsyncIterable<AudioChunk>, stream: NodeJS.WriteStream = process.stderr): AsyncGenerator<AudioChunk> {
  if (!stream.isTTY) return yield* chunks;
  const start = performance.now();
  let done = 0;
  let audio = 0;
  try {
    for await (const c of chunks) {
      yield c;
      done++;
      audio += c.pcm.length / c.sampleRate;
      stream.write(`\r\x1b[K${progressLine(done, c.total, audio, (performance.now() - start) / 1000)}`);
    }
  } finally {
    if (done) stream.write('\r\x1b[K');
  }
}
