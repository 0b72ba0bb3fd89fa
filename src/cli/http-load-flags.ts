// The flags of `tts bench --scenario http` (load on a running server; src/bench/http.ts).
import { Flags } from '@oclif/core';

export const httpLoadFlags = {
  url: Flags.string({ description: 'http scenario: base URL of a running `tts serve` (or its load balancer).', default: 'http://127.0.0.1:8880', helpValue: 'URL' }),
  rate: Flags.string({ description: 'http scenario, open loop: requests arriving per second (Poisson).', helpValue: 'N' }),
  users: Flags.integer({ description: 'http scenario, closed loop: users, each waiting for its answer, then thinking.', min: 1, helpValue: 'N' }),
  think: Flags.integer({ description: 'http scenario, closed loop: mean think time between a user\'s requests.', default: 3000, min: 0, helpValue: 'MS' }),
  duration: Flags.integer({ description: 'http scenario: seconds of load.', default: 30, min: 1, helpValue: 'S' }),
  repeat: Flags.string({ description: 'http scenario: share of requests (0–1) repeating a phrase already spoken.', default: '0.7', helpValue: 'SHARE' }),
  'background-misses': Flags.integer({ description: 'http scenario: requests that always miss, kept in flight meanwhile.', default: 0, min: 0, helpValue: 'N' }),
};

type Parsed = { url: string; rate?: string | undefined; users?: number | undefined; think: number; duration: number; repeat: string; 'background-misses': number; seed: number };

/** The http scenario's options from the parsed flags (only when --rate or --users is given). */
export function httpLoadOptions(f: Parsed): { http?: { url: string; rate?: number; users?: number; thinkMs: number; durationMs: number; repeat: number; backgroundMisses: number; seed: number } } {
  if (f.rate === undefined && f.users === undefined) return {};
  const repeat = Number(f.repeat);
  const rate = f.rate === undefined ? undefined : Number(f.rate);
  return {
    http: {
      url: f.url.replace(/\/+$/, ''),
      ...(rate !== undefined && rate > 0 ? { rate } : {}),
      ...(f.users ? { users: f.users } : {}),
      thinkMs: f.think,
      durationMs: f.duration * 1000,
      repeat: Number.isFinite(repeat) ? Math.min(1, Math.max(0, repeat)) : 0.7,
      backgroundMisses: f['background-misses'],
      seed: f.seed,
    },
  };
}
