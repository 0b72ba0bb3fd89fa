// A small seeded pseudo-random generator (mulberry32) so that bootstrap intervals are reproducible:
// the same data and seed give the same interval on every run and machine. Statistical quality is
// ample for resampling indices; it is not meant for anything cryptographic.

/** A generator of uniform numbers in [0, 1) determined entirely by the 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
