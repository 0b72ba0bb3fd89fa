// Model inputs typed as the model declares them. Exports of the same model differ: Kokoro's ids
// are int64 in both published exports, but kokoro-onnx feeds `speed` as int32 to `input_ids`
// exports (e.g. its v1.1-zh model), so types are read from the session, never assumed.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { TtsError } from '../errors.js';
import type { OrtModule } from '../session.js';

export type IntType = 'int64' | 'int32';
export type NumberType = IntType | 'float32' | 'float64';

/** The element type the session declares for input `name`, or `fallback` when it does not say. */
export function inputType(session: InferenceSession, name: string, fallback: NumberType): string {
  const meta = (session.inputMetadata ?? []).find((m) => m.name === name);
  return meta && meta.isTensor ? meta.type : fallback;
}

/** int32 when the session declares input `name` so, else int64 (ids, lengths, speaker ids). */
export function intType(session: InferenceSession, name: string): IntType {
  return inputType(session, name, 'int64') === 'int32' ? 'int32' : 'int64';
}

/** Checks that input `name` has one of the types we can feed; a clear error for an export we cannot run. */
export function expectType<T extends NumberType>(session: InferenceSession, name: string, allowed: readonly T[], model: string): T {
  const type = inputType(session, name, allowed[0]!);
  if (!(allowed as readonly string[]).includes(type)) {
    throw new TtsError('MODEL_UNSUPPORTED', `Model ${model} declares input "${name}" as ${type}; tts can feed it as ${allowed.join(' or ')}.`, 'Use another export of the model (see `tts voices --available`).');
  }
  return type as T;
}

/** A tensor of `type` from plain numbers; integer types truncate toward zero as NumPy's astype does. */
export function numberTensor(ort: OrtModule, type: NumberType, values: ArrayLike<number>, dims: readonly number[]): Tensor {
  switch (type) {
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(Math.trunc(v)))), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(values, (v) => Math.trunc(v)), dims);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(values), dims);
    default:
      return new ort.Tensor('float32', Float32Array.from(values), dims);
  }
}
