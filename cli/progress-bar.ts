import readline from 'node:readline';
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './io.ts';

/** A batch's progress on stderr (count, rate, time left) and its results on stdout as they come. */
export interface BatchProgress {
  /** One more item is done. */
  tick(): void;
  /** The command's output with the bar moved out of each line's way (stdout and stderr may be the same terminal). */
  io(io: CliIo): CliIo;
  stop(): void;
}

/**
 * A bar only at an interactive terminal and for more than one item: `--json` and piped output stay clean (results
 * only), as do single pictures.
 */
export function batchProgress(total: number, noun: string, options: { json: boolean }): BatchProgress {
  if (options.json || !process.stderr.isTTY || total < 2) return { tick: () => undefined, io: (io) => io, stop: () => undefined };
  const started = performance.now();
  const bar = new SingleBar({
    stream: process.stderr,
    format: `{bar} {value}/{total} ${noun} · {rate}/s · {eta_formatted} left`,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 20,
  }, Presets.shades_classic);
  let done = 0;
  bar.start(total, 0, { rate: '0.0' });
  const aside = (write: () => void): void => {
    readline.clearLine(process.stderr, 0);
    readline.cursorTo(process.stderr, 0);
    write();
    bar.render();
  };
  return {
    tick() {
      done += 1;
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: (done / Math.max(seconds, 0.001)).toFixed(1) });
    },
    io: (io) => ({ ...io, result: (line) => aside(() => io.result(line)), resultJson: (value) => aside(() => io.resultJson(value)), info: (line) => aside(() => io.info(line)), problem: (line) => aside(() => io.problem(line)) }),
    stop: () => bar.stop(),
  };
}
