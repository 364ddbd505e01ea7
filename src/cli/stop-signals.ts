// Ctrl-C / SIGINT and SIGTERM for a long-running command: the first asks it to stop cleanly (aborts the
// controller, prints what stopping does), a second exits at once with code 130.
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

/**
 * Aborts `controller` when the parent process goes away: started through a wrapper (npx) that was killed, a server
 * must not linger as an orphan holding its port and its database. Returns the function that stops watching.
 */
export function stopWhenOrphaned(controller: AbortController): () => void {
  const parent = process.ppid;
  const check = setInterval(() => {
    if (process.ppid !== parent) controller.abort();
  }, 1000);
  check.unref();
  return () => clearInterval(check);
}
