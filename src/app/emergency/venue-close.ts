// An emergency stop straight through the venue, without the server: cancel every open order on the deployments'
// symbols, then sell what the deployments hold, never more than the account has free (the exchange may have taken
// fees in the base asset) and never what no deployment booked (holdings the platform does not trade stay).
import { createExchange } from '../../adapters/ccxt/index.ts';

/** The part of a ccxt exchange this needs. */
interface VenueApi {
  loadMarkets(): Promise<unknown>;
  fetchOpenOrders(symbol: string): Promise<Array<{ id: string; symbol: string; side: string; amount: number; status?: string }>>;
  cancelOrder(id: string, symbol: string): Promise<unknown>;
  fetchBalance(): Promise<{ free: Record<string, number | undefined> }>;
  amountToPrecision(symbol: string, amount: number): string;
  createOrder(symbol: string, type: string, side: string, amount: number): Promise<{ id: string; status?: string; filled?: number; average?: number; price?: number }>;
  markets: Record<string, { base: string; limits?: { amount?: { min?: number }; cost?: { min?: number } } }>;
  close?(): Promise<void>;
}

export interface VenueAccount {
  readonly exchange: string;
  readonly url: string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What the deployments trading this account hold by symbol (their journals): the most that is sold. */
  readonly held: ReadonlyMap<string, number>;
  readonly symbols: readonly string[];
}

export type VenueAction =
  | { readonly kind: 'canceled'; readonly symbol: string; readonly orderId: string; readonly side: string; readonly amount: number }
  | { readonly kind: 'cancel-failed'; readonly symbol: string; readonly orderId: string; readonly error: string }
  | { readonly kind: 'sold'; readonly symbol: string; readonly orderId: string; readonly amount: number; readonly filled: number; readonly price: number | null; readonly status: string }
  | { readonly kind: 'close-failed'; readonly symbol: string; readonly amount: number; readonly error: string }
  | { readonly kind: 'dust'; readonly symbol: string; readonly amount: number; readonly rule: string };

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

/** Cancels and closes on one venue account; every step is returned (and logged), failures too. */
export async function closeAtVenue(account: VenueAccount, log: (line: string) => void): Promise<VenueAction[]> {
  const api = (await createExchange({ exchange: account.exchange, url: account.url ?? undefined, env: account.env, requireCredentials: true })) as unknown as VenueApi;
  const actions: VenueAction[] = [];
  const note = (action: VenueAction, line: string): void => {
    actions.push(action);
    log(line);
  };
  try {
    await api.loadMarkets();
    for (const symbol of account.symbols) {
      for (const order of await api.fetchOpenOrders(symbol)) {
        try {
          await api.cancelOrder(order.id, symbol);
          note({ kind: 'canceled', symbol, orderId: order.id, side: order.side, amount: order.amount }, `${account.exchange}: canceled order ${order.id} (${order.side} ${order.amount} ${symbol})`);
        } catch (error) {
          note({ kind: 'cancel-failed', symbol, orderId: order.id, error: message(error) }, `${account.exchange}: cancel of order ${order.id} on ${symbol} FAILED: ${message(error)}`);
        }
      }
    }
    const balance = await api.fetchBalance();
    for (const symbol of account.symbols) {
      const held = account.held.get(symbol) ?? 0;
      if (!(held > 0)) continue;
      const market = api.markets[symbol]!;
      const free = balance.free[market.base] ?? 0;
      const wanted = Math.min(held, free);
      let amount: number;
      try {
        amount = Number(api.amountToPrecision(symbol, wanted));
      } catch {
        amount = 0;
      }
      const minAmount = market.limits?.amount?.min ?? 0;
      if (!(amount > 0) || amount < minAmount) {
        note({ kind: 'dust', symbol, amount: wanted, rule: `below the venue's minimum amount ${minAmount}` }, `${account.exchange}: ${wanted} ${market.base} of ${symbol} left: below the venue's minimum amount ${minAmount}`);
        continue;
      }
      try {
        const order = await api.createOrder(symbol, 'market', 'sell', amount);
        const price = order.average ?? order.price ?? null;
        note({ kind: 'sold', symbol, orderId: order.id, amount, filled: order.filled ?? 0, price, status: order.status ?? 'unknown' }, `${account.exchange}: market sell ${amount} ${symbol}: order ${order.id} ${order.status ?? ''}${order.filled ? `, filled ${order.filled}` : ''}${price ? ` at ${price}` : ''}`);
      } catch (error) {
        note({ kind: 'close-failed', symbol, amount, error: message(error) }, `${account.exchange}: market sell ${amount} ${symbol} FAILED: ${message(error)}`);
      }
    }
  } finally {
    await api.close?.().catch(() => undefined);
  }
  return actions;
}
