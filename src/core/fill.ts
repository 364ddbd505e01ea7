// Fills: what the venue executed, with every cost a quant needs to audit the fill model.
import type { OrderSide } from './order.ts';

export const Liquidity = { Maker: 'MAKER', Taker: 'TAKER' } as const;
export type Liquidity = (typeof Liquidity)[keyof typeof Liquidity];

export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** When the fill happened (UTC ms). */
  readonly time: number;
  /** On the tick grid. */
  readonly price: number;
  /** On the lot grid. */
  readonly quantity: number;
  /** Exact price x quantity in ledger units (10^-8 of the quote currency). */
  readonly notional: bigint;
  /** Commission and exchange fees (ledger units). */
  readonly fee: bigint;
  /** Taxes such as A-share stamp duty (ledger units). */
  readonly tax: bigint;
  /**
   * The part of `fee` the venue kept in the base asset instead of the account currency (Binance takes a buy's fee in
   * the coin bought), as a quantity on the holding grid: the books hold that much less, and `fee` is its value at the
   * fill price. Absent (or 0): the fee was paid in the account currency.
   */
  readonly feeQuantity?: number;
  readonly liquidity: Liquidity;
  /** The price the model started from (next open, limit or stop), before spread and impact. */
  readonly referencePrice: number;
  /** Square-root market impact applied, in basis points of the reference price. */
  readonly impactBps: number;
  /** Cost versus the decision price in basis points (positive = worse for us). */
  readonly slippageBps: number;
  /** True when the venue cut the fill to what the cash covered. */
  readonly reducedForCash: boolean;
}

/** Cost of a fill against the decision price in basis points: positive when worse for us. */
export function slippageBps(side: OrderSide, price: number, decisionPrice: number): number {
  if (!(decisionPrice > 0)) return 0;
  return ((side === 'BUY' ? 1 : -1) * (price - decisionPrice) * 10_000) / decisionPrice;
}

/** What a venue executed of one order: the fill without the order's identity and the derived slippage (impact and the cash cut default to none). */
export type Execution = Omit<Fill, 'orderId' | 'symbol' | 'side' | 'slippageBps' | 'impactBps' | 'reducedForCash'> & Partial<Pick<Fill, 'impactBps' | 'reducedForCash'>>;

/** The one way to build a fill: an execution of `order`, with its slippage against the order's decision price. */
export function fillOf(order: { readonly id: string; readonly symbol: string; readonly side: OrderSide; readonly decisionPrice: number }, execution: Execution): Fill {
  return {
    id: execution.id,
    orderId: order.id,
    symbol: order.symbol,
    side: order.side,
    time: execution.time,
    price: execution.price,
    quantity: execution.quantity,
    notional: execution.notional,
    fee: execution.fee,
    tax: execution.tax,
    liquidity: execution.liquidity,
    referencePrice: execution.referencePrice,
    impactBps: execution.impactBps ?? 0,
    slippageBps: slippageBps(order.side, execution.price, order.decisionPrice),
    reducedForCash: execution.reducedForCash ?? false,
    ...(execution.feeQuantity ? { feeQuantity: execution.feeQuantity } : {}),
  };
}
