// Reads serve-stdin's stdout: one JSON event per line, where an `audio` event with a `bytes` field
// (the binary audio encoding, docs/serve-stdin.md) is followed by exactly that many raw PCM bytes.

export interface Frame {
  event: Record<string, unknown>;
  /** The raw bytes that followed the event (binary audio), else undefined. */
  payload?: Buffer;
}

export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Record<string, unknown> | undefined;
  private need = 0;

  /** Feeds bytes; returns the frames they completed. */
  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    for (;;) {
      if (this.pending) {
        if (this.buf.length < this.need) break;
        out.push({ event: this.pending, payload: this.buf.subarray(0, this.need) });
        this.buf = this.buf.subarray(this.need);
        this.pending = undefined;
        continue;
      }
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) break;
      const line = this.buf.subarray(0, nl).toString('utf8');
      this.buf = this.buf.subarray(nl + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event.event === 'audio' && typeof event.bytes === 'number') {
        this.pending = event;
        this.need = event.bytes;
      } else out.push({ event });
    }
    return out;
  }
}
