// NumPy .npz archives — how kokoro-onnx ships every Kokoro voice in one file (`voices-v1.0.bin`:
// one float32 [510, 1, 256] array per voice, written by np.savez). An .npz is a ZIP of .npy files;
// this reads its central directory once, then one member at a time, so a voice costs one read of
// its own bytes. Stored (np.savez) and deflated (np.savez_compressed) members, ZIP64 fields
// (np.savez writes its members with force_zip64) and .npy format versions 1–3 are understood.
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TtsError } from '../errors.js';

interface Member {
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function bad(path: string, why: string): TtsError {
  return new TtsError('VOICE_CORRUPT', `${path} is not a readable NumPy .npz voice file: ${why}.`, 'Download it again (kokoro-onnx: voices-v1.0.bin), or use per-voice .bin files.');
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let done = 0;
  while (done < len) {
    const n = readSync(fd, buf, done, len - done, pos + done);
    if (n === 0) break;
    done += n;
  }
  return done === len ? buf : buf.subarray(0, done);
}

/** The ZIP64 extended-information fields that replace 0xFFFFFFFF values, in their fixed order. */
function zip64Fields(extra: Buffer, wanted: { size: boolean; compressed: boolean; offset: boolean }): bigint[] {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      const out: bigint[] = [];
      let q = p + 4;
      for (const want of [wanted.size, wanted.compressed, wanted.offset]) {
        if (!want) continue;
        out.push(extra.readBigUInt64LE(q));
        q += 8;
      }
      return out;
    }
    p += 4 + len;
  }
  return [];
}

export class NpzFile {
  private readonly members = new Map<string, Member>();

  private constructor(readonly path: string) {}

  /** Opens `path` and reads its directory; a clear VOICE_CORRUPT error when it is not an .npz. */
  static open(path: string): NpzFile {
    const npz = new NpzFile(path);
    const fd = openSync(path, 'r');
    try {
      npz.readDirectory(fd);
    } finally {
      closeSync(fd);
    }
    return npz;
  }

  /** Array names (member names without `.npy`), sorted. */
  names(): string[] {
    return [...this.members.keys()].sort();
  }

  has(name: string): boolean {
    return this.members.has(name);
  }

  private readDirectory(fd: number): void {
    const fileSize = fstatSync(fd).size;
    const tailLen = Math.min(fileSize, 22 + 0xffff);
    const tail = readAt(fd, fileSize - tailLen, tailLen);
    let eocd = -1;
    for (let p = tail.length - 22; p >= 0; p--) {
      if (tail.readUInt32LE(p) === EOCD) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) throw bad(this.path, 'no ZIP end-of-directory record');
    let count = tail.readUInt16LE(eocd + 10);
    let dirOffset = tail.readUInt32LE(eocd + 16);
    if ((dirOffset === MAX32 || count === 0xffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === EOCD64_LOCATOR) {
      const eocd64 = readAt(fd, Number(tail.readBigUInt64LE(eocd - 20 + 8)), 56);
      count = Number(eocd64.readBigUInt64LE(32));
      dirOffset = Number(eocd64.readBigUInt64LE(48));
    }
    const dir = readAt(fd, dirOffset, fileSize - dirOffset);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw bad(this.path, 'damaged central directory');
      const method = dir.readUInt16LE(p + 10);
      let compressedSize = dir.readUInt32LE(p + 20);
      let size = dir.readUInt32LE(p + 24);
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      let localHeader = dir.readUInt32LE(p + 42);
      const name = dir.toString('utf8', p + 46, p + 46 + nameLen);
      const extra = dir.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
      const big = zip64Fields(extra, { size: size === MAX32, compressed: compressedSize === MAX32, offset: localHeader === MAX32 });
      if (size === MAX32) size = Number(big.shift());
      if (compressedSize === MAX32) compressedSize = Number(big.shift());
      if (localHeader === MAX32) localHeader = Number(big.shift());
      if (name.endsWith('.npy')) this.members.set(name.slice(0, -4), { method, compressedSize, size, localHeader });
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  /** Reads array `name` as float32 with its shape. */
  read(name: string): NpyArray {
    const m = this.members.get(name);
    if (!m) throw new TtsError('UNKNOWN_VOICE', `${this.path} has no array "${name}".`, `It has: ${this.names().slice(0, 12).join(', ')}${this.members.size > 12 ? ', …' : ''}.`);
    const fd = openSync(this.path, 'r');
    let raw: Buffer;
    try {
      const local = readAt(fd, m.localHeader, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw bad(this.path, `damaged entry for ${name}`);
      const start = m.localHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      raw = readAt(fd, start, m.compressedSize);
    } finally {
      closeSync(fd);
    }
    if (raw.length !== m.compressedSize) throw bad(this.path, `entry ${name} is truncated`);
    if (m.method === 8) raw = (createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib')).inflateRawSync(raw); // loaded only for a deflated member
    else if (m.method !== 0) throw bad(this.path, `entry ${name} uses ZIP compression method ${m.method}`);
    return parseNpy(raw, `${this.path}:${name}`);
  }
}

/** A .npy buffer → float32 data and shape; only little-endian float32, C order (what Kokoro packs are). */
export function parseNpy(buf: Buffer, label: string): NpyArray {
  if (buf.length < 10 || buf.readUInt8(0) !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') throw bad(label, 'not a .npy array');
  const major = buf.readUInt8(6);
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const dataStart = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', major === 1 ? 10 : 12, dataStart);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== '<f4' || fortran !== 'False' || shapeText === undefined) {
    throw bad(label, `array is ${descr ?? '?'}${fortran === 'True' ? ' in Fortran order' : ''}; expected little-endian float32 (<f4) in C order`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length - dataStart < count * 4) throw bad(label, 'array data is truncated');
  const data = new Float32Array(count);
  Buffer.from(data.buffer).set(buf.subarray(dataStart, dataStart + count * 4));
  return { shape, data };
}
