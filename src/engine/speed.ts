// The speaking rate a request may ask for: 0.5 … 2.0, where 1 is the model's natural pace.
import { TtsError } from './errors.js';

export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2.0;

/** A speed from a number or the text of a flag, checked against the allowed range. */
export function validateSpeed(input: number | string): number {
  const speed = typeof input === 'number' ? input : Number(input);
  if (typeof input === 'string' && (input.trim() === '' || Number.isNaN(speed))) {
    throw new TtsError('BAD_SPEED', `Speed "${input}" is not a number.`, `Use a speed from ${MIN_SPEED} to ${MAX_SPEED} (1 is normal), e.g. --speed 1.2.`);
  }
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new TtsError('BAD_SPEED', `Speed ${speed} is out of range.`, `Use a speed from ${MIN_SPEED} to ${MAX_SPEED} (1 is normal).`);
  }
  return speed;
}
