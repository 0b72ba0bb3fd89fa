// Bytes from stdin → lines. A line longer than the limit is reported (once) and skipped up to its
// newline, so one runaway line cannot exhaust memory; bytes that are not UTF-8 are reported too.

export type LineResult = { ok: true; line: string; lineNo: number } | { ok: false; reason: 'too-long' | 'bad-utf8'; lineNo: number; bytes: number };

export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;
  private lineNo = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxBytes: number) {}

  /** Feeds a chunk of bytes; returns the lines it completed. */
  push(chunk: Buffer): LineResult[] {
    const out: LineResult[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      this.add(piece);
      if (nl < 0) break;
      out.push(...this.finishLine());
      start = nl + 1;
    }
    return out;
  }

  /** At end of input: the last line, when it had no newline. */
  end(): LineResult[] {
    return this.size > 0 || this.skipping ? this.finishLine() : [];
  }

  private add(piece: Buffer): void {
    if (this.skipping || piece.length === 0) {
      if (this.skipping) this.size += piece.length;
      return;
    }
    if (this.size + piece.length > this.maxBytes) {
      this.skipping = true;
      this.size += piece.length;
      this.parts = [];
      return;
    }
    this.parts.push(Buffer.from(piece));
    this.size += piece.length;
  }

  private finishLine(): LineResult[] {
    this.lineNo++;
    const lineNo = this.lineNo;
    const bytes = this.size;
    const skipped = this.skipping;
    const buf = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.skipping = false;
    if (skipped) return [{ ok: false, reason: 'too-long', lineNo, bytes }];
    try {
      return [{ ok: true, line: this.decoder.decode(buf).replace(/\r$/, ''), lineNo }];
    } catch {
      return [{ ok: false, reason: 'bad-utf8', lineNo, bytes }];
    }
  }
}
