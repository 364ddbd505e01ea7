// The exchange's balances against the platform's books: what the exchange holds beyond the books at first
// is the baseline (holdings the session does not trade); later comparisons report changes of it.
import { moneyToNumber } from '../../core/index.ts';
import type { ClientState, Discrepancy } from './client-state.ts';

/** One asset of the last balance comparison. */
export interface BalanceComparison {
  readonly asset: string;
  /** The exchange's total (free + locked). */
  readonly exchange: number;
  /** What the platform's books imply the exchange should hold. */
  readonly expected: number;
  readonly difference: number;
}

export interface BalanceDifference {
  readonly comparison: BalanceComparison;
  readonly first: boolean;
  readonly baseline: number;
  readonly report?: Discrepancy;
}

/** Quote differences below this are rounding (ledger units are 1e-8; exchanges round fees their own way). */
const QUOTE_TOLERANCE = 0.01;

export class BalanceCheck {
  /** Exchange balance minus the platform's books at the first comparison (holdings it does not trade). */
  private readonly baseline = new Map<string, number>();
  private readonly reportedDifference = new Map<string, number>();
  /** The last balance comparison (empty until reconciliation could compare). */
  last: BalanceComparison[] = [];

  constructor(private readonly state: ClientState) {}

  /**
   * The platform took `quantity` of `asset` into its books (a person adopted a holding found on the
   * exchange): later balance comparisons expect it there instead of treating it as outside money.
   */
  adoptHolding(asset: string, quantity: number): void {
    const known = this.baseline.get(asset);
    if (known !== undefined) this.baseline.set(asset, known - quantity);
  }

  /**
   * Each asset's exchange total against the books (undefined when requests went out meanwhile). The
   * first time an asset is seen its difference becomes the baseline; a traded asset with one is reported.
   */
  async differences(symbols: readonly string[]): Promise<BalanceDifference[] | undefined> {
    const { state } = this;
    const balance = await state.query(() => state.api.fetchBalance());
    if (state.pending.size > 0) return undefined;
    const { context } = state;
    const instruments = symbols.map((symbol) => context.instrument(symbol));
    const rows: Array<{ asset: string; symbol: string; books: number; tolerance: number; quote: boolean }> = [];
    const quote = instruments[0]!.quote;
    rows.push({ asset: quote, symbol: symbols.join(','), books: moneyToNumber(context.account.cash()), tolerance: QUOTE_TOLERANCE, quote: true });
    for (const instrument of instruments) {
      if (rows.some((r) => r.asset === instrument.base)) continue;
      // Everything held, dust too: fees taken in the coin are already out of the books' position.
      const held = instrument.quantityFromUnits(context.account.heldUnits(instrument.symbol));
      rows.push({ asset: instrument.base, symbol: instrument.symbol, books: held, tolerance: Number(instrument.lotSize) / 2, quote: false });
    }
    const out: BalanceDifference[] = [];
    for (const row of rows) {
      const exchange = balance.total?.[row.asset] ?? 0;
      const known = this.baseline.get(row.asset);
      const first = known === undefined;
      // What the exchange holds beyond the books the first time: the holdings the session does not trade.
      const baseline = known ?? exchange - row.books;
      const expected = row.books + baseline;
      const difference = first ? baseline : exchange - expected;
      const comparison = { asset: row.asset, exchange, expected, difference: first ? 0 : difference };
      // Cash beyond the session's capital is normal; a traded asset the books do not hold is not.
      const quiet = (row.quote && first) || Math.abs(difference) <= row.tolerance;
      const report: Discrepancy | undefined = quiet
        ? undefined
        : {
            kind: row.quote ? 'BALANCE' : 'UNKNOWN_POSITION',
            symbol: row.symbol,
            asset: row.asset,
            difference,
            detail: first
              ? `the exchange holds ${exchange} ${row.asset} the platform did not book (taken as the starting balance; trading ${row.symbol} waits for a person to decide)`
              : `the exchange holds ${exchange} ${row.asset}, the books imply ${expected}: ${difference > 0 ? '+' : ''}${difference}`,
          };
      out.push({ comparison, first, baseline, ...(report ? { report } : {}) });
    }
    return out;
  }

  /** Keep the comparison; take first differences as baselines; report a difference once, until it changes. */
  record(differences: readonly BalanceDifference[], report: (d: Discrepancy) => void): void {
    this.state.counts.balanceChecks++;
    this.last = differences.map((d) => d.comparison);
    for (const d of differences) {
      if (d.first) this.baseline.set(d.comparison.asset, d.baseline);
      if (d.first && d.report === undefined) continue;
      if (d.report === undefined) {
        this.reportedDifference.delete(d.comparison.asset);
        continue;
      }
      if (this.reportedDifference.get(d.comparison.asset) === d.report.difference) continue;
      this.reportedDifference.set(d.comparison.asset, d.report.difference!);
      report(d.report);
    }
  }
}
