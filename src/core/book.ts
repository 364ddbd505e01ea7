// A view of an order book's top levels, as venues and strategies receive it.

/** [price, size] pairs: bids best (highest) first, asks best (lowest) first. */
export type BookLevels = ReadonlyArray<readonly [number, number]>;

export interface BookSnapshot {
  readonly symbol: string;
  /** Venue time of the book (UTC ms). */
  readonly time: number;
  readonly bids: BookLevels;
  readonly asks: BookLevels;
  /** The feed's last trade (price and venue time) when it carries trades: paper stops trigger on it. */
  readonly lastTradePrice?: number;
  readonly lastTradeTime?: number;
}

export function midPrice(book: BookSnapshot): number {
  const bid = book.bids[0]?.[0];
  const ask = book.asks[0]?.[0];
  return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : NaN;
}
