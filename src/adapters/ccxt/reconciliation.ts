// Reconciliation with the exchange: unresolved placements settled, fills missed while away booked, orders
// the platform does not know reported, open orders the exchange has closed brought up to date, balances compared.
import { OrderStatus } from '../../core/index.ts';
import { VenueError, VenueErrorAction } from '../../common/index.ts';
import type { BalanceCheck } from './balance-check.ts';
import type { CcxtOrder } from './ccxt-api.ts';
import type { ClientState, Discrepancy, TrackedOrder } from './client-state.ts';
import type { Placement } from './placement.ts';
import type { StreamMapper } from './stream-mapping.ts';
import { isStopOrderType } from './venues.ts';

type Report = (discrepancy: Discrepancy) => void;

/** Trades this much (venue time) before the oldest open order are fetched again: clock error margin. */
const TRADE_CURSOR_MARGIN_MS = 5 * 60_000;

export class Reconciler {
  /** Venue time from which reconciliation reads trades, per symbol. */
  private readonly tradeCursor = new Map<string, number>();
  private startTime = 0;
  private readonly reportedUnknown = new Set<string>();
  private reconciling: Promise<Discrepancy[]> | undefined;

  constructor(
    private readonly state: ClientState,
    private readonly mapper: StreamMapper,
    private readonly placement: Placement,
    private readonly balances: BalanceCheck,
  ) {}

  /** Trades before the platform connected (venue time) belong to orders it never placed. */
  connect(now: number): void {
    this.startTime = Math.floor(now - TRADE_CURSOR_MARGIN_MS);
  }

  /** One pass at a time; a call during a pass gets that pass's result. */
  reconcile(symbols: readonly string[]): Promise<Discrepancy[]> {
    this.reconciling ??= this.reconcileOnce(symbols).finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async reconcileOnce(symbols: readonly string[]): Promise<Discrepancy[]> {
    const found: Discrepancy[] = [];
    const report: Report = (d) => {
      found.push(d);
      this.state.options.onDiscrepancy?.(d);
    };
    const { orders, counts } = this.state;
    for (const tracked of [...orders.unresolved]) {
      if (!tracked.placed) continue;
      const state = await this.placement.recover(tracked);
      if (state === 'found') counts.recoveredByQuery++;
      if (state === 'absent') {
        orders.resolve(tracked);
        this.mapper.reject(tracked, new VenueError(VenueErrorAction.NotFound, 'the exchange has no order with this client id: it never arrived', 'OrderNotFound'));
      }
    }
    for (const symbol of symbols) await this.reconcileSymbol(symbol, report);
    await this.compareBalances(symbols, report);
    return found;
  }

  private reportUnknown(symbol: string, exchangeOrder: CcxtOrder, report: Report, why = 'is not the platform\'s'): void {
    if (this.reportedUnknown.has(exchangeOrder.id)) return;
    this.reportedUnknown.add(exchangeOrder.id);
    this.state.counts.unknownOrders++;
    report({ kind: 'UNKNOWN_ORDER', symbol, detail: `exchange order ${exchangeOrder.id} (client id ${exchangeOrder.clientOrderId || 'none'}, ${exchangeOrder.status ?? 'status unknown'}) ${why}` });
  }

  /** The exchange's state of one order of ours, or undefined when it cannot be had now. */
  private fetchOrder(venueId: string, symbol: string): Promise<CcxtOrder | undefined> {
    return this.state.query(() => this.state.api.fetchOrder(venueId, symbol)).catch(() => undefined);
  }

  /** Bring an order up to the exchange's state; the fills that brought are MISSED_FILLs. */
  private async applyReconciled(tracked: TrackedOrder, exchangeOrder: CcxtOrder, symbol: string, report: Report): Promise<void> {
    const { counts } = this.state;
    const before = counts.fills;
    await this.mapper.applyUpdate(tracked, exchangeOrder);
    const booked = counts.fills - before;
    if (booked > 0) this.missedFills(booked, symbol, `${booked} trade(s) of order ${tracked.order.id} booked on reconciliation`, report);
  }

  private missedFills(count: number, symbol: string, detail: string, report: Report): void {
    this.state.counts.missedFills += count;
    report({ kind: 'MISSED_FILL', symbol, detail });
  }

  private async reconcileSymbol(symbol: string, report: Report): Promise<void> {
    const { api, orders } = this.state;
    const open = await this.state.query(() => api.fetchOpenOrders(symbol));
    const openIds = new Set<string>();
    for (const exchangeOrder of open) {
      openIds.add(exchangeOrder.id);
      const tracked = orders.find(exchangeOrder);
      if (!tracked) {
        this.reportUnknown(symbol, exchangeOrder, report);
        continue;
      }
      if (tracked.order.isTerminal) {
        // The list may predate a cancel or fill that just happened: ask about this one order again.
        const now = await this.fetchOrder(exchangeOrder.id, symbol);
        if (now?.status === 'open') this.reportUnknown(symbol, exchangeOrder, report, `is open there but ${tracked.order.status} here`);
        continue;
      }
      // Placements whose answer never came are linked; a resting stop's trigger may show only here.
      const awaitingTrigger = isStopOrderType(tracked.order.type) && !tracked.order.triggered;
      if (tracked.placed && (tracked.venueId === undefined || awaitingTrigger)) await this.mapper.applyUpdate(tracked, exchangeOrder);
      // A cancel that did not go through is sent again.
      if (tracked.order.status === OrderStatus.PendingCancel && tracked.placed && !tracked.canceling) this.placement.requestCancel(tracked);
    }

    await this.syncTrades(symbol, report);

    // Open orders of ours the exchange no longer lists: what are they now?
    for (const tracked of [...orders.active]) {
      if (tracked.order.isTerminal) {
        orders.active.delete(tracked);
        continue;
      }
      if (tracked.order.symbol !== symbol || !tracked.placed || tracked.venueId === undefined || openIds.has(tracked.venueId)) continue;
      const state = await this.fetchOrder(tracked.venueId, symbol);
      if (state === undefined) continue;
      await this.applyReconciled(tracked, state, symbol, report);
      if (!tracked.order.isTerminal && state.status !== 'open') report({ kind: 'MISSING_ORDER', symbol, detail: `order ${tracked.order.id} is ${state.status} on the exchange` });
      orders.retire(tracked);
    }
  }

  /** Book the account's trades since the symbol's cursor that the books miss, page by page; move the cursor. */
  private async syncTrades(symbol: string, report: Report): Promise<void> {
    const { api, orders, venue } = this.state;
    const from = this.tradeCursor.get(symbol) ?? this.startTime;
    let since = from;
    let newest = from;
    let oldestUnhandled = Infinity;
    const seen = new Set<string>();
    const unknownOrders = new Set<string>();
    for (;;) {
      const page = await this.state.query(() => api.fetchMyTrades(symbol, since, venue.tradePage));
      let fresh = 0;
      for (const trade of page) {
        const key = trade.id ?? `${trade.order}:${trade.timestamp}:${trade.price}:${trade.amount}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fresh++;
        const time = trade.timestamp ?? newest;
        newest = Math.max(newest, time);
        const tracked = trade.order !== undefined ? orders.byExchangeId(trade.order) : undefined;
        if (!tracked) {
          if (trade.order !== undefined && !this.reportedUnknown.has(trade.order)) {
            unknownOrders.add(trade.order);
            oldestUnhandled = Math.min(oldestUnhandled, time);
          }
          continue;
        }
        // A placement still in flight books its own answer's fills.
        if (!tracked.placed) {
          oldestUnhandled = Math.min(oldestUnhandled, time);
          continue;
        }
        if (this.mapper.bookTrade(tracked, trade)) this.missedFills(1, symbol, `trade ${trade.id} of order ${tracked.order.id} (${trade.amount} at ${trade.price}) booked on reconciliation`, report);
      }
      if (page.length < venue.tradePage || fresh === 0) break;
      since = page[page.length - 1]!.timestamp ?? since;
    }

    // Orders seen only through their trades: ours whose answer never came, or not ours.
    for (const venueId of unknownOrders) {
      const state = await this.fetchOrder(venueId, symbol);
      if (state === undefined) continue;
      const tracked = orders.find(state);
      if (!tracked) {
        this.reportUnknown(symbol, state, report);
        continue;
      }
      if (tracked.unresolved) this.state.counts.recoveredByQuery++;
      await this.applyReconciled(tracked, state, symbol, report);
    }

    let oldestActive = Infinity;
    for (const tracked of orders.active) {
      if (tracked.order.symbol === symbol && !tracked.order.isTerminal) oldestActive = Math.min(oldestActive, tracked.order.createdAt);
    }
    // Next time, start from the newest trade, but never after anything still to be learned.
    const cursor = Math.min(newest, oldestActive - TRADE_CURSOR_MARGIN_MS, oldestUnhandled);
    // Whole milliseconds: a live clock's time is fractional, exchanges want integers.
    this.tradeCursor.set(symbol, Math.floor(Math.max(from, cursor)));
  }

  /**
   * Exchange totals against the books. Skipped while requests are in flight, since their fills are not
   * booked yet; a difference is looked at again after a fresh trade sync, since a resting order may have
   * filled between the trade sync and the balance.
   */
  private async compareBalances(symbols: readonly string[], report: Report): Promise<void> {
    if (this.state.pending.size > 0 || this.state.orders.unresolved.size > 0 || symbols.length === 0) return;
    let differences = await this.balances.differences(symbols);
    if (differences === undefined) return;
    if (differences.some((d) => d.report !== undefined)) {
      for (const symbol of symbols) await this.syncTrades(symbol, report);
      differences = await this.balances.differences(symbols);
      if (differences === undefined) return;
    }
    this.balances.record(differences, report);
  }
}
