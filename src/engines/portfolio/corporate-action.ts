// Corporate actions: the ex-rights days of A-shares, as met in the bars and as booked on a held position.

/** An ex-rights day met while holding: what it did to the position (published on Topic.CorporateAction). */
export interface CorporateAction {
  readonly symbol: string;
  /** Open time of the first bar of the ex-rights day. */
  readonly time: number;
  readonly previousClose: number;
  /** The day's reference price (pre_close). */
  readonly referencePrice: number;
  readonly previousQuantity: number;
  readonly quantity: number;
  /** Cash paid out, in the account currency. */
  readonly cash: number;
}

/** The first bar of an ex-rights day of the symbol at `index`: the previous close and the day's reference price. */
export interface ExRightsDay {
  readonly index: number;
  readonly time: number;
  readonly previousClose: number;
  readonly referencePrice: number;
}
