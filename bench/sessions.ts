// Bench: resuming a journaled replay after a crash. A run trades a day of 1m bars (1,440) with every
// bar committed write-ahead, then stops mid-run as a crash would (the run stays RUNNING); the resume
// reads the journal, runs the day again through kernel, venue, risk engine and strategy, checks every
// record against the journal, and reaches the first new bar. Measured: wall time from the resume call
// to that first new bar, against the time the day took live (the reference; ratio = resume / live).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/app/config/index.ts';
import { runReplaySession } from '../src/app/session/index.ts';

const DAY_BARS = 1440;

/** Thrown from the bar hook: the process "dies" there. */
class Crash extends Error {}

async function untilCrash(run: Promise<unknown>): Promise<void> {
  try {
    await run;
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
}

interface Round {
  resumeMs: number;
  replayedBars: number;
  journaledFills: number;
  dayLiveMs: number;
}

/** Median of three rounds (the first also loads the modules and warms the JIT). */
export async function benchSessions(rounds = 3): Promise<Round & { ratio: number }> {
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) results.push(await oneRound());
  const median = (pick: (r: Round) => number): number => results.map(pick).sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
  const resumeMs = median((r) => r.resumeMs);
  const dayLiveMs = median((r) => r.dayLiveMs);
  return { resumeMs, replayedBars: results[0]!.replayedBars, journaledFills: results[0]!.journaledFills, dayLiveMs, ratio: round(resumeMs / dayLiveMs, 4) };
}

async function oneRound(): Promise<Round> {
  const dir = mkdtempSync(join(tmpdir(), 'traider-bench-resume-'));
  const data = fileURLToPath(new URL('../data/BTCUSDT-1m-2021-02-19_2021-02-25.csv', import.meta.url));
  const request = {
    dataFiles: [data],
    strategy: 'sma-cross',
    params: { fast: 5, slow: 20 },
    config: loadConfig({ env: {} }),
    db: join(dir, 'journal.db'),
    runId: 'bench',
  };
  try {
    let liveBars = 0;
    let journaledFills = 0;
    const liveStart = performance.now();
    await untilCrash(
      runReplaySession({
        ...request,
        onAck: () => void journaledFills++,
        onBar: () => {
          if (++liveBars === DAY_BARS) throw new Crash();
        },
      }),
    );
    const dayLiveMs = performance.now() - liveStart;

    let replayedBars = 0;
    let resumeMs = NaN;
    const resumeStart = performance.now();
    await untilCrash(
      runReplaySession({
        ...request,
        resume: true,
        onBar: (_bar, replayed) => {
          if (replayed) return void replayedBars++;
          resumeMs = performance.now() - resumeStart;
          throw new Crash();
        },
      }),
    );
    if (replayedBars < DAY_BARS - 1) throw new Error(`the resume ran ${replayedBars} journaled bars again, expected about ${DAY_BARS}`);
    return { resumeMs: round(resumeMs), replayedBars, journaledFills, dayLiveMs: round(dayLiveMs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
