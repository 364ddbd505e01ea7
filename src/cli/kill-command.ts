// `traider kill`: the big red button. Over the API (operator role): EMERGENCY_STOP on one or more deployments, or on
// every one (--all): trading halts at once, every open order is canceled and every position closed at market
// (--keep-positions keeps them). With --direct it needs no server: it works on the store and the venues itself, for
// a server that hangs or is gone.
import { Command } from 'commander';
import { addApiFlags, type ApiFlags, ApiRequestError, callApi } from './api-client.ts';
import { UsageError } from './errors.ts';
import { listOption } from './list-option.ts';
import { DB_HELP, requireWritableDb } from './paths.ts';
import { cliActor } from './tokens-command.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };

interface KillFlags extends ApiFlags {
  deployment?: string[];
  all?: boolean;
  keepPositions?: boolean;
  reason?: string;
  direct?: boolean;
  db?: string;
  config?: string;
  json?: boolean;
}

async function killDirect(flags: KillFlags, io: Io): Promise<void> {
  const db = flags.db ?? (process.env.TRAIDER_DB || undefined);
  requireWritableDb(flags.db !== undefined ? '--db' : 'TRAIDER_DB', db);
  const [{ directKill }, { resolveStoreTarget }, { loadConfig }] = await Promise.all([import('../app/emergency/index.ts'), import('../app/store/index.ts'), import('../app/config/index.ts')]);
  const takerBps = loadConfig({ file: flags.config, env: process.env }).fees.crypto.takerBps;
  const report = await directKill({
    db: resolveStoreTarget(db, process.env),
    env: process.env,
    actor: cliActor(),
    names: flags.all ? undefined : flags.deployment,
    flatten: !flags.keepPositions,
    reason: flags.reason,
    takerBps,
    log: (line) => io.err(`traider kill --direct: ${line}\n`),
  });
  io.out(flags.json ? `${JSON.stringify(report)}\n` : `EMERGENCY_STOP: ${report.stopped.length === 0 ? 'no deployments' : report.stopped.join(', ')}${report.failures > 0 ? `; ${report.failures} step(s) FAILED (see above)` : ''}\n`);
  if (report.failures > 0) process.exitCode = 1;
}

async function killOverApi(flags: KillFlags, io: Io): Promise<void> {
  const options = { flatten: !flags.keepPositions, ...(flags.reason === undefined ? {} : { reason: flags.reason }) };
  const stopped: Array<{ name: string; mode: string }> = [];
  try {
    if (flags.all) stopped.push(...((await callApi(flags, 'POST', '/kill', { confirm: 'ALL', ...options })) as typeof stopped));
    else for (const name of flags.deployment!) stopped.push((await callApi(flags, 'POST', `/deployments/${encodeURIComponent(name)}/emergency-stop`, { confirm: name, ...options })) as (typeof stopped)[number]);
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 0) throw new ApiRequestError(0, `${error.message}\nIf the server hangs or is gone: traider kill --all --direct --db URL (works on the store and the venues directly)`);
    throw error;
  }
  io.out(flags.json ? `${JSON.stringify(stopped)}\n` : `EMERGENCY_STOP: ${stopped.length === 0 ? 'no deployments' : stopped.map((d) => d.name).join(', ')} (${options.flatten ? 'orders canceled, positions closing at market' : 'orders canceled, positions kept'}); \`traider deploy reset NAME\` ends it\n`);
}

export function killCommand(io: Io): Command {
  return addApiFlags(
    new Command('kill')
      .description('EMERGENCY_STOP: halt trading at once, cancel every open order, close every position at market; stays until `traider deploy reset NAME`')
      .addOption(listOption('--deployment <names>', 'the deployments to stop (comma list)'))
      .option('--all', 'every deployment (kill-all)')
      .option('--keep-positions', 'cancel orders but keep the positions')
      .option('--reason <text>', 'why, for the audit log')
      .option('--direct', 'without the server: work on the store (--db) and the venues directly (credentials from the environment); with --all or --deployment')
      .option('--db <url>', `with --direct: ${DB_HELP}`)
      .option('--config <file>', 'with --direct: configuration file (paper closes pay its crypto taker fee)')
      .option('--json', 'print JSON'),
  ).action(async (flags: KillFlags) => {
    if (flags.all && flags.deployment !== undefined) throw new UsageError('--all and --deployment: give one of them');
    if (!flags.all && (flags.deployment === undefined || flags.deployment.length === 0)) throw new UsageError('--deployment NAME or --all: say what to stop');
    if (!flags.direct && (flags.db !== undefined || flags.config !== undefined)) throw new UsageError('--db and --config go with --direct (without it the server does the work)');
    if (flags.direct) await killDirect(flags, io);
    else await killOverApi(flags, io);
  });
}
