// Per-voice loudness calibration: the integrated loudness of a voice reading a fixed paragraph,
// measured once (the first time the voice is normalized) and stored in the cache folder (even with
// --no-cache: it describes the model, not a request), so later runs start at once. The
// loudness normalizer starts from it and corrects it with what the text itself measures, so the
// first sentences of a text already get about the right gain.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Read by every voice to calibrate it: varied sounds, statements and a question, about 12 s. */
export const CALIBRATION_TEXT =
  'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. ' +
  'It is easy to tell the depth of a well. Would you like these chicken legs, or a rare dish? ' +
  'Rice is often served in round bowls, and the juice of lemons makes fine punch.';

export function calibrationKey(engineVersion: string, modelIdentity: string, voiceId: string): string {
  return createHash('sha256').update(['loudness', engineVersion, modelIdentity, voiceId].join('\u0000')).digest('hex');
}

/** Calibrations in memory, and on disk when given a folder (one small JSON file per voice). */
export class VoiceLoudnessStore {
  private readonly memory = new Map<string, number>();

  constructor(private readonly dir?: string) {}

  get(key: string): number | undefined {
    const hit = this.memory.get(key);
    if (hit !== undefined || !this.dir) return hit;
    try {
      const { lufs } = JSON.parse(readFileSync(join(this.dir, `${key}.json`), 'utf8')) as { lufs: unknown };
      if (typeof lufs !== 'number' || !Number.isFinite(lufs)) return undefined;
      this.memory.set(key, lufs);
      return lufs;
    } catch {
      return undefined; // not measured yet, or damaged: measured again
    }
  }

  set(key: string, lufs: number): void {
    this.memory.set(key, lufs);
    if (!this.dir) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `.${key}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify({ lufs }));
      renameSync(tmp, join(this.dir, `${key}.json`));
    } catch {
      // a read-only cache: the calibration is kept for this process only
    }
  }
}
