// `traider deploy list|create|show|edit|pause|resume|stop` and `traider status`: thin clients of the server's API.
// Each change sends the confirmation field the API asks for (the deployment's name, as typed here).
import { Command, Option } from 'commander';
import { addApiFlags, type ApiFlags, callApi } from './api-client.ts';
import { listOption } from './list-option.ts';
import { parseJson } from './session-command.ts';
import { UsageError } from './errors.ts';
import { textTable } from './text-table.ts';

type Io = { out: (s: string) => void; err: (s: string) => void };
type Json = Record<string, any>;

const utc = (time: number | null | undefined): string => (time === null || time === undefined ? '-' : `${new Date(time).toISOString().slice(0, 19)}Z`);

function parseCapital(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) throw new UsageError(`--capital: must be > 0 (got ${text})`);
  return value;
}

export function formatDeployment(d: Json): string {
  return [
    `${d.name}: ${d.mode}, ${d.status}, ${d.strategy} on ${d.symbols.join(', ')} (${d.exchange}${d.url ? ` at ${d.url}` : ''}, ${d.timeframe} bars)`,
    `  parameters ${JSON.stringify(d.parameters)}; risk overrides ${JSON.stringify(d.limits)}; capital ${d.capital}`,
    `  run ${d.runId ?? '-'}; created ${utc(d.createdAt)} by ${d.createdBy}; updated ${utc(d.updatedAt)} (version ${d.version})`,
  ].join('\n') + '\n';
}

function formatStatus(s: Json): string {
  const lines = [`${s.name}: ${s.mode}, ${s.status}; breaker ${s.breaker.level}${s.breaker.since ? ` since ${utc(s.breaker.since)}` : ''}`];
  if (s.session !== null) lines.push(`  session ${s.session.running ? `running since ${utc(s.session.since)}` : 'not running'}${s.session.restarts ? `, ${s.session.restarts} restarts` : ''}${s.session.lastError ? `; last error: ${s.session.lastError}` : ''}`);
  if (s.market !== null) {
    const m = s.market;
    for (const symbol of Object.keys(m.lastPrices)) lines.push(`  ${symbol} last ${m.lastPrices[symbol] ?? '-'}, position ${m.positions[symbol]}`);
    lines.push(`  equity ${m.equity} ${m.currency}; ${m.bars} bars; data age ${m.dataAgeMs ?? '-'} ms`);
  }
  if (s.dataQuality !== null) lines.push(`  data quality ${Object.entries(s.dataQuality).map(([source, level]) => `${source} ${level}`).join(', ')}`);
  return lines.join('\n') + '\n';
}

export function deployCommand(io: Io): Command {
  const deploy = new Command('deploy').description('deployments on a traider server: strategies running as a service (needs `traider serve`)');
  const print = (json: boolean | undefined, value: unknown, text: (value: any) => string): void => io.out(json ? `${JSON.stringify(value)}\n` : text(value));

  addApiFlags(deploy.command('list').description('every deployment').option('--json', 'print one JSON array')).action(async (flags: ApiFlags & { json?: boolean }) => {
    const list = (await callApi(flags, 'GET', '/deployments')) as Json[];
    print(flags.json, list, (l: Json[]) => (l.length === 0 ? 'no deployments\n' : `${textTable(['NAME', 'MODE', 'STATUS', 'STRATEGY', 'SYMBOLS', 'EXCHANGE', 'RUN'], l.map((d) => [d.name, d.mode, d.status, d.strategy, d.symbols.join(','), d.exchange, d.runId ?? '-']))}\n`));
  });

  addApiFlags(
    deploy
      .command('create')
      .description('create a deployment; it starts in PAPER (an admin may create one in LIVE_MINIMAL with --confirm-live)')
      .requiredOption('--name <name>', 'a unique name: lowercase letters, digits and "-"')
      .requiredOption('--strategy <name|path>', 'a built-in strategy or the path of a strategy file on the server')
      .addOption(listOption('--symbols <list>', 'symbols such as BTC/USDT').makeOptionMandatory())
      .requiredOption('--exchange <id>', 'ccxt exchange id, e.g. binance')
      .option('--url <url>', "the venue's base URL (the local exchange); default: the exchange's own")
      .option('--params <json>', 'strategy parameters as JSON')
      .option('--capital <n>', 'paper: starting cash in the quote currency (default 10000)')
      .option('--credentials <name>', 'environment variable prefix of the keys on the server: NAME_API_KEY, NAME_API_SECRET')
      .option('--timeframe <tf>', 'bar interval: 1m, 5m, 15m or 1h (default 1m)')
      .option('--limits <json>', 'risk configuration overrides as JSON (the risk section of the configuration)')
      .addOption(new Option('--mode <mode>', 'PAPER, or LIVE_MINIMAL (admin, with --confirm-live)').choices(['PAPER', 'LIVE_MINIMAL']))
      .option('--confirm-live', 'confirm that a LIVE_MINIMAL deployment trades real money')
      .option('--json', 'print the deployment as JSON'),
  ).action(async (flags: ApiFlags & Record<string, any>) => {
    const body = {
      name: flags.name,
      strategy: flags.strategy,
      symbols: flags.symbols,
      exchange: flags.exchange,
      url: flags.url,
      params: parseJson('params', flags.params),
      capital: parseCapital(flags.capital),
      credentials: flags.credentials,
      timeframe: flags.timeframe,
      limits: parseJson('limits', flags.limits),
      mode: flags.mode,
      confirmLive: flags.confirmLive,
      confirm: flags.name,
    };
    print(flags.json, await callApi(flags, 'POST', '/deployments', body), formatDeployment);
  });

  addApiFlags(deploy.command('show').description('one deployment').argument('<name>').option('--json', 'print JSON')).action(async (name: string, flags: ApiFlags & { json?: boolean }) => {
    print(flags.json, await callApi(flags, 'GET', `/deployments/${encodeURIComponent(name)}`), formatDeployment);
  });

  addApiFlags(
    deploy
      .command('edit')
      .description("change a deployment's parameters, risk overrides or capital (its session restarts with them; audited with the values before and after)")
      .argument('<name>')
      .option('--params <json>', 'strategy parameters as JSON (replaces them)')
      .option('--limits <json>', 'risk configuration overrides as JSON (replaces them)')
      .option('--capital <n>', 'paper: starting cash')
      .option('--json', 'print JSON'),
  ).action(async (name: string, flags: ApiFlags & { params?: string; limits?: string; capital?: string; json?: boolean }) => {
    const body = { params: parseJson('params', flags.params), limits: parseJson('limits', flags.limits), capital: parseCapital(flags.capital), confirm: name };
    if (body.params === undefined && body.limits === undefined && body.capital === undefined) throw new UsageError('nothing to change: give --params, --limits or --capital');
    print(flags.json, await callApi(flags, 'PATCH', `/deployments/${encodeURIComponent(name)}`, body), formatDeployment);
  });

  const transitions = {
    pause: 'stop trading (its session cancels open orders, keeps positions) until resumed',
    resume: 'start a paused deployment again (its session resumes from the journal)',
    stop: 'stop a deployment for good (its session cancels open orders); it stays readable',
    reset: 'end an EMERGENCY_STOP (a named operator decides): the deployment returns to PAPER with a fresh paper run',
  } as const;
  for (const [action, description] of Object.entries(transitions)) {
    addApiFlags(deploy.command(action).description(description).argument('<name>').option('--json', 'print JSON')).action(async (name: string, flags: ApiFlags & { json?: boolean }) => {
      print(flags.json, await callApi(flags, 'POST', `/deployments/${encodeURIComponent(name)}/${action}`, { confirm: name }), formatDeployment);
    });
  }
  return deploy;
}

export function statusCommand(io: Io): Command {
  return addApiFlags(
    new Command('status')
      .description('the state of one deployment, or of every one: mode, session, breaker, prices, positions, equity, data quality')
      .argument('[name]', 'a deployment (default: all)')
      .option('--json', 'print JSON (an array without a name)'),
  ).action(async (name: string | undefined, flags: ApiFlags & { json?: boolean }) => {
    const names = name !== undefined ? [name] : ((await callApi(flags, 'GET', '/deployments')) as Json[]).map((d) => d.name as string);
    const states = await Promise.all(names.map((n) => callApi(flags, 'GET', `/deployments/${encodeURIComponent(n)}/status`)));
    if (flags.json) return io.out(`${JSON.stringify(name !== undefined ? states[0] : states)}\n`);
    io.out(states.length === 0 ? 'no deployments\n' : states.map((s) => formatStatus(s as Json)).join(''));
  });
}
