// `traider book replay`: rebuild a level-2 book from a recorded capture and print how well it matches
// what the exchange published (one JSON object with --json, a readable summary otherwise).
import { Command } from 'commander';
import type { BinanceReplayResult, KrakenReplayResult } from '../app/book/index.ts';
import { UsageError } from './errors.ts';
import { requireFile } from './paths.ts';

interface ReplayFlags {
  snapshot?: string;
  diffs?: string;
  bookticker?: string;
  kraken?: string;
  json?: boolean;
}

type Io = { out: (s: string) => void; err: (s: string) => void };

const count = (n: number): string => n.toLocaleString('en-US');

function side(price: number, qty: number): string {
  return Number.isNaN(price) ? 'empty' : `${price} x ${qty}`;
}

export function formatBinanceReplay(r: BinanceReplayResult, files: { snapshot: string; diffs: string; bookticker?: string }): string {
  const lines = [
    `Binance book replay: ${files.snapshot} + ${files.diffs}`,
    `snapshot        lastUpdateId ${r.snapshotLastUpdateId}, ${r.eventsBeforeSnapshot} diff event(s) received before it`,
    `diff events     ${count(r.events)}: ${count(r.appliedEvents)} applied, ${count(r.staleEvents)} stale (u <= lastUpdateId), ${count(r.pendingEvents)} left waiting for a snapshot`,
    `level updates   ${count(r.updates)} applied, ${count(r.updatesPerSecond)} updates/s`,
    `sequence        ${r.gaps} gap(s), ${r.crossed} crossed book(s), ${r.resyncs} resync request(s)`,
  ];
  if (files.bookticker === undefined) {
    lines.push('bookTicker      not checked (give --bookticker FILE)');
  } else {
    lines.push(
      `bookTicker      ${count(r.matches)} of ${count(r.checked)} checked updates equal the rebuilt best bid and ask (price and size); ` +
        `${count(r.bookTickerUpdates)} bookTicker updates, checked = those whose u is the final u of an applied diff event`,
    );
  }
  for (const m of r.mismatches) {
    lines.push(
      `  mismatch at u=${m.updateId}: book ${side(m.book.bidPrice, m.book.bidQty)} | ${side(m.book.askPrice, m.book.askQty)}, ` +
        `bookTicker ${side(m.bookTicker.bidPrice, m.bookTicker.bidQty)} | ${side(m.bookTicker.askPrice, m.bookTicker.askQty)}`,
    );
  }
  for (const q of r.resyncRequests) {
    lines.push(`  resync (${q.reason}) at U=${q.firstId} u=${q.lastId}, book at ${q.bookUpdateId}${q.reason === 'gap' ? `, expected U <= ${q.expectedFirstId}` : ''}`);
  }
  lines.push(
    `final book      bid ${side(r.finalTop.bidPrice, r.finalTop.bidQty)} | ask ${side(r.finalTop.askPrice, r.finalTop.askQty)} ` +
      `(${count(r.bidLevels)} bid and ${count(r.askLevels)} ask levels), update id ${r.lastUpdateId}`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatKrakenReplay(r: KrakenReplayResult, file: string): string {
  const lines = [
    `Kraken book replay: ${file}`,
    `pairs           ${r.pairs} (${r.pairNames.join(', ')}), ${r.snapshots} snapshot(s), ${count(r.messages)} book messages`,
    `level updates   ${count(r.updates)} applied (qty 0 = delete, each side truncated to 1000 levels)`,
    `checksums       ${count(r.checksumMatches)} of ${count(r.checksums)} CRC32 checksums match`,
  ];
  for (const m of r.mismatches) lines.push(`  mismatch at line ${m.line} (${m.pair}): expected ${m.expected}, rebuilt book gives ${m.actual}`);
  return `${lines.join('\n')}\n`;
}

export function bookCommand(io: Io): Command {
  const replay = new Command('replay')
    .description('replay a recorded L2 capture through the order book and check it against the exchange')
    .option('--snapshot <file>', 'Binance depth snapshot CSV (local_ts_ns,last_update_id,side,price,qty)')
    .option('--diffs <file>', 'Binance depth-diff CSV, plain or .gz (local_ts_ns,event_time_ms,first_update_id,last_update_id,side,price,qty)')
    .option('--bookticker <file>', 'Binance bookTicker CSV, plain or .gz (local_ts_ns,update_id,bid_price,bid_qty,ask_price,ask_qty)')
    .option('--kraken <file>', 'Kraken book websocket capture (cryptofeed raw format, plain or .gz) instead of the Binance files')
    .option('--json', 'print exactly one JSON object on stdout')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action(async (flags: ReplayFlags) => {
      for (const [flag, file] of [['--snapshot', flags.snapshot], ['--diffs', flags.diffs], ['--bookticker', flags.bookticker], ['--kraken', flags.kraken]] as const) {
        if (file !== undefined) requireFile(flag, file);
      }
      const { replayBinance, replayKraken } = await import('../app/book/index.ts');
      if (flags.kraken !== undefined) {
        if (flags.snapshot !== undefined || flags.diffs !== undefined || flags.bookticker !== undefined) {
          throw new UsageError('--kraken replays a Kraken capture on its own: do not combine it with --snapshot, --diffs or --bookticker');
        }
        const r = await replayKraken(flags.kraken);
        const { pairs, updates, checksums, checksumMatches } = r;
        io.out(flags.json ? `${JSON.stringify({ pairs, updates, checksums, checksumMatches })}\n` : formatKrakenReplay(r, flags.kraken));
        return;
      }
      if (flags.snapshot === undefined || flags.diffs === undefined) {
        throw new UsageError('give --snapshot FILE and --diffs FILE (Binance, optionally --bookticker FILE), or --kraken FILE');
      }
      const r = await replayBinance({ snapshotFile: flags.snapshot, diffsFile: flags.diffs, bookTickerFile: flags.bookticker });
      const { updates, checked, matches, gaps, resyncs, updatesPerSecond } = r;
      io.out(
        flags.json
          ? `${JSON.stringify({ updates, checked, matches, gaps, resyncs, updatesPerSecond })}\n`
          : formatBinanceReplay(r, { snapshot: flags.snapshot, diffs: flags.diffs, bookticker: flags.bookticker }),
      );
    });
  return new Command('book').description('level-2 order books: replay recorded captures').addCommand(replay);
}
