// The matching engine and ledger: order entry and cancel, fills against the merged book, resting orders
// filled when the replayed price crosses them, stops triggered by the last price, balances (free/locked)
// and fees, and the events streams need.
import type { Account, Accounts } from './accounts.ts';
import { Errors } from './errors.ts';
import { isMarketKind, isOpen, isPendingStop, isStopKind, triggersOnFall, type OrderKind, type Side, type SimOrder, type SimTrade, type TimeInForce } from './orders.ts';
import type { SymbolReplay } from './replay.ts';
import { SymbolMarket, type DepthDiff, type PublicTrade, type TakerPlan } from './symbol-market.ts';
import { MAX_ALGO_ORDERS, type SymbolSpec } from './symbols.ts';
import { feeOf, floorTo, mulUnits } from './units.ts';
import type { VirtualClock } from './virtual-clock.ts';

export interface NewOrder {
  symbol: string;
  side: Side;
  type: OrderKind;
  timeInForce?: TimeInForce;
  quantity?: bigint;
  quoteOrderQty?: bigint;
  price?: bigint;
  /** Trigger price of STOP_LOSS(_LIMIT) and TAKE_PROFIT(_LIMIT) orders. */
  stopPrice?: bigint;
  newClientOrderId?: string;
}

export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED';

export interface Execution {
  type: ExecutionType;
  time: number;
  /** Execution id, unique across the exchange (executionReport `I`). */
  id: number;
  /** The fill of a TRADE execution. */
  trade?: SimTrade;
  /** CANCELED: the cancel request's client id (the order's own id is reported as the original). */
  cancelClientId?: string;
}

/** What the streams and the WebSocket API listen to. */
export interface ExchangeListener {
  depth?(market: SymbolMarket, diff: DepthDiff): void;
  trade?(market: SymbolMarket, trade: PublicTrade): void;
  /** After every step of a symbol (klines, book tickers). */
  stepped?(market: SymbolMarket, time: number): void;
  execution?(account: Account, order: SimOrder, execution: Execution): void;
  accountPosition?(account: Account, assets: readonly string[], time: number): void;
}

export interface FeeRates {
  makerBps: number;
  takerBps: number;
}

const CLIENT_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;


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
    if (!CLIENT_ID_RE.test(clientOrderId)) throw Errors.malformed("Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
    if (account.byClientId.has(clientOrderId) && !this.acceptReusedClientIds) throw Errors.duplicateOrder();

    const kind = request.type;
    const stop = isStopKind(kind);
    const isMarket = isMarketKind(kind);
    let priceTick = 0;
    let price = 0n;
    if (!isMarket) {
      if (request.price === undefined) throw Errors.mandatory('price');
      if (request.quantity === undefined) throw Errors.mandatory('quantity');
      price = request.price;
      if (price <= 0n || price % spec.tick !== 0n) throw Errors.filter('PRICE_FILTER');
      priceTick = Number(price / spec.tick);
    }
    let stopPrice = 0n;
    if (stop) {
      if (request.stopPrice === undefined) throw Errors.mandatoryEither('stopPrice', 'trailingDelta');
      if (request.quantity === undefined) throw Errors.mandatory('quantity');
      stopPrice = request.stopPrice;
      // PRICE_FILTER applies to stopPrice as to price.
      if (stopPrice <= 0n || stopPrice % spec.tick !== 0n) throw Errors.filter('PRICE_FILTER');
    }
    if (request.quantity !== undefined) {
      const q = request.quantity;
      if (q < spec.minQty || q > spec.maxQty || q % spec.step !== 0n) throw Errors.filter('LOT_SIZE');
      // A market-type stop has no price yet: its notional is taken at the stop price.
      const notionalPrice = isMarket ? stopPrice : price;
      if (notionalPrice > 0n && mulUnits(notionalPrice, q) < spec.minNotional) throw Errors.filter('NOTIONAL');
    } else if (request.quoteOrderQty === undefined) {
      throw Errors.mandatory('quantity');
    } else if (request.quoteOrderQty < spec.minNotional) {
      throw Errors.filter('NOTIONAL');
    }

    const side = request.side;
    const takesTimeInForce = kind === 'LIMIT' || kind === 'STOP_LOSS_LIMIT' || kind === 'TAKE_PROFIT_LIMIT';
    const timeInForce: TimeInForce = takesTimeInForce ? (request.timeInForce ?? 'GTC') : 'GTC';
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
    const order: SimOrder = {
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
      executedQty: 0n,
      cummulativeQuoteQty: 0n,
      status: 'NEW',
      time: now,
      updateTime: now,
      workingTime: now,
      locked: lock,
      seq: this.seq,
      fills: [],
    };
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
    if (prices.length > 0 && market.stops.length > 0) this.triggerStops(market, this.stopsReachedByPrices(market, prices), now, touched);
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
    const order: SimOrder = {
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
      executedQty: 0n,
      cummulativeQuoteQty: 0n,
      status: 'NEW',
      time: o.time,
      updateTime: o.time,
      workingTime: -1,
      locked: lock,
      seq: this.seq,
      fills: [],
    };
    account.orders.push(order);
    account.byClientId.set(o.clientOrderId, order);
    market.stops.push(order);
    this.report(account, order, { type: 'NEW', time: o.time });
    this.emitPositions(account, spec, o.time);
    return order;
  }

  /** Whether prices spanning [low, high] reach a stop's trigger (within a thousandth of a tick, as resting limits). */
  private reaches(market: SymbolMarket, order: SimOrder, low: number, high: number): boolean {
    const stop = Number(order.stopPrice) / 1e8;
    const eps = Number(market.spec.tick) / 1e8 / 1000;
    return triggersOnFall(order) ? low <= stop + eps : high >= stop - eps;
  }

  /**
   * Trigger, in time order, the pending stops the replayed path reaches in (from, to], each at the moment
   * it first reaches the stop price (counted from when the stop was placed, never before the last print),
   * against the book of that moment.
   */
  private triggerOnPath(market: SymbolMarket, from: number, to: number): void {
    const eps = Number(market.spec.tick) / 1e8 / 1000;
    for (;;) {
      let first: { order: SimOrder; time: number } | undefined;
      for (const order of market.stops) {
        const start = Math.max(from, order.time);
        if (start >= to) continue;
        const falling = triggersOnFall(order);
        const level = Number(order.stopPrice) / 1e8 + (falling ? eps : -eps);
        const reached = market.replay.firstReach(start, to, level, falling);
        if (reached === undefined) continue;
        const time = Math.min(to, Math.max(Math.ceil(reached), market.tape[market.tape.length - 1]!.time));
        if (first === undefined || time < first.time) first = { order, time };
      }
      if (first === undefined) return;
      const touched = new Set<Account>();
      market.book.update(first.time);
      this.triggerStops(market, [first.order], first.time, touched);
      for (const account of touched) this.emitPositions(account, market.spec, first.time);
    }
  }

  /** Pending stops reached by trades just printed at these prices. */
  private stopsReachedByPrices(market: SymbolMarket, prices: readonly bigint[]): SimOrder[] {
    let low = prices[0]!;
    let high = prices[0]!;
    for (const p of prices) {
      if (p < low) low = p;
      if (p > high) high = p;
    }
    return market.stops.filter((order) => this.reaches(market, order, Number(low) / 1e8, Number(high) / 1e8));
  }

  /** Trigger stops in arrival order; the trades they print may reach further stops, which trigger in turn. */
  private triggerStops(market: SymbolMarket, due: SimOrder[], time: number, touched: Set<Account>): void {
    let next = [...due].sort((a, b) => a.seq - b.seq);
    while (next.length > 0) {
      const prices: bigint[] = [];
      for (const order of next) if (isPendingStop(order)) prices.push(...this.activate(market, order, time, touched));
      next = prices.length > 0 && market.stops.length > 0 ? this.stopsReachedByPrices(market, prices) : [];
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

  /** Book one fill on an order: balances, fee, order progress, the account's trade; removes filled resting orders. */
  private applyFill(market: SymbolMarket, account: Account, order: SimOrder, price: bigint, qty: bigint, isMaker: boolean, tradeId: number, time: number): void {
    const { base, quote: quoteAsset } = market.spec;
    const quote = mulUnits(price, qty);
    const bps = isMaker ? this.makerBps : this.takerBps;
    const lastFill = order.executedQty + qty >= order.origQty;
    let commission: bigint;
    let commissionAsset: string;
    if (order.side === 'BUY') {
      const q = account.balance(quoteAsset);
      if (isMarketKind(order.type)) {
        q.free -= quote;
      } else {
        const release = lastFill ? order.locked : mulUnits(order.price, qty) < order.locked ? mulUnits(order.price, qty) : order.locked;
        order.locked -= release;
        q.locked -= release;
        q.free += release - quote;
      }
      commission = feeOf(qty, bps);
      commissionAsset = base;
      account.balance(base).free += qty - commission;
    } else {
      const b = account.balance(base);
      if (isMarketKind(order.type)) {
        b.free -= qty;
      } else {
        order.locked -= qty;
        b.locked -= qty;
      }
      commission = feeOf(quote, bps);
      commissionAsset = quoteAsset;
      account.balance(quoteAsset).free += quote - commission;
    }
    order.executedQty += qty;
    order.cummulativeQuoteQty += quote;
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = time;
    order.fills.push({ price, qty, commission, commissionAsset, tradeId });
    if (order.status === 'FILLED') market.removeResting(order);
    const trade: SimTrade = { id: tradeId, symbol: order.symbol, orderId: order.orderId, price, qty, quoteQty: quote, commission, commissionAsset, time, isBuyer: order.side === 'BUY', isMaker };
    account.trades.push(trade);
    account.updateTime = time;
    this.report(account, order, { type: 'TRADE', time, trade });
  }

  private emitPositions(account: Account, spec: SymbolSpec, time: number): void {
    account.updateTime = time;
    this.emit('accountPosition', account, [spec.base, spec.quote], time);
  }
}

