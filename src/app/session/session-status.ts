// What a running session says about itself every few seconds (the status line), and what it holds when it ends
// (open positions with their average and last price, orders open when it stopped). Paper, live and replay alike.
import type { Order } from '../../core/index.ts';
import type { Kernel } from '../../kernel/index.ts';

/** A snapshot of a running session. */
export interface SessionStatus {
  /** Bars the session has received (warm-up included). */
  readonly bars: number;
  /** Last price per symbol (last bar close or book mid); null before any data. */
  readonly lastPrices: Readonly<Record<string, number | null>>;
  /** Held quantity per symbol (0 when flat). */
  readonly positions: Readonly<Record<string, number>>;
  readonly equity: number;
  readonly currency: string;
  readonly breakerLevel: string;
  /** Wall milliseconds since the last bar or book reached the session; null before the first. */
  readonly dataAgeMs: number | null;
}

export interface StatusSource {
  readonly kernel: Kernel;
  readonly currency: string;
  /** The risk engine's breaker level now. */
  breakerLevel(): string;
  bars(): number;
  /** Wall time (ms) the last bar or book arrived, undefined before the first. */
  lastDataAt(): number | undefined;
}

export function readStatus(source: StatusSource, now: number): SessionStatus {
  const { kernel } = source;
  const lastPrices: Record<string, number | null> = {};
  const positions: Record<string, number> = {};
  for (const instrument of kernel.cache.instruments) {
    const price = kernel.cache.lastClose[kernel.cache.symbolIndex(instrument.symbol)]!;
    lastPrices[instrument.symbol] = Number.isFinite(price) ? price : null;
    positions[instrument.symbol] = kernel.account.positions.get(instrument.symbol)?.quantity ?? 0;
  }
  const last = source.lastDataAt();
  return {
    bars: source.bars(),
    lastPrices,
    positions,
    equity: Number(kernel.equity().toFixed(8)),
    currency: source.currency,
    breakerLevel: source.breakerLevel(),
    dataAgeMs: last === undefined ? null : Math.max(0, Math.round(now - last)),
  };
}

/** One line: `status: 120 bars | BTC/USDT last 54321.1, position 0.0357 | equity 10012.34 USDT | breaker NORMAL | data age 840 ms`. */
export function formatStatus(status: SessionStatus, kernel: Kernel): string {
  const symbols = Object.keys(status.lastPrices).map((symbol) => {
    const instrument = kernel.cache.instrument(symbol);
    const price = status.lastPrices[symbol] ?? null;
    return `${symbol} last ${price === null ? '-' : instrument.formatPrice(price)}, position ${instrument.formatQuantity(status.positions[symbol] ?? 0)}`;
  });
  const age = status.dataAgeMs === null ? 'no data yet' : `data age ${status.dataAgeMs} ms`;
  return `status: ${status.bars} bars | ${symbols.join(' | ')} | equity ${status.equity.toFixed(2)} ${status.currency} | breaker ${status.breakerLevel} | ${age}`;
}

/** A position held when the session finished. */
export interface OpenPositionSummary {
  symbol: string;
  quantity: number;
  /** Average entry price (cost over quantity). */
  averagePrice: number;
  /** The last price (book mid or bar close) the value is taken at. */
  lastPrice: number;
  value: number;
  /** Of `quantity`, what is below one lot and cannot be sold (fees kept in the coin); absent when none. */
  dust?: number;
}

export function openPositionsOf(kernel: Kernel): OpenPositionSummary[] {
  const positions: OpenPositionSummary[] = [];
  for (const position of kernel.account.positions.values()) {
    if (position.isFlat) continue;
    const symbol = position.instrument.symbol;
    const price = kernel.cache.lastClose[kernel.cache.symbolIndex(symbol)]!;
    positions.push({
      symbol,
      quantity: position.quantity,
      averagePrice: Number(position.averagePrice.toFixed(8)),
      // A book mid can sit between ticks and carry float noise: 8 decimals, like every amount in a summary.
      lastPrice: Number(price.toFixed(8)),
      value: Number((position.quantity * price).toFixed(8)),
      ...(position.dustUnits > 0 ? { dust: position.instrument.quantityFromUnits(position.dustUnits) } : {}),
    });
  }
  return positions;
}

/** An order that was open when the session stopped, and what became of it in the shutdown. */
export interface OpenOrderSummary {
  id: string;
  symbol: string;
  side: string;
  type: string;
  quantity: number;
  filledQuantity: number;
  /** Limit price; null for market and stop-market orders. */
  price: number | null;
  stopPrice: number | null;
  /** Its status once the session finished: CANCELED after a clean shutdown, else still open. */
  status: string;
}

/** Which order and how much of it filled: the fields every order list of a session summary starts with. */
export type OrderBasics = Pick<OpenOrderSummary, 'id' | 'symbol' | 'side' | 'type' | 'quantity' | 'filledQuantity'>;

export function orderBasics(order: Order): OrderBasics {
  return { id: order.id, symbol: order.symbol, side: order.side, type: order.type, quantity: order.quantity, filledQuantity: order.filledQuantity };
}

/** The open orders now, to be described once the shutdown is over (their status then). */
export function openOrdersAtStop(kernel: Kernel): () => OpenOrderSummary[] {
  const open: Order[] = [...kernel.cache.openOrders];
  return () => open.map((o) => ({ ...orderBasics(o), price: o.price ?? null, stopPrice: o.stopPrice ?? null, status: o.status }));
}
