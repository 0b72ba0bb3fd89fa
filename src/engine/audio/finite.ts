// NaN and infinity are not sound: converted to PCM they become silence, so a damaged voice pack or
// model would "succeed" with silent audio. Their first occurrence is found here instead.

/** Index of the first value that is NaN or infinite, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}
