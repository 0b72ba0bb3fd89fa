// A progress bar per bench scenario on stderr, only when stderr is a terminal (quiet otherwise).
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update: (label: string, done: number, total: number) => void;
  stop: () => void;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  return {
    update(label, done, total) {
      if (label !== current) {
        bar?.stop();
        current = label;
        bar = new cliProgress.SingleBar({ stream, format: `${label.padEnd(12)} [{bar}] {value}/{total} runs | {duration_formatted}`, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
      current = '';
    },
  };
}
