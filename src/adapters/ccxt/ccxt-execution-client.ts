// The CCXT venue's ExecutionClient: real orders through ccxt, idempotent client order ids, retries by
// error class, fills from the exchange's own trades, and reconciliation with the exchange.
import type { Order } from '../../core/index.ts';
import type { ExecutionClient, ExecutionContext } from '../../common/index.ts';
import { BalanceCheck, type BalanceComparison } from './balance-check.ts';
import type { CcxtOrder, CcxtTradingApi } from './ccxt-api.ts';
import { type CcxtExecutionOptions, ClientState, type Discrepancy, type ExecutionCounts } from './client-state.ts';
import { Placement } from './placement.ts';
import { Reconciler } from './reconciliation.ts';
import { StreamMapper } from './stream-mapping.ts';
import { venueProfile } from './venues.ts';

export class CcxtExecutionClient implements ExecutionClient {
  readonly name: string;
  readonly counts: ExecutionCounts;
  private readonly state: ClientState;
  private readonly mapper: StreamMapper;
  private readonly placement: Placement;
  private readonly balances: BalanceCheck;
  private readonly reconciler: Reconciler;

  /** `exchangeName` is the ccxt exchange id (e.g. 'binance'): it selects the venue's row in VENUES. */
  constructor(api: CcxtTradingApi, options: CcxtExecutionOptions, exchangeName = 'ccxt') {
    this.name = exchangeName;
    // Jitter only spreads retries; it needs no cryptographic quality.
    const random = options.random ?? Math.random;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.state = new ClientState(api, venueProfile(exchangeName), exchangeName, options, random, sleep);
    this.counts = this.state.counts;
    this.mapper = new StreamMapper(this.state);
    this.placement = new Placement(this.state, this.mapper);
    this.balances = new BalanceCheck(this.state);
    this.reconciler = new Reconciler(this.state, this.mapper, this.placement, this.balances);
  }

  connect(context: ExecutionContext): void {
    this.state.context = context;
    this.reconciler.connect(context.clock.now());
  }

  describe(): string[] {
    return [`Orders go to ${this.name} through ccxt; fills are the exchange's own trades.`];
  }

  submitOrder(order: Order): void {
    this.placement.submit(order);
  }

  cancelOrder(order: Order): void {
    this.placement.cancel(order);
  }

  /** Feed an order update from the exchange's stream (watchOrders); applied after the placement's own answer. */
  onOrderUpdate(update: CcxtOrder): void {
    this.mapper.onOrderUpdate(update);
  }

  /**
   * Compare with the exchange: unresolved placements are settled, fills missed while away are booked,
   * orders the exchange has and the platform does not know are reported, open orders of ours the
   * exchange has closed are brought up to date, and balances are compared with the books.
   */
  reconcile(symbols: readonly string[]): Promise<Discrepancy[]> {
    return this.reconciler.reconcile(symbols);
  }

  /** Wait until every request in flight has finished. */
  settle(): Promise<void> {
    return this.state.settle();
  }

  /** Placements nobody could confirm either way (reconciliation settles them). */
  get unresolvedCount(): number {
    return this.state.orders.unresolved.size;
  }

  /** The last balance comparison (empty until reconciliation could compare). */
  get lastBalances(): BalanceComparison[] {
    return this.balances.last;
  }

  /**
   * The platform took `quantity` of `asset` into its books (a person adopted a holding found on the
   * exchange): later balance comparisons expect it there instead of treating it as outside money.
   */
  adoptHolding(asset: string, quantity: number): void {
    this.balances.adoptHolding(asset, quantity);
  }
}
