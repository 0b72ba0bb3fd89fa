// The shared audio cache tier in Redis (--cache-url redis://…), with @redis/client (the official
// node-redis client): a chunk synthesized by one replica is a hit on every other. Redis being
// down or slow never fails a request: commands time out fast and count as misses.
import { createClient, RESP_TYPES } from '@redis/client';
import type { SharedAudioStore } from '../engine/cache/audio-cache.js';
import { TtsError } from '../engine/errors.js';

export interface RedisStoreOptions {
  /** Entries expire after this many seconds (0: never; Redis's maxmemory policy then decides). */
  ttlSeconds?: number;
  /** A command slower than this counts as a miss. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RedisStore extends SharedAudioStore {
  close(): Promise<void>;
}

const PREFIX = 'tts:audio:';

export async function connectRedisStore(url: string, o: RedisStoreOptions = {}): Promise<RedisStore> {
  if (!/^rediss?:\/\//.test(url)) throw new TtsError('BAD_INPUT', `--cache-url "${url}" is not a Redis URL.`, 'Use redis://HOST:PORT (or rediss:// for TLS), e.g. --cache-url redis://127.0.0.1:6379.');
  const timeoutMs = o.timeoutMs ?? 250;
  let warned = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on('error', (err: Error) => {
    if (!warned) o.log?.(`tts serve: shared cache ${url}: ${err.message} (serving from the local cache meanwhile)`);
    warned = true;
  });
  client.on('ready', () => {
    if (warned) o.log?.(`tts serve: shared cache ${url}: connected`);
    warned = false;
  });
  try {
    await client.connect();
  } catch (err) {
    throw new TtsError('BAD_INPUT', `Cannot reach the shared cache at ${url}: ${(err as Error).message}.`, 'Start Redis there, fix --cache-url, or leave it out to use the local cache only.');
  }
  const bounded = <T>(p: Promise<T>): Promise<T | undefined> =>
    Promise.race([p, new Promise<undefined>((res) => setTimeout(() => res(undefined), timeoutMs).unref())]).catch(() => undefined);
  const ttl = o.ttlSeconds ?? 0;
  return {
    async get(key) {
      if (!client.isReady) return undefined;
      const v = await bounded(client.get(PREFIX + key));
      return v ? (v as unknown as Buffer) : undefined;
    },
    async has(key) {
      if (!client.isReady) return false;
      return (await bounded(client.exists(PREFIX + key))) === 1;
    },
    async put(key, bytes) {
      if (!client.isReady) return;
      await bounded(ttl > 0 ? client.set(PREFIX + key, bytes, { EX: ttl }) : client.set(PREFIX + key, bytes));
    },
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}
