// The network side of downloads: whether tts may use the network at all (--offline,
// TTS_OFFLINE=1), and the HTTP client it uses when it may. The client is undici's own fetch with
// its EnvHttpProxyAgent, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms) are
// honoured the way curl and most tools read them, with a connect timeout so a host that drops
// packets fails in seconds. undici is loaded only when a download actually starts.
import type { Dispatcher } from 'undici';

/** True when --offline was given or TTS_OFFLINE is set to anything but "", "0", "false" or "no". */
export function isOffline(flag?: boolean): boolean {
  if (flag) return true;
  const v = (process.env.TTS_OFFLINE ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}

export interface HttpClient {
  fetch: (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;
  close: () => Promise<void>;
}

/** A client whose connections give up after `connectTimeoutMs`; proxies come from the environment. */
export async function httpClient(connectTimeoutMs: number): Promise<HttpClient> {
  const mod = await import('undici');
  const undici = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const dispatcher: Dispatcher = new undici.EnvHttpProxyAgent({ connect: { timeout: connectTimeoutMs } });
  return {
    fetch: async (url, init) =>
      (await undici.fetch(url, { ...init, redirect: 'follow', dispatcher })) as unknown as Response,
    close: () => dispatcher.destroy().catch(() => undefined),
  };
}
