// The matching engine and ledger: order entry and cancel, fills against the merged book, resting orders
// filled when the replayed price crosses them, stops triggered by the last price, balances (free/locked)
// and fees, and the events streams need.
import type { Account, Accounts } from './accounts.ts';
import { Errors } from './errors.ts';
import type { ExchangeListener, Execution, FeeRates, NewOrder } from './exchange-api.ts';
import { checkClientOrderId, checkNewOrder } from './order-entry.ts';
import { isMarketKind, isOpen, isPendingStop, isStopKind, newSimOrder, triggersOnFall, type OrderKind, type Side, type SimOrder, type TimeInForce } from './orders.ts';
import type { SymbolReplay } from './replay.ts';
import { bookFill } from './settlement.ts';
import { firstStopReached, stopsReachedByPrices } from './stop-triggers.ts';
import { SymbolMarket, type TakerPlan } from './symbol-market.ts';
import { MAX_ALGO_ORDERS, type SymbolSpec } from './symbols.ts';
import { floorTo, mulUnits } from './units.ts';
import type { VirtualClock } from './virtual-clock.ts';

export class ExchangeCore {
  readonly markets = new Map<string, SymbolMarket>();
  readonly listeners = new Set<ExchangeListener>();
  private seq = 0;
  private cancelIds = 0;
  private executionIds = 0;
  private readonly makerBps: bigint;
  private readonly takerBps: bigint;
  /**
   * Accept a new order whose client id an earlier order used (tests of a client's own idempotency).
   * Off by default: the exchange then refuses any reused id, stricter than Binance (which refuses only
   * while the earlier order is open).
   */
  acceptReusedClientIds = false;

  constructor(
    readonly clock: VirtualClock,
    readonly accounts: Accounts,
    symbols: ReadonlyArray<{ spec: SymbolSpec; replay: SymbolReplay }>,
    seed: number,
    fees: FeeRates = { makerBps: 10, takerBps: 10 },
  ) {
    this.makerBps = BigInt(fees.makerBps);
    this.takerBps = BigInt(fees.takerBps);
    const start = clock.now();
    for (const { spec, replay } of symbols) {
      const market = new SymbolMarket(spec, replay, seed, start);
      market.publish(start);
      // An opening print so the tape is never empty.
      const first = market.book;
      const mid = market.price(Math.round((first.bestBidTick + first.bestAskTick) / 2));
      market.recordTrade(mid, spec.step, start, false);
      this.markets.set(spec.id, market);
    }
  }

  market(symbol: string | undefined): SymbolMarket {
    if (symbol === undefined || symbol === '') throw Errors.mandatory('symbol');
    const market = this.markets.get(symbol.toUpperCase());
    if (market === undefined) throw Errors.invalidSymbol();
    return market;
  }

  private emit<K extends keyof ExchangeListener>(name: K, ...args: Parameters<NonNullable<ExchangeListener[K]>>): void {
    for (const listener of this.listeners) {
      const fn = listener[name] as ((...a: unknown[]) => void) | undefined;
      fn?.apply(listener, args);
    }
  }

  /**
   * Advance every market to the virtual clock: trigger the stops the replayed price reached on the way
   * (each when it reached it), fill crossed resting orders, print the tape, publish diffs.
   */
  step(): void {
    const now = this.clock.now();
    for (const market of this.markets.values()) {
      const from = market.lastTime;
      if (now < from) market.lastTime = now;
      if (now > from) {
        if (market.stops.length > 0) this.triggerOnPath(market, from, now);
        this.fillCrossed(market, from, now);
        const qty = floorTo(BigInt(Math.floor((market.replay.volumeAt(now) * Math.min(now - from, market.replay.intervalMs) * 1e8) / market.replay.intervalMs)), market.spec.step);
        const before = market.replay.priceAt(from);
        const price = market.replay.priceAt(now);
        if (qty > 0n && now >= market.replay.firstTime && now < market.replay.endTime) {
          const tick = Math.max(1, Math.round((price * 1e8) / Number(market.spec.tick)));
          this.emit('trade', market, market.recordTrade(market.price(tick), qty, now, price < before));
        }
        market.lastTime = now;
      }
      market.book.update(now);
      this.publish(market, now);
      this.emit('stepped', market, now);
    }
  }

  /** Publish the book's changes (after a step, and right after orders change it). */
  private publish(market: SymbolMarket, time: number): void {
    const diff = market.publish(time);
    if (diff) this.emit('depth', market, diff);
  }

  /**
   * Resting orders whose price the replay reached in (from, to] fill completely, as makers, at their price.
   * An order that started working during the interval (placed, or a stop triggered) counts only the path
   * since then.
   */
  private fillCrossed(market: SymbolMarket, from: number, to: number): void {
    const { low, high } = market.replay.rangeBetween(from, to);
    const tickSize = Number(market.spec.tick) / 1e8;
    const eps = tickSize / 1000;
    const touched = new Set<Account>();
    const crossed: SimOrder[] = [];
    const reached = (order: SimOrder): boolean => {
      if (order.workingTime <= from) return true;
      if (order.workingTime >= to) return false;
      const since = market.replay.rangeBetween(order.workingTime, to);
      const price = order.priceTick * tickSize;
      return order.side === 'BUY' ? price >= since.low - eps : price <= since.high + eps;
    };
    for (const level of market.bids) {
      if (level.tick * tickSize < low - eps) break;
      crossed.push(...level.orders.filter(reached));
    }
    for (const level of market.asks) {
      if (level.tick * tickSize > high + eps) break;
      crossed.push(...level.orders.filter(reached));
    }
    for (const order of crossed) {
      const account = this.accounts.list[order.accountId]!;
      const qty = order.origQty - order.executedQty;
      const trade = market.recordTrade(order.price, qty, to, order.side === 'BUY');
      this.emit('trade', market, trade);
      this.applyFill(market, account, order, order.price, qty, true, trade.id, to);
      touched.add(account);
    }
    for (const account of touched) this.emitPositions(account, market.spec, to);
  }

  /** Validate, fund, match and (for GTC limits) rest a new order, or hold a stop. Throws BinanceError on rejection. */
  placeOrder(account: Account, request: NewOrder): SimOrder {
    const market = this.market(request.symbol);
    const spec = market.spec;
    const now = this.clock.now();
    const clientOrderId = request.newClientOrderId ?? `sim-${account.id}-${this.seq + 1}`;
    checkClientOrderId(clientOrderId);
    if (account.byClientId.has(clientOrderId) && !this.acceptReusedClientIds) throw Errors.duplicateOrder();

    const { kind, stop, isMarket, price, priceTick, stopPrice, timeInForce } = checkNewOrder(spec, request);
    const side = request.side;
    if (stop) return this.placeStop(market, account, { clientOrderId, side, kind, timeInForce, price, priceTick, stopPrice, quantity: request.quantity!, time: now });

    let plan: TakerPlan;
    let lock = 0n;
    if (isMarket) {
      plan = market.plan(side, undefined, request.quantity, request.quoteOrderQty);
      if (plan.filled > 0n && plan.quote < spec.minNotional) throw Errors.filter('NOTIONAL');
      if (side === 'BUY' && account.balance(spec.quote).free < plan.quote) throw Errors.insufficientBalance();
      if (side === 'SELL' && account.balance(spec.base).free < plan.filled) throw Errors.insufficientBalance();
    } else {
      plan = market.plan(side, priceTick, request.quantity, undefined);
      if (kind === 'LIMIT_MAKER' && plan.filled > 0n) throw Errors.wouldTake();
      lock = side === 'BUY' ? mulUnits(price, request.quantity!) : request.quantity!;
      if (!account.lock(side === 'BUY' ? spec.quote : spec.base, lock)) throw Errors.insufficientBalance();
    }

    this.seq++;
    const order = newSimOrder({
      symbol: spec.id,
      orderId: market.nextOrderId++,
      clientOrderId,
      accountId: account.id,
      side,
      type: kind,
      timeInForce,
      price,
      priceTick,
      stopPrice: 0n,
      origQty: request.quantity ?? plan.filled,
      origQuoteOrderQty: request.quoteOrderQty ?? 0n,
      time: now,
      workingTime: now,
      locked: lock,
      seq: this.seq,
    });
    account.orders.push(order);
    account.byClientId.set(clientOrderId, order);
    this.report(account, order, { type: 'NEW', time: now });

    const touched = new Set<Account>([account]);
    const prices = this.take(market, account, order, plan, now, touched);
    if (isOpen(order)) {
      const restable = !isMarket && timeInForce === 'GTC';
      if (restable) market.addResting(order);
      else this.finish(account, order, 'EXPIRED', now);
    }
    // The trades just printed are the last price now: stops they reached trigger.
    if (prices.length > 0 && market.stops.length > 0) this.triggerStops(market, stopsReachedByPrices(market, prices), now, touched);
    for (const touchedAccount of touched) this.emitPositions(touchedAccount, spec, now);
    this.publish(market, now);
    return order;
  }

  /**
   * Hold a new stop off the book until the last price reaches it. Funds are locked as for the order it
   * becomes: a sell locks the quantity; a buy locks price x quantity (STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT) or
   * stopPrice x quantity (STOP_LOSS, TAKE_PROFIT). A stop the last price has already reached is refused.
   */
  private placeStop(
    market: SymbolMarket,
    account: Account,
    o: { clientOrderId: string; side: Side; kind: OrderKind; timeInForce: TimeInForce; price: bigint; priceTick: number; stopPrice: bigint; quantity: bigint; time: number },
  ): SimOrder {
    const spec = market.spec;
    const openStops = account.orders.filter((x) => x.symbol === spec.id && isStopKind(x.type) && isOpen(x)).length;
    if (openStops >= MAX_ALGO_ORDERS) throw Errors.filter('MAX_NUM_ALGO_ORDERS');
    const last = market.lastPrice();
    if (triggersOnFall({ type: o.kind, side: o.side }) ? last <= o.stopPrice : last >= o.stopPrice) throw Errors.wouldTrigger();
    const lock = o.side === 'BUY' ? mulUnits(isMarketKind(o.kind) ? o.stopPrice : o.price, o.quantity) : o.quantity;
    if (!account.lock(o.side === 'BUY' ? spec.quote : spec.base, lock)) throw Errors.insufficientBalance();

    this.seq++;
    const order = newSimOrder({
      symbol: spec.id,
      orderId: market.nextOrderId++,
      clientOrderId: o.clientOrderId,
      accountId: account.id,
      side: o.side,
      type: o.kind,
      timeInForce: o.timeInForce,
      price: o.price,
      priceTick: o.priceTick,
      stopPrice: o.stopPrice,
      origQty: o.quantity,
      origQuoteOrderQty: 0n,
      time: o.time,
      workingTime: -1,
      locked: lock,
      seq: this.seq,
    });
    account.orders.push(order);
    account.byClientId.set(o.clientOrderId, order);
    market.stops.push(order);
    this.report(account, order, { type: 'NEW', time: o.time });
    this.emitPositions(account, spec, o.time);
    return order;
  }

  /**
   * Trigger, in time order, the pending stops the replayed path reaches in (from, to], each at the moment
   * it first reaches the stop price (counted from when the stop was placed, never before the last print),
   * against the book of that moment.
   */
  private triggerOnPath(market: SymbolMarket, from: number, to: number): void {
    for (;;) {
      const first = firstStopReached(market, from, to);
      if (first === undefined) return;
      const touched = new Set<Account>();
      market.book.update(first.time);
      this.triggerStops(market, [first.order], first.time, touched);
      for (const account of touched) this.emitPositions(account, market.spec, first.time);
    }
  }

  /** Trigger stops in arrival order; the trades they print may reach further stops, which trigger in turn. */
  private triggerStops(market: SymbolMarket, due: SimOrder[], time: number, touched: Set<Account>): void {
    let next = [...due].sort((a, b) => a.seq - b.seq);
    while (next.length > 0) {
      const prices: bigint[] = [];
      for (const order of next) if (isPendingStop(order)) prices.push(...this.activate(market, order, time, touched));
      next = prices.length > 0 && market.stops.length > 0 ? stopsReachedByPrices(market, prices) : [];
    }
  }

  /**
   * A stop triggers: it starts working (a second NEW report, now on the book), then executes as the order it
   * becomes: STOP_LOSS / TAKE_PROFIT as a market order (whatever finds no liquidity, or a buy the free
   * balance cannot pay, expires), STOP_LOSS_LIMIT / TAKE_PROFIT_LIMIT as a limit order at its price with
   * its timeInForce. Returns the prices of the trades it printed.
   */
  private activate(market: SymbolMarket, order: SimOrder, time: number, touched: Set<Account>): bigint[] {
    const account = this.accounts.list[order.accountId]!;
    const spec = market.spec;
    const marketKind = isMarketKind(order.type);
    market.removeStop(order);
    order.workingTime = time;
    order.updateTime = time;
    touched.add(account);
    if (marketKind && order.locked > 0n) {
      // The market order pays from free funds, like any market order.
      account.unlock(order.side === 'BUY' ? spec.quote : spec.base, order.locked);
      order.locked = 0n;
    }
    this.report(account, order, { type: 'NEW', time });
    const plan = market.plan(order.side, marketKind ? undefined : order.priceTick, order.origQty, undefined);
    if (marketKind && (order.side === 'BUY' ? account.balance(spec.quote).free < plan.quote : account.balance(spec.base).free < plan.filled)) {
      this.finish(account, order, 'EXPIRED', time);
      return [];
    }
    const prices = this.take(market, account, order, plan, time, touched);
    if (isOpen(order)) {
      if (!marketKind && order.timeInForce === 'GTC') market.addResting(order);
      else this.finish(account, order, 'EXPIRED', time);
    }
    return prices;
  }

  /** Execute a taker plan for an order (nothing for a FOK it cannot fill completely); the prices traded. */
  private take(market: SymbolMarket, account: Account, order: SimOrder, plan: TakerPlan, time: number, touched: Set<Account>): bigint[] {
    if (order.timeInForce === 'FOK' && plan.filled < order.origQty - order.executedQty) return [];
    const prices: bigint[] = [];
    for (const match of plan.matches) {
      const trade = market.recordTrade(match.price, match.qty, time, order.side === 'SELL');
      this.emit('trade', market, trade);
      prices.push(match.price);
      if (match.maker) {
        const makerAccount = this.accounts.list[match.maker.accountId]!;
        this.applyFill(market, makerAccount, match.maker, match.price, match.qty, true, trade.id, time);
        touched.add(makerAccount);
      } else {
        market.book.consume(order.side === 'BUY' ? 'ask' : 'bid', match.tick, match.qty);
      }
      this.applyFill(market, account, order, match.price, match.qty, false, trade.id, time);
    }
    return prices;
  }

  /** Cancel an open order by id or client id. Throws -2011 when it is unknown or no longer open. */
  cancelOrder(account: Account, symbol: string | undefined, orderId: number | undefined, origClientOrderId: string | undefined, newClientOrderId?: string): { order: SimOrder; cancelClientId: string } {
    const market = this.market(symbol);
    if (orderId === undefined && origClientOrderId === undefined) throw Errors.mandatory('orderId');
    const order = this.findOrder(account, market.spec.id, orderId, origClientOrderId);
    if (order === undefined || !isOpen(order)) throw Errors.unknownOrderCancel();
    const now = this.clock.now();
    const cancelClientId = newClientOrderId ?? `cancel-${++this.cancelIds}`;
    this.finish(account, order, 'CANCELED', now, cancelClientId);
    this.emitPositions(account, market.spec, now);
    this.publish(market, now);
    return { order, cancelClientId };
  }

  findOrder(account: Account, symbol: string, orderId: number | undefined, clientOrderId: string | undefined): SimOrder | undefined {
    if (orderId !== undefined) {
      const order = account.orders.find((o) => o.symbol === symbol && o.orderId === orderId);
      if (order && clientOrderId !== undefined && order.clientOrderId !== clientOrderId) return undefined;
      return order;
    }
    if (clientOrderId !== undefined) {
      const order = account.byClientId.get(clientOrderId);
      return order?.symbol === symbol ? order : undefined;
    }
    return undefined;
  }

  /** Close an open order (cancel or expiry): release what is still locked and take it off the book. */
  private finish(account: Account, order: SimOrder, status: 'CANCELED' | 'EXPIRED', time: number, cancelClientId?: string): void {
    const market = this.markets.get(order.symbol)!;
    market.removeResting(order);
    market.removeStop(order);
    if (order.locked > 0n) {
      account.unlock(order.side === 'BUY' ? market.spec.quote : market.spec.base, order.locked);
      order.locked = 0n;
    }
    order.status = status;
    order.updateTime = time;
    this.report(account, order, { type: status, time, ...(cancelClientId ? { cancelClientId } : {}) });
  }

  /** An execution of an order, numbered, to the listeners. */
  private report(account: Account, order: SimOrder, execution: Omit<Execution, 'id'>): void {
    this.emit('execution', account, order, { ...execution, id: ++this.executionIds });
  }

  /** Book one fill on an order (balances, fee, progress, the account's trade) and report it; removes a filled resting order. */
  private applyFill(market: SymbolMarket, account: Account, order: SimOrder, price: bigint, qty: bigint, isMaker: boolean, tradeId: number, time: number): void {
    const trade = bookFill(market.spec, account, order, price, qty, isMaker ? this.makerBps : this.takerBps, isMaker, tradeId, time);
    if (order.status === 'FILLED') market.removeResting(order);
    this.report(account, order, { type: 'TRADE', time, trade });
  }

  private emitPositions(account: Account, spec: SymbolSpec, time: number): void {
    account.updateTime = time;
    this.emit('accountPosition', account, [spec.base, spec.quote], time);
  }
}

