// One fill booked on an order and its account: locked funds released, balances moved, the fee taken (in what
// the account receives), the order's progress and the account's trade.
import type { Account } from './accounts.ts';
import { isMarketKind, type SimOrder, type SimTrade } from './orders.ts';
import type { SymbolSpec } from './symbols.ts';
import { feeOf, mulUnits } from './units.ts';

/** Books `qty` at `price` with a fee of `bps`; returns the account's trade. */
export function bookFill(spec: SymbolSpec, account: Account, order: SimOrder, price: bigint, qty: bigint, bps: bigint, isMaker: boolean, tradeId: number, time: number): SimTrade {
  const { base, quote: quoteAsset } = spec;
  const quote = mulUnits(price, qty);
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
  const trade: SimTrade = { id: tradeId, symbol: order.symbol, orderId: order.orderId, price, qty, quoteQty: quote, commission, commissionAsset, time, isBuyer: order.side === 'BUY', isMaker };
  account.trades.push(trade);
  account.updateTime = time;
  return trade;
}
