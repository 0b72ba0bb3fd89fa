// Kokoro voice blends: `af_heart:0.7,af_bella:0.3` speaks with a style pack mixed row by row from
// the named packs, weighted (weights are normalized to sum to 1; a name without a weight counts 1,
// so `af_heart,af_bella` is the plain mean, as Kokoro's own pipeline mixes "a,b").
import { TtsError } from '../errors.js';

export interface BlendPart {
  name: string;
  weight: number;
}

const NAME = /^[a-z]{1,3}_[a-z0-9_]+$/i;
const WEIGHT = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

const badBlend = (voice: string, why: string): TtsError =>
  new TtsError('BAD_VOICE', `"${voice}" is not a voice blend: ${why}.`, 'Write a blend as NAME:WEIGHT,NAME:WEIGHT, e.g. --voice af_heart:0.7,af_bella:0.3 (weights are positive numbers; they are scaled to sum to 1).');

/** True when `voice` is written as a blend (a comma, or a name with a weight). */
export function isBlend(voice: string): boolean {
  return voice.includes(',') || /^[^:]+:[\d.]*$/.test(voice);
}

/** The parts of a blend, weights normalized; the same voice twice is refused. */
export function parseBlend(voice: string): BlendPart[] {
  const parts: BlendPart[] = [];
  for (const raw of voice.split(',')) {
    const item = raw.trim();
    const [name = '', weight, ...extra] = item.split(':');
    if (!item) throw badBlend(voice, 'a voice name is missing');
    if (extra.length > 0) throw badBlend(voice, `"${item}" has more than one ":"`);
    if (!NAME.test(name)) throw badBlend(voice, `"${name}" is not a Kokoro voice name`);
    if (weight !== undefined && !WEIGHT.test(weight)) throw badBlend(voice, `the weight of ${name} ("${weight}") is not a number`);
    if (parts.some((p) => p.name === name)) throw badBlend(voice, `${name} is named twice`);
    parts.push({ name, weight: weight === undefined ? 1 : Number(weight) });
  }
  const total = parts.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw badBlend(voice, 'the weights add up to zero');
  return parts.filter((p) => p.weight > 0).map((p) => ({ name: p.name, weight: p.weight / total }));
}

/** The canonical spelling of a blend (sorted by name, normalized weights): the same mix, the same key. */
export function blendId(parts: BlendPart[]): string {
  return [...parts]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => `${p.name}:${Number(p.weight.toFixed(4))}`)
    .join(',');
}

/** Mixes voice packs element by element (every row, every dimension) with the parts' weights. */
export function mixPacks(packs: Float32Array[], weights: number[]): Float32Array {
  const out = new Float32Array(packs[0]!.length);
  packs.forEach((pack, k) => {
    const w = weights[k]!;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + w * pack[i]!;
  });
  return out;
}
