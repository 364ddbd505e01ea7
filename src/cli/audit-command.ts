// `traider audit verify|export`: check the hash chain of the audit log, or write it out as JSON or CSV.
import { Command, Option } from 'commander';
import type { AuditExportFormat } from '../audit/index.ts';
import { UsageError } from './errors.ts';
import { withStore } from './runs-command.ts';
import { DB_HELP } from './paths.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };

/** The chain failed verification: exit code 1, the first broken entry on stderr. */
export class AuditBrokenError extends Error {
  override name = 'AuditBrokenError';
}

/** An ISO 8601 date or date-time (UTC unless it says otherwise), or UTC milliseconds. */
export function parseTimeFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^-?\d+$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text);
  const withZone = /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const time = iso ? Date.parse(withZone) : NaN;
  if (!Number.isFinite(time)) throw new UsageError(`--${flag}: expected an ISO date such as 2024-01-31 or 2024-01-31T12:00:00Z, or UTC milliseconds (got "${text}")`);
  return time;
}

function parseSeqFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${flag}: expected a seq, a positive integer (got "${text}")`);
  return value;
}

export function auditCommand(io: Io): Command {
  const audit = new Command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('recompute the hash chain and compare it with the checkpoint: prints the count and head hash, or the first broken entry (exit 1)')
    .option('--db <url|path>', DB_HELP)
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: { db?: string; json?: boolean }) => {
      const { verifyAudit } = await import('../app/store/index.ts');
      const result = await withStore(flags.db, (store) => verifyAudit(store));
      if (flags.json) io.out(`${JSON.stringify(result)}\n`);
      if (!result.ok) {
        // Reported on stderr by main as `error: ...` with exit code 1.
        throw new AuditBrokenError(`audit log broken at seq ${result.seq}: ${result.reason} (${result.detail}); ${result.checked} entries before it verified`);
      }
      if (!flags.json) io.out(`audit log intact: ${result.count} entries, head seq ${result.headSeq}, head hash ${result.headHash}\n`);
    });
  audit
    .command('export')
    .description('write entries in seq order: a JSON array (payload as stored) or CSV')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).makeOptionMandatory())
    .option('--from <time>', 'entries at or after this time: ISO date/date-time (UTC) or UTC ms')
    .option('--to <time>', 'entries before this time (exclusive)')
    .option('--from-seq <n>', 'entries from this seq (inclusive)')
    .option('--to-seq <n>', 'entries up to this seq (inclusive)')
    .option('--db <url|path>', DB_HELP)
    .action(async (flags: { format: AuditExportFormat; from?: string; to?: string; fromSeq?: string; toSeq?: string; db?: string }) => {
      const { exportAudit } = await import('../app/store/index.ts');
      const request = {
        format: flags.format,
        fromTime: parseTimeFlag('from', flags.from),
        toTime: parseTimeFlag('to', flags.to),
        fromSeq: parseSeqFlag('from-seq', flags.fromSeq),
        toSeq: parseSeqFlag('to-seq', flags.toSeq),
      };
      const count = await withStore(flags.db, (store) => exportAudit(store, request, io.out));
      io.err(`exported ${count} audit entr${count === 1 ? 'y' : 'ies'}\n`);
    });
  // Missing or bad options become CommanderErrors that main() turns into the usage exit code.
  for (const command of audit.commands) command.exitOverride();
  return audit;
}
