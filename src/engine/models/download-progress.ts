// Download progress on stderr: a bar on a terminal; elsewhere (CI logs, pipes, systemd) one plain
// line every few seconds, so a long download is never silent and never floods a log.
export interface DownloadProgress {
  update(bytes: number): void;
  stop(): void;
}

const mb = (n: number): string => (n / 1e6).toFixed(1);

export async function downloadProgress(
  label: string,
  total: number,
  start: number,
  stream: NodeJS.WriteStream = process.stderr,
  everyMs = Number(process.env.TTS_PROGRESS_INTERVAL_MS) || 5000,
): Promise<DownloadProgress> {
  const t0 = Date.now();
  const speed = (n: number): string => ((n - start) / 1e3 / Math.max(1, Date.now() - t0)).toFixed(1);
  if (!stream.isTTY) {
    let last = t0;
    return {
      update(n) {
        const now = Date.now();
        if (now - last < everyMs) return;
        last = now;
        const of = total > 0 ? `/${mb(total)} MB (${Math.floor((n / total) * 100)} %)` : ' MB';
        stream.write(`tts: downloading ${label}: ${mb(n)}${of}, ${speed(n)} MB/s\n`);
      },
      stop: () => undefined,
    };
  }
  if (total <= 0) return { update: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value_mb}/{total_mb} MB | {speed} MB/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, start, { value_mb: mb(start), total_mb: mb(total), speed: '0.0' });
  return {
    update: (n) => bar.update(n, { value_mb: mb(n), speed: speed(n) }),
    stop: () => bar.stop(),
  };
}
