// `traider tokens create|list|revoke`: API tokens, on the store directly (the first admin token has no server to
// ask). The token is printed once, alone on the last line of stdout; only its hash is stored.
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import type { Journal } from '../audit/index.ts';
import type { Clock, Store } from '../common/index.ts';
import { DB_HELP, requireWritableDb } from './paths.ts';
import { withStore } from './runs-command.ts';
import { textTable } from './text-table.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };

/** Who runs the command, for the audit log: cli:<login name>. */
export function cliActor(): string {
  let name = process.env.USER ?? 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  return `cli:${name}`;
}

async function withJournal<T>(db: string | undefined, work: (store: Store, journal: Journal, clock: Clock) => Promise<T>): Promise<T> {
  requireWritableDb(db !== undefined ? '--db' : 'TRAIDER_DB', db ?? (process.env.TRAIDER_DB || undefined));
  const [{ openJournal, resolveStoreTarget }, { LiveClock }] = await Promise.all([import('../app/store/index.ts'), import('../common/index.ts')]);
  const clock = new LiveClock();
  const opened = await openJournal(resolveStoreTarget(db, process.env), { clock });
  try {
    return await work(opened.store, opened.journal, clock);
  } finally {
    await opened.close();
  }
}

const utc = (time: number | null): string => (time === null ? '-' : new Date(time).toISOString().slice(0, 19) + 'Z');

export function tokensCommand(io: Io): Command {
  const tokens = new Command('tokens').description('API tokens for `traider serve`: create, list, revoke');
  tokens
    .command('create')
    .description('issue a token; it is printed once, alone on the last line of stdout')
    .requiredOption('--name <name>', 'a unique name (who or what uses it)')
    .addOption(new Option('--role <role>', 'viewer reads; operator also changes deployments; admin also manages tokens').choices(['viewer', 'operator', 'admin']).makeOptionMandatory())
    .option('--db <url|path>', DB_HELP)
    .action(async (flags: { name: string; role: string; db?: string }) => {
      const { createToken } = await import('../app/tokens/index.ts');
      const issued = await withJournal(flags.db, (store, journal, clock) => createToken(store, journal, clock, { name: flags.name, role: flags.role, actor: cliActor() }));
      io.err(`token ${issued.view.name} (id ${issued.view.id}, role ${issued.view.role}) created; it is shown once, keep it secret:\n`);
      io.out(`${issued.token}\n`);
    });
  tokens
    .command('list')
    .description('every token with its role and state (never the secret)')
    .option('--db <url|path>', DB_HELP)
    .option('--json', 'print one JSON array')
    .action(async (flags: { db?: string; json?: boolean }) => {
      const { listTokens } = await import('../app/tokens/index.ts');
      const list = await withStore(flags.db, (store) => listTokens(store));
      if (flags.json) return io.out(`${JSON.stringify(list)}\n`);
      if (list.length === 0) return io.out('no tokens\n');
      const rows = list.map((t) => [t.id, t.name, t.role, utc(t.createdAt), t.createdBy, t.revokedAt === null ? 'active' : `revoked ${utc(t.revokedAt)} by ${t.revokedBy}`]);
      io.out(`${textTable(['ID', 'NAME', 'ROLE', 'CREATED', 'BY', 'STATE'], rows)}\n`);
    });
  tokens
    .command('revoke')
    .description('revoke a token by id or name: requests with it get 401 from the next one on')
    .argument('<token>', 'the id or name of the token')
    .option('--db <url|path>', DB_HELP)
    .action(async (token: string, flags: { db?: string }) => {
      const { revokeToken } = await import('../app/tokens/index.ts');
      const revoked = await withJournal(flags.db, (store, journal, clock) => revokeToken(store, journal, clock, { token, actor: cliActor() }));
      io.out(`token ${revoked.name} (id ${revoked.id}) revoked at ${utc(revoked.revokedAt)}\n`);
    });
  return tokens;
}
