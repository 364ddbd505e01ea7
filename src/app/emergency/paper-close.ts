// An emergency stop of a paper deployment whose session is not running (the server dead or hung, the session
// failed): its journal is closed out directly. Open orders are canceled, and every position is closed by a market
// order filled at the last journaled price, paying the configured taker fee (a paper book has no venue to trade on
// while nothing runs). The equity after it is journaled too, so the deployment's views show it flat.
import type { Journal } from '../../audit/index.ts';
import { Liquidity, moneyToNumber, numberToMoney, OrderSide, OrderType } from '../../core/index.ts';
import type { Clock, DeploymentRecord, FillRecord, OrderEventInput, RunJournal, Store } from '../../common/index.ts';
import { journalOf, openOrdersOf, positionsOf } from '../deployments/index.ts';

export interface ClosedInJournal {
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly price: number;
}

export interface PaperCloseResult {
  readonly canceled: number;
  readonly closed: ClosedInJournal[];
  /** Symbols held without any journaled price: they stay open (said so, never priced at a guess). */
  readonly unpriced: string[];
}

/** Bars of each symbol read for its last price (every bar only when a symbol held has none among them). */
const LAST_PRICE_BARS = 100;

/**
 * What closing a deployment needs of its journal (across the runs it resumed): its orders and fills, its latest
 * equity point and the latest bars, for each symbol's last price. A long run's every bar and equity point is not
 * read on the way to the venue; the whole bar table only when a symbol held has no bar among the latest.
 */
export async function closingJournalOf(store: Store, deployment: DeploymentRecord): Promise<RunJournal> {
  const tails = { bars: LAST_PRICE_BARS * Math.max(1, deployment.symbols.length), equity: 1 };
  const journal = await journalOf(store, deployment, ['orders', 'fills', 'bars', 'equity'], tails);
  const priced = new Set(journal.bars.map((b) => b.symbol));
  if (positionsOf(journal).every((p) => priced.has(p.symbol))) return journal;
  return { ...journal, bars: (await journalOf(store, deployment, ['bars'])).bars };
}

const lastCloseOf = (journal: RunJournal, symbol: string): number | undefined => {
  for (let i = journal.bars.length - 1; i >= 0; i--) if (journal.bars[i]!.symbol === symbol) return journal.bars[i]!.close;
  return undefined;
};

/**
 * Cancels the open orders and closes the positions of a paper deployment in its journal run (`journal` is the
 * merged journal of its run chain, `runId` the run written to).
 */
export async function closePaperInJournal(writer: Journal, runId: string, journal: RunJournal, deployment: DeploymentRecord, options: { readonly flatten: boolean; readonly takerBps: number }, clock: Clock): Promise<PaperCloseResult> {
  const { takerBps } = options;
  const time = clock.now();
  const events: OrderEventInput[] = [];
  const fills: FillRecord[] = [];
  const open = openOrdersOf(journal);
  for (const o of open) {
    events.push({ runId, time, orderId: o.orderId, symbol: o.symbol, side: o.side, type: o.type, quantity: o.quantity, price: o.price, stopPrice: o.stopPrice, timeInForce: o.timeInForce, tag: o.tag, kind: 'CANCELED', status: 'CANCELED', filledQuantity: o.filledQuantity, fillId: null, reason: 'EMERGENCY_STOP', detail: 'canceled in the journal by an emergency stop' });
  }
  const closed: ClosedInJournal[] = [];
  const unpriced: string[] = [];
  let cashChange = 0n; // ledger units: the cash after it is exact
  for (const p of options.flatten ? positionsOf(journal) : []) {
    const price = lastCloseOf(journal, p.symbol);
    if (price === undefined) {
      unpriced.push(p.symbol);
      continue;
    }
    const side = p.quantity > 0 ? OrderSide.Sell : OrderSide.Buy;
    const quantity = Math.abs(p.quantity);
    const orderId = `${deployment.name}-emergency-${time}-${closed.length + 1}`;
    const fields = { orderId, symbol: p.symbol, side, type: OrderType.Market, quantity, price: null, stopPrice: null, timeInForce: 'GTC', tag: 'emergency-close' } as const;
    const notional = numberToMoney(price * quantity);
    const fee = (notional * BigInt(Math.round(takerBps * 100))) / 1_000_000n;
    const fillId = `${orderId}-fill`;
    events.push({ runId, time, ...fields, kind: 'SUBMITTED', status: 'SUBMITTED', filledQuantity: 0, fillId: null, reason: null, detail: 'emergency stop: closed in the journal at the last price' });
    events.push({ runId, time, ...fields, kind: 'FILLED', status: 'FILLED', filledQuantity: quantity, fillId, reason: null, detail: null });
    fills.push({ runId, time, fillId, orderId, symbol: p.symbol, side, price, quantity, notional, fee, tax: 0n, liquidity: Liquidity.Taker, referencePrice: price, impactBps: 0, slippageBps: 0, reducedForCash: false });
    cashChange += (side === OrderSide.Sell ? notional : -notional) - fee;
    closed.push({ symbol: p.symbol, side, quantity, price });
  }
  if (events.length > 0) await writer.appendOrderEvents(events);
  if (fills.length > 0) {
    await writer.appendFills(fills);
    const cash = moneyToNumber(numberToMoney(journal.equity.at(-1)?.cash ?? deployment.capital) + cashChange);
    await writer.appendEquity([{ runId, time, equity: cash, cash }]);
  }
  await writer.flush();
  return { canceled: open.length, closed, unpriced };
}
