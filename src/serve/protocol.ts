// The serve-stdin protocol, version 1 (docs/serve-stdin.md): what a line on stdin may say, and the
// events written on stdout. Parsing is strict, so a program learns of its mistakes at once: a
// wrong type, an unknown field or an empty text is an error event with a stable code.

import { resolveFormat, type AudioFormat } from '../engine/audio/formats.js';

export const PROTOCOL_VERSION = 1;

export type Output = 'play' | 'stream' | 'file';

export interface SpeakRequest {
  type: 'speak';
  id: string;
  text: string;
  voice?: string;
  speed?: number;
  output: Output;
  path?: string;
  /** For output "file": the format its extension names (.wav when it has none). */
  format?: AudioFormat;
}

export type ControlMessage = { type: 'cancel'; id: string } | { type: 'stats'; id?: string } | { type: 'shutdown' };

export type ProtocolErrorCode =
  | 'BAD_JSON'
  | 'BAD_UTF8'
  | 'LINE_TOO_LONG'
  | 'BAD_REQUEST'
  | 'UNKNOWN_FIELD'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_ID'
  | 'QUEUE_FULL';

export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    /** The id the line carried, when one could be read. */
    readonly id: string | null = null,
    /**
     * Whether the line was a speak request: only then can its id be the subject of the error (a
     * cancel or stats line names another request's id, or a tag).
     */
    readonly isRequest = false,
  ) {
    super(message);
  }
}

export interface LineDefaults {
  output: Output;
}

const SPEAK_FIELDS = new Set(['type', 'id', 'text', 'voice', 'speed', 'output', 'path']);
const OUTPUTS = new Set<Output>(['play', 'stream', 'file']);

/**
 * Interprets one line. A line whose first non-blank character is `{` must be a JSON request or
 * control message; any other line is text to speak with the defaults (its id is `line-<n>`).
 */
export function parseLine(line: string, lineNo: number, defaults: LineDefaults): SpeakRequest | ControlMessage | null {
  const trimmed = line.trim();
  if (!trimmed) return null;
  if (!trimmed.startsWith('{')) return { type: 'speak', id: `line-${lineNo}`, text: trimmed, output: defaults.output };
  let msg: unknown;
  try {
    msg = JSON.parse(trimmed);
  } catch (err) {
    throw new ProtocolError('BAD_JSON', `Line ${lineNo} is not valid JSON: ${(err as Error).message}.`, idGuess(trimmed), !CONTROL_TYPE.test(trimmed));
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new ProtocolError('BAD_REQUEST', `Line ${lineNo}: expected a JSON object.`);
  return parseMessage(msg as Record<string, unknown>, lineNo, defaults);
}

/** A line that names a control type (its id, if any, is not a request of its own). */
const CONTROL_TYPE = /"type"\s*:\s*"(?!speak")/;

/** The id of a line that failed to parse, when it can be seen, so the error event can carry it. */
function idGuess(text: string): string | null {
  const m = /"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"/.exec(text);
  return m ? m[1]! : null;
}

function parseMessage(m: Record<string, unknown>, lineNo: number, defaults: LineDefaults): SpeakRequest | ControlMessage {
  const rawId = m.id;
  const id = typeof rawId === 'string' ? rawId : null;
  const type = m.type ?? 'speak';
  const fail = (code: ProtocolErrorCode, message: string): never => {
    throw new ProtocolError(code, `Line ${lineNo}: ${message}`, id, type === 'speak');
  };
  if (rawId !== undefined && (typeof rawId !== 'string' || rawId.length === 0 || rawId.length > 200)) fail('BAD_REQUEST', '"id" must be a string of 1 to 200 characters.');
  if (type === 'cancel') {
    checkFields(m, ['type', 'id'], fail);
    if (!id) fail('BAD_REQUEST', 'cancel needs the "id" of the request to cancel.');
    return { type: 'cancel', id: id! };
  }
  if (type === 'stats') {
    checkFields(m, ['type', 'id'], fail);
    return id ? { type: 'stats', id } : { type: 'stats' };
  }
  if (type === 'shutdown') {
    checkFields(m, ['type', 'id'], fail);
    return { type: 'shutdown' };
  }
  if (type !== 'speak') fail('BAD_REQUEST', `unknown "type" ${JSON.stringify(type)}; expected speak, cancel, stats or shutdown.`);
  checkFields(m, [...SPEAK_FIELDS], fail);
  if (!id) fail('BAD_REQUEST', 'a request needs an "id" (a string).');
  if (typeof m.text !== 'string') fail('BAD_REQUEST', '"text" must be a string.');
  if (!(m.text as string).trim()) fail('BAD_REQUEST', '"text" is empty.');
  if (m.voice !== undefined && typeof m.voice !== 'string') fail('BAD_REQUEST', '"voice" must be a string.');
  if (m.speed !== undefined && (typeof m.speed !== 'number' || !Number.isFinite(m.speed))) fail('BAD_REQUEST', '"speed" must be a number.');
  const output = m.output ?? defaults.output;
  if (typeof output !== 'string' || !OUTPUTS.has(output as Output)) fail('BAD_REQUEST', '"output" must be "play", "stream" or "file".');
  if (output === 'file' && (typeof m.path !== 'string' || !m.path)) fail('BAD_REQUEST', 'output "file" needs a "path".');
  if (output !== 'file' && m.path !== undefined) fail('BAD_REQUEST', '"path" is only for output "file".');
  let format: AudioFormat | undefined;
  if (output === 'file') {
    try {
      format = resolveFormat(m.path as string, undefined);
    } catch (err) {
      fail('BAD_REQUEST', `"path": ${(err as Error).message} Name it .wav, .pcm, .mp3, .opus or .flac.`);
    }
  }
  return {
    type: 'speak',
    id: id!,
    text: m.text as string,
    output: output as Output,
    ...(m.voice !== undefined ? { voice: m.voice as string } : {}),
    ...(m.speed !== undefined ? { speed: m.speed as number } : {}),
    ...(m.path !== undefined ? { path: m.path as string } : {}),
    ...(format ? { format } : {}),
  };
}

function checkFields(m: Record<string, unknown>, allowed: string[], fail: (code: ProtocolErrorCode, message: string) => never): void {
  const extra = Object.keys(m).filter((k) => !allowed.includes(k));
  if (extra.length) fail('UNKNOWN_FIELD', `unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${allowed.join(', ')}.`);
}

/** Events written on stdout, one JSON object per line. */
export type ServerEvent =
  | { event: 'ready'; protocol: number; model: string | null; voice: string | null; provider: string | null; lazy: boolean; audio: 'base64' | 'binary' }
  | { event: 'accepted'; id: string; position: number }
  | { event: 'audio'; id: string; seq: number; sampleRate: number; samples: number; text: string; pcm?: string; bytes?: number }
  | { event: 'done'; id: string; chunks: number; audioMs: number; timings: { queueMs: number; firstChunkMs: number | null; totalMs: number }; cache: { hits: number; misses: number }; path?: string }
  | { event: 'cancelled'; id: string }
  | { event: 'error'; id: string | null; line?: number; code: string; message: string; hint?: string; retryAfterSeconds?: number }
  | { event: 'stats'; id?: string; [k: string]: unknown };
