// The body of POST /v1/audio/speech, as OpenAI's API defines it (model, input, voice,
// response_format, speed), checked strictly: every mistake is a 400 with the fix in it.
import { TtsError } from '../engine/errors.js';
import { defaultFormat } from './formats.js';

export interface SpeechBody {
  /** A tts model id, or undefined for the server's default (also for OpenAI's model names). */
  model?: string;
  input: string;
  voice?: string;
  format: string;
  speed?: number;
}

/** OpenAI's model names: accepted, and mean "the model this server serves". */
const OPENAI_MODELS = new Set(['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'kokoro']);
const FIELDS = ['model', 'input', 'voice', 'response_format', 'speed', 'stream_format'];

export class RequestError extends TtsError {
  constructor(
    readonly status: number,
    message: string,
    hint: string,
    readonly param: string | null = null,
  ) {
    super('BAD_INPUT', message, hint);
  }
}

export function parseSpeechBody(raw: string, maxInputChars: number): SpeechBody {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw new RequestError(400, `The body is not valid JSON: ${(err as Error).message}.`, 'Send a JSON object such as {"model":"tts-1","input":"Hello.","voice":"af_heart"}.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(400, 'The body must be a JSON object.', 'Send {"input":"Hello.", …}.');
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).filter((k) => !FIELDS.includes(k));
  if (extra.length) throw new RequestError(400, `Unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}.`, `Allowed: ${FIELDS.join(', ')}.`, extra[0]!);
  const str = (k: string): string | undefined => {
    const v = b[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new RequestError(400, `"${k}" must be a string.`, `Send "${k}" as a JSON string.`, k);
    return v;
  };
  const input = str('input');
  if (input === undefined || !input.trim()) throw new RequestError(400, '"input" is missing or empty.', 'Put the text to speak in "input".', 'input');
  if ([...input].length > maxInputChars) {
    throw new RequestError(400, `"input" has ${[...input].length} characters, over this server's limit of ${maxInputChars}.`, 'Split the text into several requests (or raise the limit with --max-input-chars).', 'input');
  }
  const model = str('model');
  const voice = str('voice');
  const format = str('response_format') ?? defaultFormat();
  const streamFormat = str('stream_format');
  if (streamFormat !== undefined && streamFormat !== 'audio') throw new RequestError(400, `stream_format "${streamFormat}" is not supported.`, 'Use "audio" (the default): the audio streams as the response body.', 'stream_format');
  let speed: number | undefined;
  if (b.speed !== undefined && b.speed !== null) {
    if (typeof b.speed !== 'number' || !Number.isFinite(b.speed)) throw new RequestError(400, '"speed" must be a number.', 'Send a speed from 0.5 to 2.0, e.g. 1.2.', 'speed');
    speed = b.speed;
  }
  return {
    ...(model && !OPENAI_MODELS.has(model) ? { model } : {}),
    input,
    ...(voice ? { voice } : {}),
    format,
    ...(speed !== undefined ? { speed } : {}),
  };
}
