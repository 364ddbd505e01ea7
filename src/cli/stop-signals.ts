// Ctrl-C / SIGINT and SIGTERM for a long-running command: the first asks it to stop cleanly (aborts the
// controller, prints what stopping does), a second exits at once with code 130.
import { readFileSync } from 'node:fs';

type Io = { err: (s: string) => void };

/** The controller the first signal aborts, and `release` to stop listening (when the command is done). */
export function stopOnSignals(io: Io, stopping: string, forcing: string): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  const force = (signal: NodeJS.Signals): void => {
    io.err(`${signal} again: ${forcing} (exit 130)\n`);
    process.exit(130);
  };
  const stop = (signal: NodeJS.Signals): void => {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    io.err(`${signal}: ${stopping} (signal again to force)\n`);
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const release = (): void => {
    for (const listener of [stop, force]) {
      process.removeListener('SIGINT', listener);
      process.removeListener('SIGTERM', listener);
    }
  };
  return { controller, release };
}

/** The parent of process `pid` (Linux /proc), undefined where that cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Whether process `pid` is a shell (npx runs a package's bin through `sh -c`). */
function isShell(pid: number): boolean {
  try {
    return /^(sh|dash|bash)$/.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  } catch {
    return false;
  }
}

/**
 * Aborts `controller` when the parent process goes away: started through a wrapper (npx) that was killed, a server
 * must not linger as an orphan holding its port and its database. npx starts the bin through `sh -c`, which stays
 * alive when npx is killed: then the shell's own parent is watched too. Returns the function that stops watching.
 */
export function stopWhenOrphaned(controller: AbortController): () => void {
  const parent = process.ppid;
  const grandparent = isShell(parent) ? parentOf(parent) : undefined;
  const check = setInterval(() => {
    if (process.ppid !== parent || (grandparent !== undefined && parentOf(parent) !== grandparent)) controller.abort();
  }, 1000);
  check.unref();
  return () => clearInterval(check);
}

/**
 * A venue connection that fails inside the CCXT library can end as a promise nobody awaits (a websocket future
 * rejected after its exchange went away). A long-running command logs it and goes on (its sessions reconnect, fail
 * and restart by their own rules); anything else unhandled is a defect: printed, exit 1.
 */
export function surviveVenueErrors(io: Io): () => void {
  const venueError = (reason: unknown): boolean => reason instanceof Error && /^(NetworkError|RequestTimeout|ExchangeNotAvailable|ExchangeClosedByUser)$/.test(reason.constructor.name);
  const onRejection = (reason: unknown): void => {
    if (venueError(reason)) {
      io.err(`venue connection error (unawaited in the exchange library; the session handles its own): ${(reason as Error).message}\n`);
      return;
    }
    io.err(`internal error (unhandled rejection): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    process.exit(1);
  };
  process.on('unhandledRejection', onRejection);
  return () => process.removeListener('unhandledRejection', onRejection);
}
