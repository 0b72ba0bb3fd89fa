// Ogg pages (RFC 3533), the container of Opus files: packets are laced into pages, each with its
// granule position and a CRC-32 (polynomial 0x04C11DB7, not reflected).

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc;
}

export const BOS = 0x02;
export const EOS = 0x04;

export class OggWriter {
  private seq = 0;
  constructor(private readonly serial: number) {}

  /** One page holding whole `packets` (at most 255 lacing values in all). */
  page(packets: Uint8Array[], granule: bigint, flags = 0): Buffer {
    const lacing: number[] = [];
    for (const p of packets) {
      let n = p.length;
      while (n >= 255) {
        lacing.push(255);
        n -= 255;
      }
      lacing.push(n);
    }
    if (lacing.length > 255) throw new RangeError('too many packets for one Ogg page');
    const header = Buffer.alloc(27 + lacing.length);
    header.write('OggS', 0, 'ascii');
    header[4] = 0; // version
    header[5] = flags;
    header.writeBigInt64LE(granule, 6);
    header.writeUInt32LE(this.serial, 14);
    header.writeUInt32LE(this.seq++, 18);
    header[26] = lacing.length;
    lacing.forEach((v, i) => (header[27 + i] = v));
    const page = Buffer.concat([header, ...packets]);
    page.writeUInt32LE(crc32(page), 22);
    return page;
  }
}

/** Lacing values a packet takes in a page. */
export function lacingCount(packet: Uint8Array): number {
  return Math.floor(packet.length / 255) + 1;
}
