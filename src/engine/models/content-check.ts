// What a file must at least look like when the catalog gives no sha256 to check it against: a
// proxy's login page or a hub's error page served with status 200 must never be installed as
// model.onnx. ONNX files are protobuf ModelProto messages, which begin with field 1 (ir_version,
// a varint: byte 0x08); JSON configs must parse; nothing may be an HTML page.
import { open } from 'node:fs/promises';
import { constants } from 'node:fs';
import { extname } from 'node:path';

const HTML_START = /^\s*<(?:!doctype\s+html|html|head|body|\?xml)/i;

/** Why `bytes` (the start of a file) cannot be `name`, or undefined when it plausibly is. */
export function sniffProblem(name: string, head: Buffer): string | undefined {
  const text = head.subarray(0, 256).toString('latin1');
  if (HTML_START.test(text)) return 'it is an HTML page, not the file (an error or login page?)';
  if (head.length === 0) return 'it is empty';
  if (extname(name).toLowerCase() === '.onnx' && head[0] !== 0x08) return 'it does not start like an ONNX model (protobuf ModelProto)';
  return undefined;
}

/** Whether a Content-Type header says the body is a web page. */
export function isHtmlContentType(type: string | null): boolean {
  return !!type && /^\s*(text\/html|application\/xhtml)/i.test(type);
}

/** Checks a whole file on disk without following a symlink; undefined when it looks right. */
export async function fileProblem(name: string, path: string): Promise<string | undefined> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const ext = extname(name).toLowerCase();
    if (ext === '.json') {
      const text = await fh.readFile('utf8');
      if (HTML_START.test(text)) return 'it is an HTML page, not the file (an error or login page?)';
      try {
        JSON.parse(text);
        return undefined;
      } catch (err) {
        return `it is not valid JSON (${(err as Error).message})`;
      }
    }
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return sniffProblem(name, head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
