// The progress bar of long runs (backtest, replay): bars done, bars per second and the time left, on stderr, only
// when stderr is a terminal (never in a pipe or a log file, never on stdout). The use-case reports progress
// through a callback every few thousand bars; the bar repaints from inside that callback (cli-progress redraws
// synchronously when a redraw is due, and Node writes to a terminal synchronously on POSIX systems), so a
// backtest that never yields to the event loop still shows a moving bar. (On Windows terminal writes are
// asynchronous: the bar shows its steps when the run ends.)
import type { SingleBar } from 'cli-progress';
import { LiveClock } from '../common/index.ts';

export interface ProgressDisplay {
  /** `done` of `total` bars; the first call starts the bar. */
  update(done: number, total: number): void;
  /** A line of text printed above the bar (the bar is redrawn under it); `write` for another stream than stderr. */
  log(line: string, write?: (text: string) => void): void;
  /** Draws the final state and ends the line. */
  stop(): void;
}

/** 75 -> "1m 15s", 8 -> "8s", 4000 -> "1h 06m". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Bars per second and time left, from the bars done since `startedAt` (wall ms). */
export function progressRates(done: number, total: number, startedAt: number, now: number): { rate: string; eta: string } {
  const seconds = (now - startedAt) / 1000;
  if (done <= 0 || seconds <= 0) return { rate: '-', eta: '?' };
  const perSecond = done / seconds;
  return { rate: Math.round(perSecond).toLocaleString('en-US'), eta: formatSeconds((total - done) / perSecond) };
}

/**
 * A progress bar for `label` on stderr, or undefined when it must not show: --no-progress, or stderr is not a
 * terminal (a pipe, a file, a CI log).
 */
export async function progressDisplay(label: string, wanted: boolean, stream: NodeJS.WriteStream = process.stderr): Promise<ProgressDisplay | undefined> {
  if (!wanted || stream.isTTY !== true) return undefined;
  const { SingleBar: Bar, Presets } = await import('cli-progress');
  const bar: SingleBar = new Bar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% {value}/{total} bars, {rate} bars/s, ETA {eta_left}`,
      hideCursor: true,
      // Lines printed above the bar erase it: redraw even when the numbers did not change.
      forceRedraw: true,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? Number(value).toLocaleString('en-US') : String(value)),
    },
    Presets.shades_classic,
  );
  let started = false;
  let startedAt = 0;
  return {
    update(done, total) {
      const now = LiveClock.wallNow();
      if (!started) {
        started = true;
        startedAt = now;
        bar.start(total, done, { rate: '-', eta_left: '?' });
        return;
      }
      const { rate, eta } = progressRates(done, total, startedAt, now);
      bar.update(done, { rate, eta_left: eta });
    },
    log(line, write = (text) => void stream.write(text)) {
      if (!started) {
        write(`${line}\n`);
        return;
      }
      // Clear the bar's line, print the text, draw the bar again below it.
      stream.write('\r\x1b[2K');
      write(`${line}\n`);
      bar.render();
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
