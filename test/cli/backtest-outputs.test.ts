// What a backtest tells a person, through the real `traider backtest`: the strategy's ctx.log lines (stderr and
// log.txt, with the bar time and the strategy's name), every refused order in denials.csv with the numbers that
// failed and the top reasons in the summary, CSVs without float noise and with UTC times, monthly returns in the
// report equal to equity.csv's month ends, dense breaker events grouped, and short runs marked as extrapolated.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRunDetail } from '../../src/cli/runs-command.ts';
import type { RunDetail } from '../../src/app/store/index.ts';
import { ROOT, runCliAsync } from './run-cli.ts';

const WEEK = 'data/BTCUSDT-1m-2021-02-19_2021-02-25.csv';
const YEARS = 'data/BTCUSDT-1h-2017-08-17_2024-04-21.csv.gz';
const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'traider-outputs-'));
afterAll(async () => {
  await Promise.allSettled([talkJson, talkText, sma]);
  rmSync(dir, { recursive: true, force: true });
});

// Logs every 1000th bar, trades 0.01 BTC in and out every 30 bars, and sends orders the risk checks refuse: a market
// buy of 1 BTC every 100th bar (over the 20,000 USDT limit of the config below), 0.00001 BTC every 500th (under the
// 5 USDT minimum), nothing every 2000th (no quantity), and a limit buy at half the price every 2500th (outside the
// price band).
const TALK = `import { OrderSide, OrderType, Strategy, type Bar } from 'traider';
export default class Talk extends Strategy {
  readonly name = 'talk';
  private n = 0;
  override onBar(bar: Bar): void {
    this.n++;
    if (this.n % 1000 === 1) this.ctx.log('bar ' + this.n + ' close ' + bar.close);
    const buy = (quantity: number, price?: number) => this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Buy, type: price === undefined ? OrderType.Market : OrderType.Limit, quantity, price });
    const held = this.ctx.position(bar.symbol).quantity;
    if (this.n % 30 === 0) {
      if (held > 0) this.ctx.submitOrder({ symbol: bar.symbol, side: OrderSide.Sell, type: OrderType.Market, quantity: held });
      else buy(0.01);
    }
    if (this.n % 100 === 0) buy(1);
    if (this.n % 500 === 0) buy(0.00001);
    if (this.n % 2000 === 0) buy(0);
    if (this.n % 2500 === 0) buy(0.1, Math.round(bar.close * 50) / 100);
  }
}
`;
const strategy = join(dir, 'talk.ts');
writeFileSync(strategy, TALK);
const config = join(dir, 'limits.json');
writeFileSync(config, JSON.stringify({ risk: { preTrade: { maxOrderNotional: 20_000 } } }));

const talkArgs = ['backtest', '--data', WEEK, '--strategy', strategy, '--config', config];
const talkDb = join(dir, 'talk.db');
const talkJson = runCliAsync([...talkArgs, '--json', '--out', join(dir, 'talk'), '--db', talkDb]);
const talkText = runCliAsync(talkArgs);
const sma = runCliAsync(['backtest', '--data', YEARS, '--strategy', 'sma-cross', '--json', '--out', join(dir, 'sma')]);
const sized = runCliAsync(['backtest', '--data', WEEK, '--strategy', 'buy-and-hold', '--risk-mode', 'PAPER', '--json', '--out', join(dir, 'sized')]);

/** The bundled week of minute bars: time (open, ms) and close of each row. */
const weekBars = readFileSync(join(ROOT, WEEK), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [time, , , , close] = line.split(',');
    return { time: Number(time), close: Number(close) };
  });

function readCsv(path: string): { header: string[]; rows: Array<Record<string, string>> } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  // No field of these files holds a comma except denial details, which are the last but two: split around them.
  const rows = lines.slice(1).map((line) => {
    let cells = line.split(',');
    if (cells.length > header.length) {
      const tail = header.length - header.indexOf('detail') - 1;
      cells = [...cells.slice(0, header.indexOf('detail')), cells.slice(header.indexOf('detail'), cells.length - tail).join(','), ...cells.slice(cells.length - tail)];
    }
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  });
  return { header, rows };
}

describe('ctx.log in a backtest', () => {
  it('reaches stderr and log.txt as "<bar close time> [<strategy name>] <message>", and stdout stays one JSON object', async () => {
    const run = await talkJson;
    expect(run.code, run.stderr).toBe(0);
    // Logged on bars 1, 1001, ...: a bar reaches the strategy at its close, one minute after its open.
    const expected = weekBars
      .map((bar, i) => ({ ...bar, n: i + 1 }))
      .filter(({ n }) => n % 1000 === 1)
      .map(({ time, close, n }) => `${new Date(time + MINUTE).toISOString()} [talk] bar ${n} close ${close}`);
    expect(expected).toHaveLength(11);
    expect(run.stderr.split('\n').filter((line) => line.includes('[talk]'))).toEqual(expected);
    expect(readFileSync(join(dir, 'talk', 'log.txt'), 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout).not.toContain('[talk]');
  });

  it('goes to stderr without --out too, never to stdout', async () => {
    const run = await talkText;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${new Date(weekBars[0]!.time + MINUTE).toISOString()} [talk] bar 1 close ${weekBars[0]!.close}\n`);
    expect(run.stdout).not.toContain('[talk]');
  });

  it("names a custom strategy by its name in the summary, not by its file's path", async () => {
    const run = await talkJson;
    expect((JSON.parse(run.stdout) as { strategy: string }).strategy).toBe('talk');
  });
});

describe('orders the risk engine sizes down', () => {
  it('say so in log.txt: the size asked, the size sent, and the limit with its numbers', async () => {
    const run = await sized;
    expect(run.code, run.stderr).toBe(0);
    // buy-and-hold asks for all of 10,000 USDT at the first close; PAPER allows 20% of equity in positions.
    const first = weekBars[0]!;
    const closeTime = first.time + 60_000;
    const asked = Math.floor((10_000 / first.close) * 1e5) / 1e5;
    const sent = Math.floor(((0.2 * 10_000) / first.close) * 1e5) / 1e5;
    const line = readFileSync(join(dir, 'sized', 'log.txt'), 'utf8').split('\n').find((l) => l.includes('[risk]'));
    expect(line).toBe(`${new Date(closeTime).toISOString()} [risk] BUY ${asked} BTC/USDT sized to ${sent} by the PAPER total exposure limit (20% of equity 10000.00; 0.00 committed)`);
    const fills = readCsv(join(dir, 'sized', 'fills.csv')).rows;
    expect(Number(fills[0]!.quantity)).toBe(sent);
  });
});

describe('denials', () => {
  it('lists every refused order in denials.csv with the numbers that failed, as many as the summary counts', async () => {
    const run = await talkJson;
    const summary = JSON.parse(run.stdout) as { denials: Record<string, number>; denialExamples: Record<string, { orderId: string; time: number }> };
    const bars = weekBars.length;
    const expected = { MAX_NOTIONAL: Math.floor(bars / 100), MIN_NOTIONAL: Math.floor(bars / 500), INVALID_QUANTITY: Math.floor(bars / 2000), PRICE_BAND: Math.floor(bars / 2500) };
    expect(summary.denials).toEqual(expected);
    const { header, rows } = readCsv(join(dir, 'talk', 'denials.csv'));
    expect(header).toEqual(['time', 'timeUtc', 'orderId', 'symbol', 'side', 'quantity', 'price', 'reason', 'detail', 'value', 'limit']);
    const counted: Record<string, number> = {};
    for (const row of rows) counted[row.reason!] = (counted[row.reason!] ?? 0) + 1;
    expect(counted).toEqual(expected);
    // A market buy of 1 BTC is worth the close of the bar it was decided on: that is the value, 20,000 the limit.
    const closeAt = new Map(weekBars.map((b) => [b.time + MINUTE, b.close]));
    const notional = rows.filter((r) => r.reason === 'MAX_NOTIONAL');
    for (const r of notional) {
      expect(r.quantity).toBe('1');
      expect(r.price).toBe('');
      expect(Number(r.value)).toBe(closeAt.get(Number(r.time)));
      expect(r.limit).toBe('20000');
      expect(r.detail).toMatch(/^order value [\d.]+ above the limit 20000$/);
    }
    expect(Number(notional[0]!.time)).toBe(weekBars[99]!.time + MINUTE);
    const band = rows.filter((r) => r.reason === 'PRICE_BAND');
    for (const r of band) expect(Number(r.price)).toBe(Math.round(closeAt.get(Number(r.time))! * 50) / 100);
    const invalid = rows.filter((r) => r.reason === 'INVALID_QUANTITY');
    for (const r of invalid) expect([r.quantity, r.value, r.limit]).toEqual(['0', '', '']);
    // The JSON names the first of each reason.
    expect(summary.denialExamples.MAX_NOTIONAL!.orderId).toBe(notional[0]!.orderId);
    expect(Object.keys(summary.denialExamples)).toEqual(['MAX_NOTIONAL', 'MIN_NOTIONAL', 'INVALID_QUANTITY', 'PRICE_BAND']);
  });

  it('journals every denial with the same numbers as denials.csv (--db)', async () => {
    const run = await talkJson;
    expect(run.code, run.stderr).toBe(0);
    const id = /^run (\S+) journaled to /m.exec(run.stderr)?.[1];
    expect(id, run.stderr).toBeDefined();
    const shown = await runCliAsync(['runs', 'show', id!, '--db', talkDb, '--json']);
    const journaled = (JSON.parse(shown.stdout) as { journal: { denials: { orderId: string; reason: string; value: number | null; limit: number | null }[] } }).journal.denials;
    const { rows } = readCsv(join(dir, 'talk', 'denials.csv'));
    expect(journaled.map((d) => [d.orderId, d.reason])).toEqual(rows.map((r) => [r.orderId, r.reason]));
    // The CSV prints a number without float noise (at most 8 decimals); the journal keeps the double.
    const same = (journal: number | null, csv: string | undefined): boolean => (journal === null ? csv === '' : Math.abs(journal - Number(csv)) <= 1e-8 * Math.max(1, Math.abs(journal)));
    journaled.forEach((d, i) => expect(same(d.value, rows[i]!.value) && same(d.limit, rows[i]!.limit), `${d.orderId}: ${d.value}/${d.limit} vs ${rows[i]!.value}/${rows[i]!.limit}`).toBe(true));
    expect(journaled.filter((d) => d.reason === 'MAX_NOTIONAL').every((d) => d.limit === 20_000 && d.value! > 20_000)).toBe(true);
  });

  it('names the top reasons with one example each in the summary', async () => {
    const run = await talkText;
    const { rows } = readCsv(join(dir, 'talk', 'denials.csv'));
    const first = (reason: string): Record<string, string> => rows.find((r) => r.reason === reason)!;
    const m = first('MAX_NOTIONAL');
    expect(run.stdout).toContain('denied orders     129 (MAX_NOTIONAL 100, MIN_NOTIONAL 20, INVALID_QUANTITY 5, PRICE_BAND 4)');
    expect(run.stdout).toContain(`  MAX_NOTIONAL, first: ${m.timeUtc!.slice(0, 16).replace('T', ' ')} ${m.orderId} BUY 1 BTC/USDT at market: ${m.detail}\n`);
    expect(run.stdout).toContain(`  MIN_NOTIONAL, first: ${first('MIN_NOTIONAL').timeUtc!.slice(0, 16).replace('T', ' ')} ${first('MIN_NOTIONAL').orderId} BUY 0.00001 BTC/USDT`);
    expect(run.stdout).toContain('  INVALID_QUANTITY, first: ');
    expect(run.stdout).not.toContain('  PRICE_BAND, first: ');
    expect(run.stdout).toContain('  ... 1 more reason(s); every denial is in denials.csv (--out)');
  });
});

describe('CSV files a person reads', () => {
  /** Columns holding numbers, with the most decimals each may have (BTC/USDT: tick 0.01, lot 0.00001). */
  const NUMBERS: Record<string, Record<string, number>> = {
    'fills.csv': { time: 0, quantity: 5, price: 2, notional: 8, fee: 8, tax: 8, referencePrice: 6, impactBps: 6, slippageBps: 6 },
    'trades.csv': { entryTime: 0, exitTime: 0, quantity: 5, entryPrice: 6, exitPrice: 6, pnl: 8, returnFraction: 8, fills: 0 },
    'equity.csv': { time: 0, equity: 8, drawdown: 8 },
    'denials.csv': { time: 0, quantity: 5, price: 6, value: 8, limit: 8 },
  };
  const TIMES: Record<string, string[]> = { 'fills.csv': ['time'], 'trades.csv': ['entryTime', 'exitTime'], 'equity.csv': ['time'], 'denials.csv': ['time'] };

  for (const [folder, files] of [['sma', ['fills.csv', 'trades.csv', 'equity.csv']], ['talk', ['denials.csv']]] as const) {
    for (const file of files) {
      it(`${file}: every number plain with its decimals at most, every time followed by its ISO-8601 UTC twin`, async () => {
        const run = await (folder === 'sma' ? sma : talkJson);
        expect(run.code, run.stderr).toBe(0);
        const { header, rows } = readCsv(join(dir, folder, file));
        expect(rows.length).toBeGreaterThan(0);
        for (const time of TIMES[file]!) expect(header[header.indexOf(time) + 1]).toBe(`${time}Utc`);
        const bad: string[] = [];
        for (const row of rows) {
          for (const [column, decimals] of Object.entries(NUMBERS[file]!)) {
            const cell = row[column]!;
            if (cell === '' && (column === 'price' || column === 'value' || column === 'limit')) continue;
            const match = /^-?\d+(?:\.(\d+))?$/.exec(cell);
            if (match === null || (match[1]?.length ?? 0) > decimals) bad.push(`${column}=${cell}`);
          }
          for (const time of TIMES[file]!) if (row[`${time}Utc`] !== new Date(Number(row[time])).toISOString()) bad.push(`${time}Utc=${row[`${time}Utc`]}`);
        }
        expect(bad.slice(0, 5)).toEqual([]);
      });
    }
  }

  it('the six-year run has averaged prices to check: round trips of several fills, priced past the tick', async () => {
    await sma;
    const { rows } = readCsv(join(dir, 'sma', 'trades.csv'));
    const averaged = rows.filter((r) => Number(r.fills) > 2);
    expect(averaged.length).toBeGreaterThan(10);
    expect(averaged.some((r) => (r.entryPrice!.split('.')[1] ?? '').length > 2)).toBe(true);
  });
});

describe('the report of a six-year run', () => {
  it('shows monthly returns equal to the month-end equity ratios of equity.csv', async () => {
    const run = await sma;
    expect(run.code, run.stderr).toBe(0);
    const { rows } = readCsv(join(dir, 'sma', 'equity.csv'));
    // A point at a bar's close belongs to the month the bar ended in (a close at 00:00 on the 1st ends the month before).
    const monthEnds = new Map<string, number>();
    for (const r of rows) monthEnds.set(new Date(Number(r.time) - 1).toISOString().slice(0, 7), Number(r.equity));
    const expected = new Map<string, number>();
    let before = 10_000;
    for (const [month, equity] of monthEnds) {
      expected.set(month, equity / before - 1);
      before = equity;
    }
    const html = readFileSync(join(dir, 'sma', 'report.html'), 'utf8');
    const cells = new Map<string, number>();
    for (const [, year, body] of html.matchAll(/<tr data-year="(\d+)">([\s\S]*?)<\/tr>/g)) {
      const values = [...body!.matchAll(/<td class="num[^"]*"(?: data-value="([^"]+)")?/g)].map((m) => m[1]);
      expect(values).toHaveLength(13);
      values.slice(0, 12).forEach((v, m) => {
        if (v !== undefined) cells.set(`${year}-${String(m + 1).padStart(2, '0')}`, Number(v));
      });
    }
    expect([...cells.keys()]).toEqual([...expected.keys()]);
    for (const [month, value] of expected) expect(cells.get(month), month).toBeCloseTo(value, 7);
  });

  it('groups 244 breaker events into far fewer chart markers, every event still in the table', async () => {
    const run = await sma;
    const summary = JSON.parse(run.stdout) as { breakerEvents: unknown[]; extrapolated: string[] };
    const html = readFileSync(join(dir, 'sma', 'report.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { markers: unknown[]; episodes: Array<{ count: number }> };
    expect(summary.breakerEvents.length).toBeGreaterThan(200);
    expect(data.markers.length).toBeLessThanOrEqual(33);
    expect(data.markers.length * 5).toBeLessThan(summary.breakerEvents.length);
    expect(data.episodes.reduce((n, e) => n + e.count, 0)).toBe(summary.breakerEvents.length);
    expect(html.match(/<tr class="event breaker"/g)).toHaveLength(summary.breakerEvents.length);
  });
});

describe('short runs', () => {
  it('marks CAGR and Sharpe of a one-week run as extrapolated in the JSON, the summary and the report', async () => {
    const [json, text] = await Promise.all([talkJson, talkText]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).extrapolated).toEqual(['cagr', 'sharpe', 'sortino', 'calmar']);
    expect(text.stdout).toMatch(/CAGR -?[\d.]+% \(extrapolated from 7 days\)/);
    expect(text.stdout).toMatch(/Sharpe -?[\d.]+, Sortino -?[\d.]+, Calmar -?[\d.]+ \(Sharpe, Sortino, Calmar extrapolated from 7 days\)/);
    const html = readFileSync(join(dir, 'talk', 'report.html'), 'utf8');
    expect(html).toContain('This run covers 7 days: CAGR, Sharpe ratio');
  });

  it('does not mark a run of more than 90 days', async () => {
    const run = await sma;
    expect(JSON.parse(run.stdout).extrapolated).toEqual([]);
    const html = readFileSync(join(dir, 'sma', 'report.html'), 'utf8');
    expect(html).not.toContain('(extrapolated)');
    expect(html).not.toContain('id="extrapolated"');
  });
});

describe('traider runs show', () => {
  it('prints journaled averages and breaker values without float noise', () => {
    const detail = {
      run: { id: 'r1', kind: 'BACKTEST', status: 'FINISHED', strategy: 's', symbols: ['BTC/USDT'], market: 'crypto', timeframe: '1h', mode: 'BACKTEST', actor: 'me', startedAt: 0, finishedAt: 1, error: null, parameters: {}, dataHashes: {}, summary: null },
      journal: {
        orders: [], orderEvents: [], fills: [], balances: [], equity: [], bars: [], modeChanges: [],
        positions: [{ runId: 'r1', time: 0, symbol: 'BTC/USDT', quantity: 0.5, averagePrice: 4167.2699999999995, realizedPnl: 0n }],
        denials: [{ runId: 'r1', time: 0, orderId: 'O-1', symbol: 'BTC/USDT', reason: 'MAX_NOTIONAL', detail: 'too big', value: 50000.1 + 0.2, limit: 20000 }],
        breakerEvents: [{ runId: 'r1', time: 0, level: 'WARNING', previousLevel: 'NORMAL', cause: 'DRAWDOWN', value: 0.1 + 0.2, threshold: 0.05, actor: null, detail: null }],
      },
    } as unknown as RunDetail;
    const text = formatRunDetail(detail, 10, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
    expect(text).toContain('BTC/USDT 0.5 @ 4167.27 realized 0');
    expect(text).toContain('NORMAL -> WARNING (DRAWDOWN 0.3 vs 0.05)');
    expect(text).toContain('MAX_NOTIONAL O-1 BTC/USDT: too big (value 50000.3, limit 20000)');
  });
});
